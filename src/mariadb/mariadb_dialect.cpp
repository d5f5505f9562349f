// The MariaDB dialect: ? placeholders, backquoted identifiers, AUTO_INCREMENT keys.
#include "mariadb_keywords.hpp"
#include "tabella/mariadb.hpp"

namespace tabella {
namespace {

class mariadb_dialect_impl final : public dialect {
  public:
    std::string_view name() const noexcept override { return "mariadb"; }
    // The binary protocol counts a statement's parameters in 16 bits.
    std::size_t default_parameter_limit() const noexcept override { return 65535; }
    std::size_t preferred_rows_per_statement() const noexcept override { return 1000; }
    void append_placeholder(std::string& out, std::size_t) const override { out += '?'; }

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

  protected:
    bool is_reserved_word(std::string_view lower_name) const noexcept override {
        return dialect::is_reserved_word(lower_name) ||
               detail::is_mariadb_reserved_word(lower_name);
    }
    char identifier_quote() const noexcept override { return '`'; }
    std::string_view default_values_sql() const noexcept override { return " () VALUES ()"; }

  private:
    // InnoDB indexes at most 3072 bytes of a key, 768 characters of utf8mb4, and cannot
    // index a TEXT column without a prefix length: a text column that is a key, UNIQUE or
    // a foreign key (which needs an index) is VARCHAR(768); any other holds any length.
    // Whatever the server's defaults: all of Unicode, compared byte by byte with trailing
    // spaces significant ('a' <> 'A' <> 'a '), as SQLite and PostgreSQL compare.
    static std::string text_type(const column& c) {
        const bool indexed = c.is_primary_key() || c.is_unique() || c.in_foreign_key();
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
