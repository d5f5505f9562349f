// Dialect-independent DDL: CREATE/DROP TABLE, indexes, foreign keys added to existing
// tables, sequences.
#include "tabella/dialect.hpp"

#include "tabella/error.hpp"

#include <algorithm>

namespace tabella {
namespace {

// RESTRICT is the SQL default (NO ACTION), left unsaid: it is checked at the end of the
// statement, so one DELETE may remove a row and the rows of its table that reference it.
void append_on_delete(std::string& sql, on_delete action) {
    if (action == on_delete::cascade) sql += " ON DELETE CASCADE";
    if (action == on_delete::set_null) sql += " ON DELETE SET NULL";
}

bool is_deferred(std::span<const foreign_key_constraint> deferred,
                 const foreign_key_constraint& fk) {
    return std::find(deferred.begin(), deferred.end(), fk) != deferred.end();
}

} // namespace

void dialect::append_foreign_key(std::string& out, const foreign_key_constraint& fk) const {
    out += "FOREIGN KEY ";
    append_identifier_list(out, fk.columns);
    out += " REFERENCES ";
    append_identifier(out, fk.table);
    out += ' ';
    append_identifier_list(out, fk.referenced_columns);
    append_on_delete(out, fk.on_delete);
}

void dialect::append_constraint_name(std::string& out, std::string_view name) const {
    const std::size_t limit = max_identifier_length();
    if (limit != 0 && name.size() > limit)
        throw usage_error("the name '" + std::string(name) + "' is longer than the " +
                          std::to_string(limit) + " bytes " + std::string(this->name()) +
                          " allows for an identifier");
    append_identifier(out, name);
}

std::string dialect::create_table(const table& t,
                                  std::span<const foreign_key_constraint> deferred) const {
    std::string sql = "CREATE TABLE IF NOT EXISTS ";
    append_identifier(sql, t.name());
    sql += " (";
    const auto key = t.primary_key_index();
    std::vector<std::string> keys;
    for (const auto& c : t.columns()) {
        if (&c != &t.columns().front()) sql += ", ";
        append_identifier(sql, c.name());
        sql += ' ';
        sql += column_type_sql(c, key && &t.columns()[*key] == &c);
        if (!c.is_nullable()) sql += " NOT NULL";
        if (c.default_sql()) sql += " DEFAULT " + *c.default_sql();
        if (c.is_primary_key()) keys.push_back(c.name());
    }
    if (!keys.empty()) {
        sql += ", PRIMARY KEY ";
        append_identifier_list(sql, keys);
    }
    for (const auto& c : t.columns()) {
        if (c.is_unique()) {
            sql += ", UNIQUE (";
            append_identifier(sql, c.name());
            sql += ')';
        }
        if (const auto& fk = c.foreign_key()) {
            const foreign_key_constraint one{{c.name()}, fk->table, {fk->column}, fk->on_delete};
            if (is_deferred(deferred, one)) continue;
            sql += ", ";
            append_foreign_key(sql, one);
        }
    }
    for (const auto& fk : t.foreign_keys()) {
        if (is_deferred(deferred, fk)) continue;
        sql += ", ";
        append_foreign_key(sql, fk);
    }
    for (const auto& uq : t.unique_constraints()) {
        sql += ", CONSTRAINT ";
        append_constraint_name(sql, uq.name);
        sql += " UNIQUE ";
        append_identifier_list(sql, uq.columns);
    }
    sql += ')';
    return sql;
}

void dialect::append_index_columns(std::string& out, const table& t, const table_index& ix) const {
    (void)t;
    append_identifier_list(out, ix.columns);
}

std::string dialect::create_index(const table& t, const table_index& ix) const {
    std::string sql = "CREATE INDEX IF NOT EXISTS ";
    append_constraint_name(sql, ix.name);
    sql += " ON ";
    append_identifier(sql, t.name());
    sql += ' ';
    append_index_columns(sql, t, ix);
    return sql;
}

std::string dialect::add_foreign_key(std::string_view table, const foreign_key_constraint& fk,
                                     std::string_view name) const {
    std::string sql = "ALTER TABLE ";
    append_identifier(sql, table);
    sql += " ADD CONSTRAINT ";
    append_constraint_name(sql, name);
    sql += ' ';
    append_foreign_key(sql, fk);
    return sql;
}

std::string dialect::drop_foreign_key(std::string_view table, std::string_view name) const {
    std::string sql = "ALTER TABLE IF EXISTS ";
    append_identifier(sql, table);
    sql += " DROP CONSTRAINT IF EXISTS ";
    append_constraint_name(sql, name);
    return sql;
}

std::string dialect::drop_table(const table& t) const {
    return "DROP TABLE IF EXISTS " + quote_identifier(t.name());
}

std::string dialect::create_sequence(std::string_view name) const {
    return "CREATE SEQUENCE IF NOT EXISTS " + quote_identifier(name);
}

std::string dialect::drop_sequence(std::string_view name) const {
    return "DROP SEQUENCE IF EXISTS " + quote_identifier(name);
}

} // namespace tabella
