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

namespace {

// The UPDATE of `values` (and of the version column) for where().
update_statement bulk_update_statement(const entity_mapping& m, const query_spec& spec,
                                       const std::vector<column_assignment>& values) {
    update_statement stmt(m.table);
    if (spec.where) stmt.where(*spec.where);
    param_set set;
    for (const auto& a : values) {
        const std::string what = "query<" + m.struct_name + ">().update(): ";
        if (a.column >= m.column_count())
            throw usage_error(what + "set() names a member that is not mapped");
        const std::string& name = m.table.columns()[a.column].name();
        if (std::find(m.key_columns.begin(), m.key_columns.end(), a.column) != m.key_columns.end())
            throw usage_error(what + "the key column " + name + " cannot be set");
        if (m.versioned() && a.column == m.version_index)
            throw usage_error(what + "the version column " + name + " moves on by itself");
        check_value(m.table, m.table.columns()[a.column], a.v);
        set.set(name, a.v);
    }
    stmt.values(std::move(set));
    if (m.versioned()) {
        const std::string& v = m.table.columns()[m.version_index].name();
        stmt.set(v, column_expr(m.table.name(), v) + 1);
    }
    return stmt;
}

// Brings the held objects of the updated `rows` in line with `values`.
void sync_updated(table_runtime& t, const row_buffer& rows,
                  const std::vector<column_assignment>& values, epoch at) {
    const entity_mapping& m = *t.map;
    for (const auto e : held_entries(t, rows)) {
        void* obj = t.objects[e];
        const bool clean = !t.is_modified(e); // else its changes are still to be sent
        for (const auto& a : values) m.load_column(obj, a.column, a.v);
        if (m.versioned()) m.set_version(obj, m.get_version(obj) + 1);
        if (clean) t.take_snapshot(e);
        t.written_at.set(e, at);
        ++t.changes;
    }
}

} // namespace

std::int64_t bulk_update(session_state& s, const entity_mapping& m, const query_spec& spec,
                         std::vector<column_assignment> values) {
    check_bulk(m, spec, "update");
    auto stmt = bulk_update_statement(m, spec, values);
    s.autoflush();
    const dialect& d = s.conn().dialect();
    const bool held = holding(s, m) != nullptr;
    row_buffer rows; // the updated rows the session may hold
    std::int64_t changed = 0;
    auto& t = s.runtime(m);
    const epoch at = s.run_bulk(t, [&] {
        if (held && d.returns_from_update()) {
            stmt.returning(all_columns(m));
            changed = run(s, compile_update(stmt, d), rows);
            return;
        }
        if (held) { // which rows: read (and lock) them first
            auto select = m.table.select();
            if (spec.where) select.where(*spec.where);
            auto q = compile_select(select, d);
            q.sql += d.for_update_clause();
            (void)run(s, q, rows);
        }
        row_buffer none;
        changed = run(s, compile_update(stmt, d), none);
    });
    s.relations().clear(); // a ref that moved changes loaded collections
    if (held) sync_updated(t, rows, values, at);
    return changed;
}

std::int64_t bulk_delete(session_state& s, const entity_mapping& m, const query_spec& spec) {
    check_bulk(m, spec, "remove");
    s.autoflush();
    delete_statement stmt(m.table);
    if (spec.where) stmt.where(*spec.where);
    const bool held = holding(s, m) != nullptr;
    if (held) stmt.returning(all_columns(m));
    row_buffer rows;
    std::int64_t changed = 0;
    auto& t = s.runtime(m);
    const epoch at =
        s.run_bulk(t, [&] { changed = run(s, compile_delete(stmt, s.conn().dialect()), rows); });
    s.relations().clear(); // loaded collections may hold the deleted objects
    if (!held) return changed;
    for (const auto e : held_entries(t, rows)) {
        t.identity.erase(t.keys[e]);
        t.states[e] = object_state::deleted;
        if (t.marks[e] & mark_removing) {
            t.marks[e] &= static_cast<std::uint8_t>(~mark_removing);
            --t.removing;
        }
        t.written_at.set(e, at);
        ++t.changes;
    }
    return changed;
}

} // namespace tabella::detail
