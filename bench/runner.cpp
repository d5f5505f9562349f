// The shared benchmark loop and its checks.
#include "runner.hpp"

#include <tabella/connection.hpp>
#include <tabella/metadata.hpp>
#include <tabella/statement.hpp>

#include <algorithm>
#include <stdexcept>

namespace tabella_bench {
namespace {

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what);
}

// Every key set (non-zero) and distinct, and three of them spot-checked against the row
// holding their object's values: a key must belong to its own row, not just exist.
void check_keys(const std::vector<std::int64_t>& keys, std::size_t rows, table_probe& probe) {
    if (keys.size() != rows)
        fail("got " + std::to_string(keys.size()) + " keys for " + std::to_string(rows) + " rows");
    std::vector<std::int64_t> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    if (!sorted.empty() && sorted.front() <= 0) fail("a key is unset or not positive");
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) fail("keys repeat");
    for (const std::size_t i : {std::size_t{0}, rows / 2, rows - 1}) {
        const std::string expected = "name" + std::to_string(i);
        const std::string found = probe.name_at(keys[i]);
        if (found != expected)
            fail("row " + std::to_string(i) + " got key " + std::to_string(keys[i]) +
                 ", which holds '" + found + "', not '" + expected + "'");
    }
}

void check_count(table_probe& probe, std::size_t rows) {
    const std::int64_t counted = probe.count_rows();
    if (counted != static_cast<std::int64_t>(rows))
        fail("SELECT count(*) gives " + std::to_string(counted) + ", expected " +
             std::to_string(rows));
}

} // namespace

void run_case(benchmark::State& state, table_probe& probe, const case_body& body) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    (void)rows_of(rows); // built once, before anything is timed
    for (auto _ : state) {
        state.PauseTiming();
        probe.empty_table();
        body.prepare();
        state.ResumeTiming();

        body.insert();

        state.PauseTiming();
        check_count(probe, rows);
        if (const inserted_keys keys = body.keys()) check_keys(*keys, rows, probe);
        body.cleanup();
        state.ResumeTiming();
    }
    state.counters["rows_per_second"] = benchmark::Counter(
        static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
}

void guarded(benchmark::State& state, const std::function<void()>& setup_and_run) {
    try {
        setup_and_run();
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

tabella_probe::tabella_probe(const bench_database& db)
    : db_(db), engine_(tabella::create_engine(db.url())) {
    auto conn = engine_.connect();
    for (const auto& sql : db.recreate_table_sql()) conn.execute_sql(sql);
}

void tabella_probe::empty_table() {
    engine_.connect().execute_sql(db_.empty_table_sql());
}

std::int64_t tabella_probe::count_rows() {
    return engine_.connect().execute_sql("SELECT count(*) FROM students").scalar<std::int64_t>();
}

std::string tabella_probe::name_at(std::int64_t key) {
    const auto& t = students_table();
    const auto found = engine_.connect().execute(t.select().where(t.c("id") == key));
    return found.empty() ? std::string() : found[0].get<std::string>("name");
}

} // namespace tabella_bench
