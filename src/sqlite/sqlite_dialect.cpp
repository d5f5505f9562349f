// The SQLite dialect: ? placeholders, INTEGER PRIMARY KEY as the generated rowid key.
#include "tabella/sqlite.hpp"

namespace tabella {
namespace {

class sqlite_dialect_impl final : public dialect {
  public:
    std::string_view name() const noexcept override { return "sqlite"; }
    // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32; the connection reports the real one.
    std::size_t default_parameter_limit() const noexcept override { return 32766; }
    void append_placeholder(std::string& out, std::size_t) const override { out += '?'; }
    // Measured (bench/RESULTS.md): SQLite's parser dominates statements of tens of
    // thousands of rows; 100 to 2,000 rows a statement all beat a reused one-row insert.
    std::size_t preferred_rows_per_statement() const noexcept override { return 500; }
    // A write transaction holds the lock of the whole database from BEGIN IMMEDIATE on.
    std::string_view for_update_clause() const noexcept override { return ""; }
    std::string_view begin_sql(bool for_write) const noexcept override {
        return for_write ? "BEGIN IMMEDIATE" : "BEGIN";
    }

    // SQLite's LIKE ignores the case of ASCII letters: that is ilike. A case-sensitive
    // like is GLOB with the pattern translated (% -> *, _ -> ?, GLOB's own * ? [ quoted).
    void append_like(std::string& sql, std::vector<value>& params, std::string_view column_sql,
                     const std::string& pattern, bool case_insensitive) const override {
        sql += column_sql;
        if (case_insensitive) {
            sql += " LIKE ?";
            params.emplace_back(pattern);
            return;
        }
        std::string glob;
        for (const char ch : pattern) {
            switch (ch) {
            case '%':
                glob += '*';
                break;
            case '_':
                glob += '?';
                break;
            case '*':
            case '?':
            case '[':
                glob += '[';
                glob += ch;
                glob += ']';
                break;
            default:
                glob += ch;
            }
        }
        sql += " GLOB ?";
        params.emplace_back(std::move(glob));
    }

    // No ALTER TABLE ADD CONSTRAINT; a FOREIGN KEY may name a table created later instead.
    bool can_add_foreign_keys() const noexcept override { return false; }
    // DROP TABLE deletes the rows first and checks foreign keys: tables that reference each
    // other are dropped with the checks deferred to COMMIT (the pragma ends with it).
    std::string_view defer_foreign_keys_sql() const noexcept override {
        return "PRAGMA defer_foreign_keys = ON";
    }

    std::string column_type_sql(const column& c, bool sole_key) const override {
        // Exactly "INTEGER" makes a single-column primary key an alias of the rowid,
        // which SQLite generates when the insert gives none.
        if (sole_key && c.is_autoincrement() &&
            (c.type() == column_type::integer || c.type() == column_type::big_integer))
            return "INTEGER";
        switch (c.type()) {
        case column_type::integer:
            return "INTEGER";
        case column_type::big_integer:
            return "BIGINT";
        case column_type::real:
            return "REAL";
        case column_type::string:
            return "VARCHAR";
        case column_type::text:
            return "TEXT";
        case column_type::boolean:
            return "BOOLEAN";
        case column_type::blob:
            return "BLOB";
        case column_type::timestamp:
            return "TIMESTAMP"; // text "YYYY-MM-DD HH:MM:SS.ffffff", UTC
        case column_type::uuid:
            return "BLOB"; // 16 bytes
        case column_type::date:
            return "DATE"; // text "YYYY-MM-DD"
        }
        return "TEXT";
    }
};

} // namespace

const dialect& sqlite_dialect() noexcept {
    static const sqlite_dialect_impl instance;
    return instance;
}

} // namespace tabella
