// The PostgreSQL baselines on libpqxx 6.4, as a careful hand-written program does them:
// multi-VALUES INSERT ... RETURNING id in batches of 1,000 rows through one prepared
// statement (keys taken in the order the rows come back), and COPY through
// pqxx::stream_to (fastest, but it returns no keys).
#include "cases.hpp"
#include "runner.hpp"

#include <pqxx/connection>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include <memory>
#include <string>
#include <tuple>

namespace tabella_bench {
namespace {

constexpr std::size_t batch_rows = 1'000;

/// A raw libpqxx connection into the benchmark schema; creates the table.
class pg_probe final : public table_probe {
  public:
    explicit pg_probe(const bench_database& db)
        : db_(db), conn_(std::make_unique<pqxx::connection>(db.native_target())) {
        pqxx::work tx(*conn_);
        for (const auto& sql : db.recreate_table_sql()) tx.exec(sql);
        tx.commit();
    }

    void empty_table() override {
        pqxx::work tx(*conn_);
        tx.exec(db_.empty_table_sql());
        tx.commit();
    }
    std::int64_t count_rows() override {
        pqxx::work tx(*conn_);
        return tx.exec1("SELECT count(*) FROM students")[0].as<std::int64_t>();
    }
    std::string name_at(std::int64_t key) override {
        pqxx::work tx(*conn_);
        const auto r = tx.exec_params("SELECT name FROM students WHERE id = $1", key);
        return r.empty() ? std::string() : r[0][0].as<std::string>();
    }
    [[nodiscard]] pqxx::connection& conn() noexcept { return *conn_; }

  private:
    const bench_database& db_;
    std::unique_ptr<pqxx::connection> conn_;
};

std::string multi_values_sql(std::size_t rows) {
    std::string sql = "INSERT INTO students (name, lastname, age, score) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ", (" : "(";
        for (std::size_t c = 1; c <= 4; ++c)
            sql += (c > 1 ? ", $" : "$") + std::to_string(r * 4 + c);
        sql += ')';
    }
    return sql + " RETURNING id";
}

void insert_multi_values(pqxx::connection& conn, std::size_t rows,
                         std::vector<std::int64_t>& keys) {
    const auto& values = rows_of(rows);
    keys.clear();
    keys.reserve(rows);
    conn.prepare("bench_insert", multi_values_sql(batch_rows));
    std::vector<std::string> params;
    params.reserve(batch_rows * 4);
    pqxx::work tx(conn);
    for (std::size_t first = 0; first < rows; first += batch_rows) {
        const std::size_t count = std::min(batch_rows, rows - first);
        params.clear();
        for (std::size_t i = first; i < first + count; ++i) {
            params.push_back(values[i].name);
            params.push_back(values[i].lastname);
            params.push_back(pqxx::to_string(values[i].age));
            params.push_back(pqxx::to_string(values[i].score));
        }
        const auto dynamic = pqxx::prepare::make_dynamic_params(params);
        const auto result = count == batch_rows ? tx.exec_prepared("bench_insert", dynamic)
                                                : tx.exec_params(multi_values_sql(count), dynamic);
        for (const auto& row : result) keys.push_back(row[0].as<std::int64_t>());
    }
    tx.commit();
    conn.unprepare("bench_insert");
}

void copy_rows(pqxx::connection& conn, std::size_t rows) {
    pqxx::work tx(conn);
    pqxx::stream_to copy(tx, "students",
                         std::vector<std::string>{"name", "lastname", "age", "score"});
    for (const auto& r : rows_of(rows)) copy << std::make_tuple(r.name, r.lastname, r.age, r.score);
    copy.complete();
    tx.commit();
}

void bm_raw_multi_values_returning(benchmark::State& state, bool with_trigger) {
    guarded(state, [&] {
        const bench_database db(backend::postgres, with_trigger);
        pg_probe probe(db);
        std::vector<std::int64_t> keys;
        const auto rows = static_cast<std::size_t>(state.range(0));
        run_case(state, probe,
                 {.insert = [&] { insert_multi_values(probe.conn(), rows, keys); },
                  .keys = [&]() -> inserted_keys { return keys; }});
    });
}

void bm_raw_copy(benchmark::State& state) {
    guarded(state, [&] {
        const bench_database db(backend::postgres);
        pg_probe probe(db);
        const auto rows = static_cast<std::size_t>(state.range(0));
        run_case(state, probe,
                 {.insert = [&] { copy_rows(probe.conn(), rows); },
                  .keys = []() -> inserted_keys { return std::nullopt; }}); // COPY returns none
    });
}

} // namespace

void register_raw_postgres_cases() {
    add_case("BM_raw_multi_values_returning", backend::postgres, all_row_counts,
             [](benchmark::State& state) { bm_raw_multi_values_returning(state, false); });
    static constexpr std::array<std::int64_t, 2> unreservable_rows = {1'000, 10'000};
    add_case("BM_unreservable_raw_multi_values_returning", backend::postgres, unreservable_rows,
             [](benchmark::State& state) { bm_raw_multi_values_returning(state, true); });
    add_case("BM_raw_copy", backend::postgres, all_row_counts, bm_raw_copy);
}

} // namespace tabella_bench
