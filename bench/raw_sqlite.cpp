// The SQLite baseline on the sqlite3 C API, as a careful hand-written program does it: one
// prepared statement reused for every row inside one transaction, text bound without a
// copy, the key of each row from sqlite3_last_insert_rowid().
#include "cases.hpp"
#include "runner.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace tabella_bench {
namespace {

struct sqlite_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct sqlite_finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
using statement_ptr = std::unique_ptr<sqlite3_stmt, sqlite_finalizer>;

/// A raw connection to the case's database file; creates the table.
class sqlite_probe final : public table_probe {
  public:
    explicit sqlite_probe(const bench_database& db) : db_(db) {
        sqlite3* handle = nullptr;
        const int rc = sqlite3_open_v2(db.native_target().c_str(), &handle,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        handle_.reset(handle);
        if (rc != SQLITE_OK) fail("sqlite3_open_v2");
        for (const auto& sql : db.recreate_table_sql()) exec(sql);
    }

    void empty_table() override { exec(db_.empty_table_sql()); }
    std::int64_t count_rows() override {
        auto stmt = prepare("SELECT count(*) FROM students");
        if (sqlite3_step(stmt.get()) != SQLITE_ROW) fail("SELECT count(*)");
        return sqlite3_column_int64(stmt.get(), 0);
    }
    std::string name_at(std::int64_t key) override {
        auto stmt = prepare("SELECT name FROM students WHERE id = ?");
        sqlite3_bind_int64(stmt.get(), 1, key);
        if (sqlite3_step(stmt.get()) != SQLITE_ROW) return {};
        return reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    }

    [[nodiscard]] sqlite3* handle() const noexcept { return handle_.get(); }
    void exec(const std::string& sql) {
        if (sqlite3_exec(handle(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    }
    [[nodiscard]] statement_ptr prepare(const char* sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(handle(), sql, -1, &stmt, nullptr) != SQLITE_OK) fail(sql);
        return statement_ptr(stmt);
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("sqlite: " + what + ": " + sqlite3_errmsg(handle()));
    }

  private:
    const bench_database& db_;
    std::unique_ptr<sqlite3, sqlite_closer> handle_;
};

void insert_prepared(sqlite_probe& db, std::size_t rows, std::vector<std::int64_t>& keys) {
    keys.clear();
    keys.reserve(rows);
    db.exec("BEGIN");
    auto stmt = db.prepare("INSERT INTO students (name, lastname, age, score) VALUES (?, ?, ?, ?)");
    sqlite3_stmt* s = stmt.get();
    for (const auto& r : rows_of(rows)) {
        sqlite3_bind_text(s, 1, r.name.data(), static_cast<int>(r.name.size()), SQLITE_STATIC);
        sqlite3_bind_text(s, 2, r.lastname.data(), static_cast<int>(r.lastname.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int(s, 3, r.age);
        sqlite3_bind_double(s, 4, r.score);
        if (sqlite3_step(s) != SQLITE_DONE) db.fail("INSERT");
        keys.push_back(sqlite3_last_insert_rowid(db.handle()));
        sqlite3_reset(s);
    }
    stmt.reset();
    db.exec("COMMIT");
}

void bm_raw_sqlite_prepared(benchmark::State& state) {
    guarded(state, [&] {
        const bench_database db(backend::sqlite);
        sqlite_probe probe(db);
        std::vector<std::int64_t> keys;
        run_case(
            state, probe,
            {.insert =
                 [&] { insert_prepared(probe, static_cast<std::size_t>(state.range(0)), keys); },
             .keys = [&]() -> inserted_keys { return keys; }});
    });
}

} // namespace

void register_raw_sqlite_cases() {
    add_case("BM_raw_prepared", backend::sqlite, all_row_counts, bm_raw_sqlite_prepared);
}

} // namespace tabella_bench
