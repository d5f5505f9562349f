// Projections (query<T>().select(...).tuples<...>()) and bulk UPDATE / DELETE by criteria,
// with the objects the session holds brought in line.
#include "session_state.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/query.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

// A bulk statement takes where() only: the rest of a query has no meaning there.
void check_bulk(const entity_mapping& m, const query_spec& spec, const char* what) {
    if (!spec.joins.empty() || !spec.order.empty() || spec.limit || spec.offset ||
        !spec.selected.empty() || !spec.group.empty() || spec.having || spec.distinct ||
        spec.for_update || !spec.parent_loads.empty() || !spec.child_loads.empty())
        throw usage_error("query<" + m.struct_name + ">()." + what +
                          "(): takes where() only (no join, order, limit, select, group or "
                          "load)");
}

std::vector<std::string> all_columns(const entity_mapping& m) {
    std::vector<std::string> out;
    for (const auto& c : m.table.columns()) out.push_back(c.name());
    return out;
}

// The persistent entries the session holds for the rows in `rows` (whole rows of m's table).
std::vector<std::uint32_t> held_entries(table_runtime& t, const row_buffer& rows) {
    std::vector<std::uint32_t> out;
    const std::size_t width = rows.columns.size();
    for (std::size_t r = 0; r < rows.row_count(); ++r) {
        const auto key = cells_key(*t.map, rows.cells.data() + r * width, t.key_buffer);
        const auto e = t.identity.find(key);
        if (e && t.states[*e] == object_state::persistent) out.push_back(*e);
    }
    return out;
}

// The table runtime of m when the session holds persistent objects of it.
table_runtime* holding(session_state& s, const entity_mapping& m) {
    table_runtime* t = s.find_runtime(m);
    if (!t) return nullptr;
    const bool any =
        std::find(t->states.begin(), t->states.end(), object_state::persistent) != t->states.end();
    return any ? t : nullptr;
}

// Sends `q`, reading the rows it returns into `rows`; the count of rows it changed.
std::int64_t run(session_state& s, const compiled_statement& q, row_buffer& rows) {
    return execute_rows(s.conn(), q.sql, q.params, rows);
}

} // namespace

void projection_mismatch(std::size_t index, const char* what) {
    throw conversion_error("tuples(): column " + std::to_string(index) + ": " + what);
}

std::vector<value> run_projection(session_state& s, const entity_mapping& m, const query_spec& spec,
                                  std::size_t width) {
    if (spec.selected.empty())
        throw usage_error("query<" + m.struct_name + ">().tuples(): select() names no expression");
    if (spec.selected.size() != width)
        throw usage_error("query<" + m.struct_name +
                          ">().tuples(): " + std::to_string(spec.selected.size()) +
                          " expressions selected, " + std::to_string(width) + " types given");
    s.autoflush();
    select_statement stmt(spec.selected);
    stmt.select_from(m.table);
    apply_query_spec(stmt, m, spec);
    const auto q = compile_select(stmt, s.conn().dialect());
    row_buffer rows;
    (void)run(s, q, rows);
    return std::move(rows.cells);
}

std::int64_t bulk_update(session_state& s, const entity_mapping& m, const query_spec& spec,
                         std::vector<column_assignment> values) {
    check_bulk(m, spec, "update");
    s.autoflush();
    update_statement stmt(m.table);
    if (spec.where) stmt.where(*spec.where);
    param_set set;
    for (const auto& a : values) {
        if (std::find(m.key_columns.begin(), m.key_columns.end(), a.column) != m.key_columns.end())
            throw usage_error("query<" + m.struct_name + ">().update(): the key column " +
                              m.table.columns()[a.column].name() + " cannot be set");
        set.set(m.table.columns()[a.column].name(), a.v);
    }
    stmt.values(std::move(set));
    const bool versioned = m.versioned();
    if (versioned) {
        const std::string& v = m.table.columns()[m.version_index].name();
        stmt.set(v, column_expr(m.table.name(), v) + 1);
    }
    const dialect& d = s.conn().dialect();
    table_runtime* t = holding(s, m);
    s.begin(); // the rows and the objects change together, or not at all
    row_buffer rows;
    std::int64_t changed = 0;
    if (t && d.returns_from_update()) {
        stmt.returning(all_columns(m));
        changed = run(s, compile_update(stmt, d), rows);
    } else {
        if (t) { // which rows: read (and lock) them first
            auto select = m.table.select();
            if (spec.where) select.where(*spec.where);
            auto q = compile_select(select, d);
            q.sql += d.for_update_clause();
            (void)run(s, q, rows);
        }
        row_buffer none;
        changed = run(s, compile_update(stmt, d), none);
    }
    if (!t) return changed;
    const epoch at = s.stamp_write();
    for (const auto e : held_entries(*t, rows)) {
        void* obj = t->objects[e];
        const bool clean = !t->is_modified(e); // else its changes are still to be sent
        for (const auto& a : values) m.load_column(obj, a.column, a.v);
        if (versioned) m.set_version(obj, m.get_version(obj) + 1);
        if (clean) t->take_snapshot(e);
        t->written_at[e] = at;
    }
    return changed;
}

std::int64_t bulk_delete(session_state& s, const entity_mapping& m, const query_spec& spec) {
    check_bulk(m, spec, "remove");
    s.autoflush();
    delete_statement stmt(m.table);
    if (spec.where) stmt.where(*spec.where);
    table_runtime* t = holding(s, m);
    if (t) stmt.returning(all_columns(m));
    s.begin();
    row_buffer rows;
    const std::int64_t changed = run(s, compile_delete(stmt, s.conn().dialect()), rows);
    if (!t) return changed;
    const epoch at = s.stamp_write();
    for (const auto e : held_entries(*t, rows)) {
        t->identity.erase(t->keys[e]);
        t->states[e] = object_state::deleted;
        if (t->marks[e] & mark_removing) {
            t->marks[e] &= static_cast<std::uint8_t>(~mark_removing);
            --t->removing;
        }
        t->written_at[e] = at;
        ++t->changes;
    }
    s.relations().clear(); // loaded collections may hold the deleted objects
    return changed;
}

} // namespace tabella::detail
