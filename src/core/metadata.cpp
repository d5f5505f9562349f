// Tables, columns and metadata; create_all / drop_all.
#include "tabella/metadata.hpp"

#include "tabella/error.hpp"

#include <algorithm>
#include <set>

namespace tabella {

column::column(std::string name, column_type type) : name_(std::move(name)), type_(type) {}

column& column::primary_key(bool autoincrement) {
    primary_key_ = true;
    autoincrement_ = autoincrement;
    nullable_ = false;
    return *this;
}
column& column::not_null() {
    nullable_ = false;
    return *this;
}
column& column::nullable(bool yes) {
    nullable_ = yes;
    return *this;
}
column& column::unique() {
    unique_ = true;
    return *this;
}
column& column::index() {
    index_ = true;
    return *this;
}
column& column::server_default(std::string sql_expression) {
    server_default_ = std::move(sql_expression);
    return *this;
}
column& column::sequence(std::string name) {
    if (name.empty()) throw usage_error("column '" + name_ + "': a sequence needs a name");
    if (type_ != column_type::integer && type_ != column_type::big_integer)
        throw usage_error("column '" + name_ +
                          "': only an integer column takes its values from a sequence");
    sequence_ = std::move(name);
    return *this;
}
column& column::references(std::string table_name, std::string column_name,
                           tabella::on_delete action) {
    foreign_key_ = foreign_key_ref{std::move(table_name), std::move(column_name), action};
    return *this;
}

table::table(std::string name, std::vector<column> columns)
    : name_(std::move(name)), columns_(std::move(columns)) {
    if (name_.empty()) throw usage_error("a table needs a name");
    if (columns_.empty()) throw usage_error("table '" + name_ + "' has no columns");
    std::set<std::string_view> seen;
    for (const auto& c : columns_) {
        if (c.name().empty())
            throw usage_error("table '" + name_ + "' has a column without a name");
        if (!seen.insert(c.name()).second)
            throw usage_error("table '" + name_ + "' defines column '" + c.name() + "' twice");
        if (c.foreign_key() && c.foreign_key()->on_delete == tabella::on_delete::set_null &&
            !c.is_nullable())
            throw usage_error("table '" + name_ + "': column '" + c.name() +
                              "' is NOT NULL, so its FOREIGN KEY cannot be ON DELETE SET NULL");
    }
    for (const auto& c : columns_)
        if (c.index_) indexes_.push_back({constraint_name("ix", name_, {c.name()}), {c.name()}});
}

std::optional<std::size_t> table::find_column(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].name() == name) return i;
    return std::nullopt;
}

const column& table::get_column(std::string_view name) const {
    if (const auto i = find_column(name)) return columns_[*i];
    throw usage_error("table '" + name_ + "' has no column '" + std::string(name) + "'");
}

std::optional<std::size_t> table::primary_key_index() const noexcept {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (!columns_[i].is_primary_key()) continue;
        if (found) return std::nullopt; // composite key
        found = i;
    }
    return found;
}

table& table::foreign_key(std::vector<std::string> columns, std::string referenced_table,
                          std::vector<std::string> referenced_columns, tabella::on_delete action) {
    const std::string what = "table '" + name_ + "': a FOREIGN KEY";
    if (columns.empty() || columns.size() != referenced_columns.size())
        throw usage_error(what + " needs as many columns (" + std::to_string(columns.size()) +
                          ") as it references (" + std::to_string(referenced_columns.size()) +
                          "), at least one");
    if (referenced_table.empty()) throw usage_error(what + " needs the table it references");
    for (const auto& name : columns) (void)get_column(name);
    if (action == tabella::on_delete::set_null)
        for (const auto& name : columns)
            if (!get_column(name).is_nullable())
                throw usage_error(what + " with ON DELETE SET NULL needs nullable columns; '" +
                                  name + "' is NOT NULL");
    for (const auto& name : columns) columns_[*find_column(name)].in_constraint_ = true;
    foreign_keys_.push_back(
        {std::move(columns), std::move(referenced_table), std::move(referenced_columns), action});
    return *this;
}

std::vector<std::string_view> table::referenced_tables() const {
    std::vector<std::string_view> out;
    const auto add = [&](std::string_view t) {
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    };
    for (const auto& c : columns_)
        if (c.foreign_key()) add(c.foreign_key()->table);
    for (const auto& fk : foreign_keys_) add(fk.table);
    return out;
}

std::vector<foreign_key_constraint> table::all_foreign_keys() const {
    std::vector<foreign_key_constraint> out;
    for (const auto& c : columns_)
        if (const auto& fk = c.foreign_key())
            out.push_back({{c.name()}, fk->table, {fk->column}, fk->on_delete});
    out.insert(out.end(), foreign_keys_.begin(), foreign_keys_.end());
    return out;
}

column_expr table::c(std::string_view name) const {
    return {name_, get_column(name).name()};
}

metadata::~metadata() = default;

table& metadata::add_table(std::string name, std::vector<column> columns) {
    for (const auto& t : tables_)
        if (t->name() == name) throw usage_error("table '" + name + "' is already defined");
    tables_.push_back(std::make_unique<table>(std::move(name), std::move(columns)));
    return *tables_.back();
}

const table& metadata::get_table(std::string_view name) const {
    for (const auto& t : tables_)
        if (t->name() == name) return *t;
    throw usage_error("metadata has no table '" + std::string(name) + "'");
}

} // namespace tabella
