// Core cases: executemany, multi-VALUES, and one execute per row, through tabella's
// connection. Timed from the program's rows: building the param_sets (the Core API's
// input) is part of what using the Core costs, and so is getting the keys out of results.
#include "cases.hpp"
#include "runner.hpp"

#include <tabella/connection.hpp>
#include <tabella/metadata.hpp>
#include <tabella/result.hpp>
#include <tabella/statement.hpp>

#include <array>
#include <span>
#include <string>
#include <vector>

namespace tabella_bench {
namespace {

// One execute per row and a commit per row: on SQLite a journal fsync per row, so fewer rows.
constexpr std::array<std::int64_t, 1> sqlite_autocommit_rows = {1'000};
constexpr std::array<std::int64_t, 2> server_autocommit_rows = {1'000, 10'000};

tabella::param_set param_set_of(const row_values& r) {
    return {{"name", r.name}, {"lastname", r.lastname}, {"age", r.age}, {"score", r.score}};
}

std::vector<tabella::param_set> param_sets_of(std::size_t rows) {
    std::vector<tabella::param_set> out;
    out.reserve(rows);
    for (const auto& r : rows_of(rows)) out.push_back(param_set_of(r));
    return out;
}

// Runs a case whose insert fills `keys`; `insert(conn, rows, keys)` is timed.
template <class Insert>
void run_core_case(benchmark::State& state, backend b, Insert insert) {
    guarded(state, [&] {
        const bench_database db(b);
        tabella_probe probe(db);
        const auto rows = static_cast<std::size_t>(state.range(0));
        std::vector<std::int64_t> keys;
        run_case(state, probe,
                 {.insert =
                      [&] {
                          keys.clear();
                          auto conn = probe.engine().connect();
                          insert(conn, rows, keys);
                      },
                  .keys = [&]() -> inserted_keys { return keys; }});
    });
}

void executemany(tabella::connection& conn, std::size_t rows, std::vector<std::int64_t>& keys) {
    const auto result = conn.execute(students_table().insert(), param_sets_of(rows));
    keys.reserve(rows);
    for (const auto& key : result.inserted_primary_key_rows())
        keys.push_back(key.get<std::int64_t>(0));
}

// A multi-VALUES insert returns no keys (the databases do not say which key went to which
// row), so a Core program reads them back by a unique column, here name<i>.
void multi_values(tabella::connection& conn, std::size_t rows, std::vector<std::int64_t>& keys) {
    auto insert = students_table().insert();
    insert.values(param_sets_of(rows));
    (void)conn.execute(insert);
    auto select = students_table().select();
    select.columns({"id", "name"});
    keys.assign(rows, 0);
    for (const auto& row : conn.execute(select)) {
        const auto name = row.get<std::string>(1);
        keys.at(std::stoul(name.substr(4))) = row.get<std::int64_t>(0);
    }
}

void one_execute_per_row(tabella::connection& conn, std::size_t rows,
                         std::vector<std::int64_t>& keys) {
    keys.reserve(rows);
    for (const auto& r : rows_of(rows)) {
        const auto result = conn.execute(students_table().insert().values(param_set_of(r)));
        keys.push_back(result.inserted_primary_key().get<std::int64_t>(0));
    }
}

void one_transaction(tabella::connection& conn, std::size_t rows, std::vector<std::int64_t>& keys) {
    auto tx = conn.begin();
    one_execute_per_row(conn, rows, keys);
    tx.commit();
}

} // namespace

void register_core_cases(backend b) {
    add_case("BM_core_executemany", b, all_row_counts,
             [b](benchmark::State& s) { run_core_case(s, b, executemany); });
    add_case("BM_core_multi_values", b, all_row_counts,
             [b](benchmark::State& s) { run_core_case(s, b, multi_values); });
    add_case("BM_row_by_row_autocommit", b,
             b == backend::sqlite ? std::span<const std::int64_t>(sqlite_autocommit_rows)
                                  : std::span<const std::int64_t>(server_autocommit_rows),
             [b](benchmark::State& s) { run_core_case(s, b, one_execute_per_row); });
    add_case("BM_row_by_row_one_transaction", b, all_row_counts,
             [b](benchmark::State& s) { run_core_case(s, b, one_transaction); });
}

} // namespace tabella_bench
