// The MariaDB dialect: ? placeholders, backquoted identifiers, AUTO_INCREMENT keys.
#include "mariadb_keywords.hpp"
#include "tabella/mariadb.hpp"
#include "tabella/statement.hpp"

namespace tabella {
namespace {

class mariadb_dialect_impl final : public dialect {
  public:
    std::string_view name() const noexcept override { return "mariadb"; }
    // The binary protocol counts a statement's parameters in 16 bits.
    std::size_t default_parameter_limit() const noexcept override { return 65535; }
    std::size_t preferred_rows_per_statement() const noexcept override { return 1000; }
    void append_placeholder(std::string& out, std::size_t) const override { out += '?'; }
    // Connections use a binary collation, so LIKE is case-sensitive; ilike compares the
    // lower-cased text.
    void append_like(std::string& sql, std::vector<value>& params, std::string_view column_sql,
                     const std::string& pattern, bool case_insensitive) const override {
        params.emplace_back(pattern);
        if (!case_insensitive) {
            sql += column_sql;
            sql += " LIKE ?";
            return;
        }
        sql += "LOWER(";
        sql += column_sql;
        sql += ") LIKE LOWER(?)";
    }

    // MariaDB 10.11 returns rows from INSERT and DELETE, not from UPDATE.
    bool returns_from_update() const noexcept override { return false; }
    bool orders_nulls() const noexcept override { return false; }

    // ON DUPLICATE KEY UPDATE ... RETURNING returns the row as stored after the update,
    // and a skip is an update that changes nothing.
    bool returns_skipped_rows() const noexcept override { return true; }

    // A conflict on any unique key. Skipping sets a column to itself (not INSERT IGNORE,
    // which would also turn other errors, such as NOT NULL violations, into warnings).
    void append_on_conflict(std::string& out, const on_conflict& rule,
                            std::span<const std::string> columns) const override {
        out += " ON DUPLICATE KEY UPDATE ";
        if (rule.update_columns.empty()) {
            const std::string& c =
                rule.conflict_columns.empty() ? columns.front() : rule.conflict_columns.front();
            append_identifier(out, c);
            out += " = ";
            append_identifier(out, c);
            return;
        }
        for (std::size_t i = 0; i < rule.update_columns.size(); ++i) {
            if (i) out += ", ";
            append_identifier(out, rule.update_columns[i]);
            out += " = VALUES(";
            append_identifier(out, rule.update_columns[i]);
            out += ')';
        }
    }

    std::string column_type_sql(const column& c, bool sole_key) const override {
        const bool generated =
            sole_key && c.is_autoincrement() &&
            (c.type() == column_type::integer || c.type() == column_type::big_integer);
        if (generated) return "BIGINT AUTO_INCREMENT";
        switch (c.type()) {
        // 64 bits as in SQLite, and InnoDB refuses a foreign key whose column type differs
        // from the key it references (INT referencing a BIGINT AUTO_INCREMENT key).
        case column_type::integer:
        case column_type::big_integer:
            return "BIGINT";
        case column_type::real:
            return "DOUBLE";
        case column_type::string:
        case column_type::text:
            return text_type(c);
        case column_type::boolean:
            return "BOOLEAN"; // TINYINT(1): read back as an integer 0 or 1
        case column_type::blob:
            return "LONGBLOB";
        case column_type::timestamp:
            return "DATETIME(6)"; // UTC: the driver sets the session time zone
        case column_type::uuid:
            return "BINARY(16)";
        case column_type::date:
            return "DATE";
        }
        return "LONGBLOB";
    }

    std::size_t max_identifier_length() const noexcept override { return 64; }

    // "FOREIGN KEY IF NOT EXISTS" lets create_all run again on existing tables.
    std::string add_foreign_key(std::string_view table, const foreign_key_constraint& fk,
                                std::string_view name) const override {
        std::string sql = dialect::add_foreign_key(table, fk, name);
        const std::size_t after_keyword =
            ("ALTER TABLE " + quote_identifier(table) + " ADD CONSTRAINT " +
             quote_identifier(name) + " FOREIGN KEY")
                .size();
        sql.insert(after_keyword, " IF NOT EXISTS");
        return sql;
    }
    std::string drop_foreign_key(std::string_view table, std::string_view name) const override {
        std::string sql = "ALTER TABLE IF EXISTS ";
        append_identifier(sql, table);
        sql += " DROP FOREIGN KEY IF EXISTS ";
        append_constraint_name(sql, name);
        return sql;
    }

  protected:
    bool is_reserved_word(std::string_view lower_name) const noexcept override {
        return dialect::is_reserved_word(lower_name) ||
               detail::is_mariadb_reserved_word(lower_name);
    }
    char identifier_quote() const noexcept override { return '`'; }
    std::string_view default_values_sql() const noexcept override { return " () VALUES ()"; }

    // An index key holds at most 3072 bytes: text columns (VARCHAR(768), 3072 bytes) of an
    // index with more columns, and blobs (LONGBLOB) always, are indexed by a prefix that
    // shares what the other columns leave. (A UNIQUE constraint needs none: MariaDB makes
    // a too-long one a hash index itself.)
    void append_index_columns(std::string& out, const table& t,
                              const table_index& ix) const override {
        std::size_t varying = 0, fixed_bytes = 0;
        bool blob = false;
        for (const auto& name : ix.columns) {
            const column_type type = t.get_column(name).type();
            blob = blob || type == column_type::blob;
            if (is_varying(type))
                ++varying;
            else
                fixed_bytes += type == column_type::uuid ? 16 : 8;
        }
        const bool prefix = blob || varying * max_key_bytes + fixed_bytes > max_key_bytes;
        const std::size_t room = max_key_bytes - std::min(fixed_bytes, max_key_bytes / 2);
        out += '(';
        for (const auto& name : ix.columns) {
            if (&name != &ix.columns.front()) out += ", ";
            append_identifier(out, name);
            if (prefix && is_varying(t.get_column(name).type()))
                out += '(' + std::to_string(room / 4 / varying) + ')';
        }
        out += ')';
    }

  private:
    static constexpr std::size_t max_key_bytes = 3072;
    static bool is_varying(column_type type) noexcept {
        return type == column_type::string || type == column_type::text ||
               type == column_type::blob;
    }

    // InnoDB indexes at most 3072 bytes of a key, 768 characters of utf8mb4, and cannot
    // index a TEXT column without a prefix length: a text column that is a key, UNIQUE or
    // a foreign key (which needs an index), or indexed, is VARCHAR(768); any other holds any
    // length. Whatever the server's defaults: all of Unicode, compared byte by byte with trailing
    // spaces significant ('a' <> 'A' <> 'a '), as SQLite and PostgreSQL compare.
    static std::string text_type(const column& c) {
        const bool indexed =
            c.is_primary_key() || c.is_unique() || c.in_foreign_key() || c.is_indexed();
        return std::string(indexed ? "VARCHAR(768)" : "LONGTEXT") +
               " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin";
    }
};

} // namespace

const dialect& mariadb_dialect() noexcept {
    static const mariadb_dialect_impl instance;
    return instance;
}

} // namespace tabella
