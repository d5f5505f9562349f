// The SQLite driver on the sqlite3 C API: connections, prepared statements, binding.
#include "sqlite_errors.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"

#include <sqlite3.h>

#include <climits>

namespace tabella::detail {
namespace {

void bind(sqlite3_stmt* stmt, int index, const param_ref& p, std::string& scratch) {
    switch (p.kind) {
    case value_kind::null: sqlite3_bind_null(stmt, index); return;
    case value_kind::integer:
    case value_kind::boolean: sqlite3_bind_int64(stmt, index, p.integer); return;
    case value_kind::real: sqlite3_bind_double(stmt, index, p.real); return;
    case value_kind::text:
        // SQLITE_STATIC: the caller's data outlives the execution; no copy is made.
        sqlite3_bind_text64(stmt, index, static_cast<const char*>(p.data), p.size,
                            SQLITE_STATIC, SQLITE_UTF8);
        return;
    case value_kind::blob:
        sqlite3_bind_blob64(stmt, index, p.data, p.size, SQLITE_STATIC);
        return;
    case value_kind::timestamp:
        scratch = format_timestamp(p.integer);
        sqlite3_bind_text64(stmt, index, scratch.data(), scratch.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8);
        return;
    }
}

value read_cell(sqlite3_stmt* stmt, int col) {
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER: return value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, col)));
    case SQLITE_FLOAT: return value(sqlite3_column_double(stmt, col));
    case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        return value(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))));
    }
    case SQLITE_BLOB: {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(stmt, col));
        return value(blob(p, p + sqlite3_column_bytes(stmt, col)));
    }
    default: return value();
    }
}

class sqlite_statement final : public prepared_statement {
public:
    sqlite_statement(sqlite3* db, std::string sql) : db_(db), sql_(std::move(sql)) {
        const int rc = sqlite3_prepare_v3(db_, sql_.data(), static_cast<int>(sql_.size()),
                                          SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
        if (rc != SQLITE_OK) throw_sqlite_error(db_, sqlite3_extended_errcode(db_), sql_);
    }
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;
    ~sqlite_statement() override { sqlite3_finalize(stmt_); }

    std::int64_t execute(std::span<const param_ref> params, row_buffer* out) override {
        const int expected = sqlite3_bind_parameter_count(stmt_);
        if (static_cast<std::size_t>(expected) != params.size())
            throw usage_error("statement expects " + std::to_string(expected) +
                              " parameters, got " + std::to_string(params.size()) + " [" +
                              sql_.substr(0, 200) + "]");
        std::string scratch;
        for (std::size_t i = 0; i < params.size(); ++i)
            bind(stmt_, static_cast<int>(i + 1), params[i], scratch);
        const int columns = sqlite3_column_count(stmt_);
        if (out && out->columns.empty())
            for (int c = 0; c < columns; ++c) out->columns.emplace_back(sqlite3_column_name(stmt_, c));
        int rc;
        while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW)
            if (out)
                for (int c = 0; c < columns; ++c) out->cells.push_back(read_cell(stmt_, c));
        sqlite3_reset(stmt_);
        if (rc != SQLITE_DONE) throw_sqlite_error(db_, sqlite3_extended_errcode(db_), sql_);
        return sqlite3_changes64(db_);
    }

    const std::string& sql() const noexcept override { return sql_; }

private:
    sqlite3* db_;
    std::string sql_;
    sqlite3_stmt* stmt_ = nullptr;
};

class sqlite_connection final : public driver_connection {
public:
    sqlite_connection(const url& u, const engine_options& opts) {
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        std::string path = u.database;
        if (u.is_memory()) {
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
        sqlite3_busy_timeout(db_, static_cast<int>(opts.busy_timeout.count()));
        max_params_ = static_cast<std::size_t>(sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, -1));
        try {
            // Reading the schema proves the file is a database; foreign keys are off in
            // SQLite unless each connection asks.
            execute_simple("PRAGMA foreign_keys = ON");
            execute_simple("SELECT count(*) FROM sqlite_schema");
        } catch (const error& e) {
            sqlite3_close(db_);
            throw connection_error("cannot open '" + u.masked() + "': " + e.what());
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
        const int wanted = limit > max_params_ ? static_cast<int>(max_params_)
                                               : static_cast<int>(limit);
        sqlite3_limit(db_, SQLITE_LIMIT_VARIABLE_NUMBER, wanted);
    }
    std::unique_ptr<prepared_statement> prepare(std::string sql) override {
        return std::make_unique<sqlite_statement>(db_, std::move(sql));
    }
    void execute_simple(const std::string& sql) override {
        sqlite_statement stmt(db_, sql);
        (void)stmt.execute({}, nullptr);
    }
    std::int64_t last_insert_id() const override { return sqlite3_last_insert_rowid(db_); }
    bool returns_keys_with_returning() const noexcept override { return false; }
    bool is_usable() const noexcept override { return db_ != nullptr; }

private:
    sqlite3* db_ = nullptr;
    std::size_t max_params_ = 0;
};

} // namespace

std::unique_ptr<driver_connection> open_sqlite(const url& u, const engine_options& opts) {
    return std::make_unique<sqlite_connection>(u, opts);
}

} // namespace tabella::detail
