// create_all / drop_all: tables in dependency order, the foreign keys that close a cycle
// added after the tables exist, indexes, and the sequences columns name.
#include "tabella/detail/schema.hpp"

#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace tabella {
namespace detail {
namespace {

bool names_sequences(connection& conn, const table& t) {
    return connection_access::driver(conn).capabilities().sequences &&
           std::any_of(t.columns().begin(), t.columns().end(),
                       [](const column& c) { return !c.sequence_name().empty(); });
}

// Where the driver has sequences, CREATE SEQUENCE for each sequence a column names, and such
// a key column is a plain integer (its values come from the sequence); then CREATE TABLE
// without the foreign keys in `deferred`.
void create_table(connection& conn, const table& t,
                  std::span<const foreign_key_constraint> deferred) {
    const dialect& d = conn.dialect();
    if (!names_sequences(conn, t)) {
        conn.execute_sql(d.create_table(t, deferred));
        return;
    }
    std::vector<column> columns = t.columns();
    for (auto& c : columns) {
        if (c.sequence_name().empty()) continue;
        conn.execute_sql(d.create_sequence(c.sequence_name()));
        if (c.is_primary_key()) c.primary_key(false);
    }
    conn.execute_sql(d.create_table(with_columns(t, std::move(columns)), deferred));
}

void drop_table(connection& conn, const table& t) {
    const dialect& d = conn.dialect();
    conn.execute_sql(d.drop_table(t));
    if (!names_sequences(conn, t)) return;
    for (const auto& c : t.columns())
        if (!c.sequence_name().empty()) conn.execute_sql(d.drop_sequence(c.sequence_name()));
}

} // namespace

schema_plan plan_schema(std::span<const table* const> tables) {
    schema_plan plan;
    std::set<const table*> placed, visiting;
    const auto find = [&](std::string_view name) -> const table* {
        const auto it = std::find_if(tables.begin(), tables.end(),
                                     [&](const table* t) { return t->name() == name; });
        return it == tables.end() ? nullptr : *it;
    };
    // Depth-first: a table is placed after the tables it references; a reference to a table
    // the walk is still inside closes a cycle and is deferred.
    std::function<void(const table&)> visit = [&](const table& t) {
        visiting.insert(&t);
        for (auto& fk : t.all_foreign_keys()) {
            const table* parent = find(fk.table);
            if (!parent || parent == &t || placed.count(parent)) continue;
            if (visiting.count(parent)) {
                std::string name = constraint_name("fk", t.name(), fk.columns);
                plan.deferred.push_back({&t, std::move(fk), std::move(name)});
            } else {
                visit(*parent);
            }
        }
        visiting.erase(&t);
        placed.insert(&t);
        plan.order.push_back(&t);
    };
    for (const table* t : tables)
        if (!placed.count(t)) visit(*t);
    return plan;
}

void create_schema(connection& conn, std::span<const table* const> tables) {
    const dialect& d = conn.dialect();
    const schema_plan plan = plan_schema(tables);
    const bool add_later = d.can_add_foreign_keys();
    for (const table* t : plan.order) {
        std::vector<foreign_key_constraint> deferred;
        for (const auto& f : plan.deferred)
            if (add_later && f.owner == t) deferred.push_back(f.fk);
        create_table(conn, *t, deferred);
        for (const auto& ix : t->indexes()) conn.execute_sql(d.create_index(*t, ix));
        for (const auto& ix : t->foreign_key_indexes()) conn.execute_sql(d.create_index(*t, ix));
    }
    if (!add_later) return; // SQLite: forward references stayed in CREATE TABLE
    for (const auto& f : plan.deferred)
        conn.execute_sql(d.add_foreign_key(f.owner->name(), f.fk, f.name));
}

void drop_schema(connection& conn, std::span<const table* const> tables) {
    const dialect& d = conn.dialect();
    const schema_plan plan = plan_schema(tables);
    if (!plan.deferred.empty() && d.can_add_foreign_keys()) {
        for (const auto& f : plan.deferred)
            conn.execute_sql(d.drop_foreign_key(f.owner->name(), f.name));
    } else if (!plan.deferred.empty() && !d.defer_foreign_keys_sql().empty()) {
        conn.execute_sql(d.defer_foreign_keys_sql());
    }
    for (auto it = plan.order.rbegin(); it != plan.order.rend(); ++it) drop_table(conn, **it);
}

table with_columns(const table& t, std::vector<column> columns) {
    table out(t.name(), std::move(columns));
    for (const auto& fk : t.foreign_keys())
        out.foreign_key(fk.columns, fk.table, fk.referenced_columns, fk.on_delete);
    for (const auto& ix : t.indexes()) {
        const auto& made = out.indexes(); // by the columns' own index()
        if (std::none_of(made.begin(), made.end(),
                         [&](const table_index& m) { return m.name == ix.name; }))
            out.index(ix.columns, ix.name);
    }
    for (const auto& uq : t.unique_constraints()) out.unique(uq.columns, uq.name);
    return out;
}

} // namespace detail

std::vector<const table*> metadata::sorted_tables() const {
    std::vector<const table*> all;
    for (const auto& t : tables_) all.push_back(t.get());
    return detail::plan_schema(all).order;
}

void metadata::create_all(engine& eng) const {
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    std::vector<const table*> all;
    for (const auto& t : tables_) all.push_back(t.get());
    detail::create_schema(conn, all);
    tx.commit();
}

void metadata::drop_all(engine& eng) const {
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    std::vector<const table*> all;
    for (const auto& t : tables_) all.push_back(t.get());
    detail::drop_schema(conn, all);
    tx.commit();
}

} // namespace tabella
