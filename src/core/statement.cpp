// Builders of INSERT, SELECT, UPDATE and DELETE statements.
#include "tabella/statement.hpp"

#include "tabella/error.hpp"
#include "tabella/metadata.hpp"

namespace tabella {

param_set& param_set::set(std::string column, value v) {
    for (auto& [name, val] : items_) {
        if (name == column) {
            val = std::move(v);
            return *this;
        }
    }
    items_.emplace_back(std::move(column), std::move(v));
    return *this;
}

insert_statement& insert_statement::values(param_set row) {
    rows_.assign(1, std::move(row));
    multi_ = false;
    return *this;
}

insert_statement& insert_statement::values(std::vector<param_set> rows) {
    if (rows.empty()) throw usage_error("insert into '" + table_->name() + "': no rows given");
    rows_ = std::move(rows);
    multi_ = true;
    return *this;
}

select_statement select(std::vector<expr> columns) {
    if (columns.empty()) throw usage_error("select(): no expressions given");
    return select_statement(std::move(columns));
}

const table& select_statement::target() const {
    if (!table_) throw usage_error("select(): the statement has no FROM table (select_from())");
    return *table_;
}
select_statement& select_statement::select_from(const table& t) {
    table_ = &t;
    return *this;
}
select_statement& select_statement::group_by(expr e) {
    group_.push_back(std::move(e));
    return *this;
}
select_statement& select_statement::having(condition c) {
    having_ = having_ ? *having_ && c : std::move(c);
    return *this;
}
select_statement& select_statement::distinct() {
    distinct_ = true;
    return *this;
}
select_statement& select_statement::where(condition c) {
    where_ = where_ ? *where_ && c : std::move(c);
    return *this;
}
select_statement& select_statement::join(const table& other, condition on) {
    joins_.push_back({other.name(), std::move(on), false});
    return *this;
}
select_statement& select_statement::left_join(const table& other, condition on) {
    joins_.push_back({other.name(), std::move(on), true});
    return *this;
}
select_statement& select_statement::order_by(order_term term) {
    order_.push_back(std::move(term));
    return *this;
}
select_statement& select_statement::limit(std::int64_t n) {
    if (n < 0) throw usage_error("limit must not be negative");
    limit_ = n;
    return *this;
}
select_statement& select_statement::offset(std::int64_t n) {
    if (n < 0) throw usage_error("offset must not be negative");
    offset_ = n;
    return *this;
}
select_statement& select_statement::columns(std::vector<std::string> names) {
    for (const auto& n : names) (void)target().get_column(n); // unknown names fail here
    columns_ = std::move(names);
    return *this;
}

insert_statement&
insert_statement::on_conflict_do_nothing(std::vector<std::string> conflict_columns) {
    for (const auto& n : conflict_columns) (void)table_->get_column(n);
    conflict_ = on_conflict{std::move(conflict_columns), {}};
    return *this;
}

insert_statement& insert_statement::on_conflict_do_update(std::vector<std::string> conflict_columns,
                                                          std::vector<std::string> update_columns) {
    if (conflict_columns.empty() || update_columns.empty())
        throw usage_error("insert into '" + table_->name() +
                          "': on_conflict_do_update needs the conflict columns and the columns "
                          "to update");
    for (const auto* names : {&conflict_columns, &update_columns})
        for (const auto& n : *names) (void)table_->get_column(n);
    conflict_ = on_conflict{std::move(conflict_columns), std::move(update_columns)};
    return *this;
}

insert_statement& insert_statement::returning(std::vector<std::string> columns) {
    if (columns.empty())
        throw usage_error("insert into '" + table_->name() + "': returning() names no column");
    for (const auto& n : columns) (void)table_->get_column(n);
    returning_ = std::move(columns);
    return *this;
}

update_statement& update_statement::where(condition c) {
    where_ = where_ ? *where_ && c : std::move(c);
    return *this;
}
update_statement& update_statement::set(std::string column, expr e) {
    (void)table_->get_column(column); // an unknown name fails here
    expressions_.emplace_back(std::move(column), std::move(e));
    return *this;
}
update_statement& update_statement::values(param_set values) {
    if (values.empty())
        throw usage_error("update of '" + table_->name() + "': values() names no column");
    for (const auto& [name, v] : values.items()) (void)table_->get_column(name);
    values_ = std::move(values);
    return *this;
}
update_statement& update_statement::returning(std::vector<std::string> columns) {
    for (const auto& n : columns) (void)table_->get_column(n);
    returning_ = std::move(columns);
    return *this;
}

delete_statement& delete_statement::where(condition c) {
    where_ = where_ ? *where_ && c : std::move(c);
    return *this;
}
delete_statement& delete_statement::returning(std::vector<std::string> columns) {
    for (const auto& n : columns) (void)table_->get_column(n);
    returning_ = std::move(columns);
    return *this;
}

insert_statement table::insert() const {
    return insert_statement(*this);
}
select_statement table::select() const {
    return select_statement(*this);
}
update_statement table::update() const {
    return update_statement(*this);
}
delete_statement table::delete_() const {
    return delete_statement(*this);
}

} // namespace tabella
