// Dialect-independent SQL rendering: quoting, INSERT, UPDATE, DELETE, chunk sizes.
#include "tabella/dialect.hpp"
#include "tabella/statement.hpp"

#include "keywords.hpp"
#include "tabella/error.hpp"

#include <algorithm>

namespace tabella {
namespace {

bool is_lower_case_name(std::string_view ident) noexcept {
    if (ident.empty() || (ident[0] >= '0' && ident[0] <= '9')) return false;
    return std::all_of(ident.begin(), ident.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

} // namespace

bool dialect::is_reserved_word(std::string_view lower_name) const noexcept {
    return detail::is_sql_keyword(lower_name);
}

void dialect::append_identifier(std::string& out, std::string_view ident) const {
    if (ident.empty()) throw usage_error("an SQL identifier cannot be empty");
    if (ident.find('\0') != std::string_view::npos)
        throw usage_error("an SQL identifier cannot contain a NUL byte");
    if (is_lower_case_name(ident) && !is_reserved_word(ident)) {
        out += ident;
        return;
    }
    const char quote = identifier_quote();
    out += quote;
    for (const char c : ident) {
        if (c == quote) out += quote;
        out += c;
    }
    out += quote;
}

std::string dialect::quote_identifier(std::string_view ident) const {
    std::string out;
    append_identifier(out, ident);
    return out;
}

void dialect::append_identifier_list(std::string& out, std::span<const std::string> idents) const {
    out += '(';
    for (std::size_t i = 0; i < idents.size(); ++i) {
        if (i) out += ", ";
        append_identifier(out, idents[i]);
    }
    out += ')';
}

void dialect::append_value_tuple(std::string& out, std::size_t first, std::size_t count) const {
    out += '(';
    for (std::size_t i = 0; i < count; ++i) {
        if (i) out += ", ";
        append_placeholder(out, first + i);
    }
    out += ')';
}

std::string dialect::insert(std::string_view table, std::span<const std::string> columns,
                            std::size_t rows) const {
    std::string sql = "INSERT INTO ";
    append_identifier(sql, table);
    if (columns.empty()) {
        if (rows != 1) throw usage_error("an INSERT without columns inserts exactly one row");
        return sql.append(default_values_sql());
    }
    sql += " (";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) sql += ", ";
        append_identifier(sql, columns[i]);
    }
    sql += ") VALUES ";
    sql.reserve(sql.size() + rows * columns.size() * 6);
    for (std::size_t r = 0; r < rows; ++r) {
        if (r) sql += ", ";
        append_value_tuple(sql, r * columns.size() + 1, columns.size());
    }
    return sql;
}

void dialect::append_like(std::string& sql, std::vector<value>& params, std::string_view column_sql,
                          const std::string& pattern, bool case_insensitive) const {
    sql += column_sql;
    sql += case_insensitive ? " ILIKE " : " LIKE ";
    params.emplace_back(pattern);
    append_placeholder(sql, params.size());
}

void dialect::append_on_conflict(std::string& out, const on_conflict& rule,
                                 std::span<const std::string>) const {
    out += " ON CONFLICT";
    if (!rule.conflict_columns.empty()) {
        out += ' ';
        append_identifier_list(out, rule.conflict_columns);
    }
    if (rule.update_columns.empty()) {
        out += " DO NOTHING";
        return;
    }
    out += " DO UPDATE SET ";
    for (std::size_t i = 0; i < rule.update_columns.size(); ++i) {
        if (i) out += ", ";
        append_identifier(out, rule.update_columns[i]);
        out += " = excluded.";
        append_identifier(out, rule.update_columns[i]);
    }
}

std::string dialect::returning(std::string_view column) const {
    std::string sql = " RETURNING ";
    append_identifier(sql, column);
    return sql;
}

std::string dialect::returning(std::string_view first, std::span<const std::string> more) const {
    std::string sql = returning(first);
    for (const auto& c : more) {
        sql += ", ";
        append_identifier(sql, c);
    }
    return sql;
}

std::string dialect::update_by_key(std::string_view table,
                                   std::span<const std::string_view> set_columns,
                                   std::string_view key_column) const {
    return update_by_key(table, set_columns, std::span(&key_column, 1), {});
}

std::string dialect::update_by_key(std::string_view table,
                                   std::span<const std::string_view> set_columns,
                                   std::string_view key_column,
                                   std::string_view version_column) const {
    return update_by_key(table, set_columns, std::span(&key_column, 1), version_column);
}

std::string dialect::update_by_key(std::string_view table,
                                   std::span<const std::string_view> set_columns,
                                   std::span<const std::string_view> key_columns,
                                   std::string_view version_column) const {
    if (set_columns.empty()) throw usage_error("an UPDATE needs at least one column to set");
    std::string sql = "UPDATE ";
    append_identifier(sql, table);
    sql += " SET ";
    std::size_t param = 0;
    auto equals = [&](std::string_view column) {
        append_identifier(sql, column);
        sql += " = ";
        append_placeholder(sql, ++param);
    };
    for (std::size_t i = 0; i < set_columns.size(); ++i) {
        if (i) sql += ", ";
        equals(set_columns[i]);
    }
    for (std::size_t i = 0; i < key_columns.size(); ++i) {
        sql += i ? " AND " : " WHERE ";
        equals(key_columns[i]);
    }
    if (!version_column.empty()) {
        sql += " AND ";
        equals(version_column);
    }
    return sql;
}

std::string dialect::delete_by_keys_and_versions(std::string_view table,
                                                 std::string_view key_column,
                                                 std::string_view version_column,
                                                 std::size_t count) const {
    return delete_by_keys(table, std::span(&key_column, 1), version_column, count);
}

std::string dialect::delete_by_keys(std::string_view table, std::string_view key_column,
                                    std::size_t count) const {
    return delete_by_keys(table, std::span(&key_column, 1), {}, count);
}

std::string dialect::delete_by_keys(std::string_view table,
                                    std::span<const std::string_view> key_columns,
                                    std::string_view version_column, std::size_t count) const {
    std::string sql = "DELETE FROM ";
    append_identifier(sql, table);
    sql += " WHERE ";
    if (key_columns.size() == 1 && version_column.empty()) {
        append_identifier(sql, key_columns.front());
        sql += " IN ";
        append_value_tuple(sql, 1, count);
        return sql;
    }
    std::size_t param = 0;
    auto equals = [&](std::string_view column) {
        append_identifier(sql, column);
        sql += " = ";
        append_placeholder(sql, ++param);
    };
    for (std::size_t i = 0; i < count; ++i) {
        sql += i ? " OR (" : "(";
        for (std::size_t k = 0; k < key_columns.size(); ++k) {
            if (k) sql += " AND ";
            equals(key_columns[k]);
        }
        if (!version_column.empty()) {
            sql += " AND ";
            equals(version_column);
        }
        sql += ')';
    }
    return sql;
}

std::size_t rows_per_statement(std::size_t columns_per_row, std::size_t parameter_limit,
                               std::size_t page_size) {
    if (columns_per_row == 0) return 1;
    if (columns_per_row > parameter_limit)
        throw usage_error("one row binds " + std::to_string(columns_per_row) +
                          " parameters, more than the connection's limit of " +
                          std::to_string(parameter_limit));
    std::size_t rows = parameter_limit / columns_per_row;
    if (page_size != 0) rows = std::min(rows, page_size);
    return rows;
}

} // namespace tabella

namespace tabella {

std::string dialect::savepoint_sql(std::string_view name) const {
    return "SAVEPOINT " + quote_identifier(name);
}
std::string dialect::release_savepoint_sql(std::string_view name) const {
    return "RELEASE SAVEPOINT " + quote_identifier(name);
}
std::string dialect::rollback_to_savepoint_sql(std::string_view name) const {
    return "ROLLBACK TO SAVEPOINT " + quote_identifier(name);
}
std::string dialect::count_rows(std::string_view table) const {
    std::string out = "SELECT count(*) FROM ";
    append_identifier(out, table);
    return out;
}

} // namespace tabella
