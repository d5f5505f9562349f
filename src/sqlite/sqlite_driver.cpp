// The SQLite driver on the sqlite3 C API: connections, prepared statements, binding.
#include "sqlite_driver.hpp"
#include "sqlite_errors.hpp"
#include "sqlite_keys.hpp"
#include "sqlite_statement.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"
#include "tabella/sqlite.hpp"

#include <sqlite3.h>

#include <climits>

namespace tabella::detail {
namespace {

// ?mode=ro opens read-only, ?mode=rw requires an existing file, the default creates it.
int open_mode(const url& u) {
    const auto mode = u.query.find("mode");
    if (mode != u.query.end() && mode->second == "ro") return SQLITE_OPEN_READONLY;
    if (mode != u.query.end() && mode->second == "rw") return SQLITE_OPEN_READWRITE;
    return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
}

class sqlite_connection final : public driver_connection {
  public:
    sqlite_connection(const url& u, const engine_options& opts) {
        int flags = open_mode(u) | SQLITE_OPEN_NOMUTEX;
        std::string path = u.database;
        if (u.query.contains("memdb") || u.database.empty() || u.database == ":memory:") {
            // A named memdb database is shared by every connection of this process that
            // opens the same name, with ordinary locking (unlike shared-cache mode).
            const auto name = u.query.find("memdb");
            path = name == u.query.end() ? ":memory:" : "file:" + name->second + "?vfs=memdb";
            flags |= SQLITE_OPEN_URI;
        }
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
        if (rc != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            throw connection_error("cannot open '" + u.masked() + "': " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        keys_ =
            sqlite_key_reserver(db_, [this](std::string_view sql, std::span<const param_ref> p) {
                echo_statement(sql, p);
            });
        sqlite3_busy_timeout(db_, static_cast<int>(opts.busy_timeout.count()));
        max_params_ =
            static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
        try {
            // Reading the schema proves the file is a database; foreign keys are off in
            // SQLite unless each connection asks.
            execute_simple("PRAGMA foreign_keys = ON");
            execute_simple("SELECT count(*) FROM sqlite_schema");
        } catch (const connection_error& e) { // not a database, unreadable...
            sqlite3_close(db_);
            throw connection_error("cannot open '" + u.masked() + "': " + e.what());
        } catch (...) { // e.g. locked by another connection past the busy timeout
            sqlite3_close(db_);
            throw;
        }
    }
    sqlite_connection(const sqlite_connection&) = delete;
    sqlite_connection& operator=(const sqlite_connection&) = delete;
    ~sqlite_connection() override { sqlite3_close_v2(db_); }

    const dialect& sql_dialect() const noexcept override { return sqlite_dialect(); }
    std::size_t parameter_limit() const override {
        return static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
    }
    void set_parameter_limit(std::size_t limit) override {
        // SQLite cannot raise a limit past its compile-time maximum; it clamps.
        const int wanted =
            limit > max_params_ ? static_cast<int>(max_params_) : static_cast<int>(limit);
        sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, wanted);
    }
    std::unique_ptr<prepared_statement> prepare(std::string sql) override {
        return std::make_unique<sqlite_statement>(db_, std::move(sql));
    }
    void execute_simple(const std::string& sql) override {
        sqlite_statement stmt(db_, sql);
        (void)stmt.execute({}, nullptr);
    }
    driver_capabilities capabilities() const noexcept override {
        return {.keeps_transaction_after_error = true,
                .returning = true,
                .returning_in_values_order = false, // not documented: keys are reserved
                .reserves_keys = true,
                .copy = false};
    }
    bool transaction_active() const noexcept override { return sqlite3_get_autocommit(db_) == 0; }
    bool reserve_keys(const std::string& table, const std::string& key_column, std::size_t count,
                      std::int64_t above, std::vector<std::int64_t>& out) override {
        return keys_.reserve(table, key_column, count, above, out);
    }
    bool is_usable() const noexcept override { return db_ != nullptr; }

  private:
    sqlite3* db_ = nullptr;
    std::size_t max_params_ = 0;
    sqlite_key_reserver keys_{nullptr, {}};
};

} // namespace

std::unique_ptr<driver_connection> open_sqlite(const url& u, const engine_options& opts) {
    return std::make_unique<sqlite_connection>(u, opts);
}

} // namespace tabella::detail
