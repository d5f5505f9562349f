// Tables, columns and metadata; create_all / drop_all.
#include "tabella/metadata.hpp"

#include "tabella/detail/schema.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <functional>
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

std::vector<const table*> metadata::sorted_tables() const {
    // Depth-first: a table is placed after every table it references. References to
    // tables outside this metadata and self-references impose no order.
    std::vector<const table*> out;
    std::set<const table*> placed, visiting;
    std::function<void(const table&)> visit = [&](const table& t) {
        if (placed.count(&t) || !visiting.insert(&t).second) return;
        for (const auto referenced : t.referenced_tables())
            for (const auto& other : tables_)
                if (other->name() == referenced && other.get() != &t) visit(*other);
        visiting.erase(&t);
        placed.insert(&t);
        out.push_back(&t);
    };
    for (const auto& t : tables_) visit(*t);
    return out;
}

void metadata::create_all(engine& eng) const {
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    for (const table* t : sorted_tables()) detail::create_table_with_sequences(conn, *t);
    tx.commit();
}

void metadata::drop_all(engine& eng) const {
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    auto tables = sorted_tables();
    std::reverse(tables.begin(), tables.end());
    for (const table* t : tables) detail::drop_table_with_sequences(conn, *t);
    tx.commit();
}

namespace detail {
namespace {

bool names_sequences(connection& conn, const table& t) {
    return connection_access::driver(conn).capabilities().sequences &&
           std::any_of(t.columns().begin(), t.columns().end(),
                       [](const column& c) { return !c.sequence_name().empty(); });
}

} // namespace

void create_table_with_sequences(connection& conn, const table& t) {
    const dialect& d = conn.dialect();
    if (!names_sequences(conn, t)) {
        conn.execute_sql(d.create_table(t));
        return;
    }
    std::vector<column> columns = t.columns();
    for (auto& c : columns) {
        if (c.sequence_name().empty()) continue;
        conn.execute_sql(d.create_sequence(c.sequence_name()));
        if (c.is_primary_key()) c.primary_key(false); // values come from the sequence
    }
    conn.execute_sql(d.create_table(table(t.name(), std::move(columns))));
}

void drop_table_with_sequences(connection& conn, const table& t) {
    const dialect& d = conn.dialect();
    conn.execute_sql(d.drop_table(t));
    if (!names_sequences(conn, t)) return;
    for (const auto& c : t.columns())
        if (!c.sequence_name().empty()) conn.execute_sql(d.drop_sequence(c.sequence_name()));
}

} // namespace detail
} // namespace tabella
