// Loading objects: get() by key and queries, through the identity map, so one row is
// one object in a session.
#include "session_state.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/query.hpp"

#include <span>
#include <unordered_map>
#include <vector>

namespace tabella {
namespace detail {
namespace {

void load_into(const entity_mapping& m, void* obj, const param_ref* cells, key_view key) {
    try {
        m.load_view_row(obj, cells);
    } catch (const conversion_error& err) {
        throw conversion_error("loading " + m.table.name() + " row with key " +
                               describe_key(m, key) + " into " + m.struct_name + ": " + err.what());
    }
}

// The key of a result row; a key that cannot be read names the table and the column.
key_view row_key_of(table_runtime& t, const param_ref* cells) {
    const entity_mapping& m = *t.map;
    if (m.integer_key && cells[m.key_index].kind == value_kind::integer)
        return {cells[m.key_index].integer, {}};
    try {
        // Other keys convert as their members do, through values kept from row to row.
        t.key_cells.resize(m.column_count());
        for (const auto c : m.key_columns) t.key_cells[c] = value::from_ref(cells[c]);
        return cells_key(m, t.key_cells.data(), t.key_buffer);
    } catch (const conversion_error& err) {
        std::string columns;
        for (const auto c : m.key_columns)
            columns += (columns.empty() ? "" : ", ") + m.table.columns()[c].name();
        throw conversion_error("loading " + m.table.name() + " into " + m.struct_name +
                               ": the key (" + columns +
                               ") of a row cannot be read: " + err.what());
    }
}

// The tracked object for one result row, loading a new one when the key is not tracked.
// A tracked object is returned as it is (loading never overwrites the session's changes)
// unless `overwrite` (populate_existing) asks for the row's values in a persistent one.
void* materialize(table_runtime& t, const param_ref* cells, bool overwrite) {
    const entity_mapping& m = *t.map;
    const key_view key = row_key_of(t, cells);
    if (const auto e = t.identity.find(key)) {
        if (overwrite && t.states[*e] == object_state::persistent &&
            !(t.marks[*e] & mark_removing)) {
            load_into(m, t.objects[*e], cells, key);
            t.marks[*e] &= static_cast<std::uint8_t>(~mark_stale); // it holds its row now
            t.take_snapshot(*e);
        }
        return t.objects[*e];
    }
    void* obj = t.store->emplace();
    const auto e = t.add_entries(obj, 1, m.object_size, object_state::detached);
    load_into(m, obj, cells, key);
    t.make_persistent(e, key);
    if (t.track_changes && !t.snapshot_cells(e, cells)) t.take_snapshot(e);
    return obj;
}

// Makes each row the driver reads into an object of `t` (in the one pass: the identity
// map, the object's members, its snapshot), handed to `out`.
class materializer final : public row_sink {
  public:
    materializer(table_runtime& t, object_sink out, bool overwrite) noexcept
        : t_(t), out_(out), overwrite_(overwrite) {}
    void row(std::span<const param_ref> cells) override {
        out_.append(out_.target, materialize(t_, cells.data(), overwrite_));
    }

  private:
    table_runtime& t_;
    object_sink out_;
    bool overwrite_;
};

// A sink that appends to a std::vector<void*>.
object_sink into(std::vector<void*>& objects) noexcept {
    return {&objects, [](void* target, void* object) {
                static_cast<std::vector<void*>*>(target)->push_back(object);
            }};
}

} // namespace

void load_rows(session_state& s, const entity_mapping& m, const compiled_statement& q,
               bool overwrite, object_sink out) {
    materializer sink(s.runtime(m), out, overwrite);
    (void)execute_each(s.conn(), q.sql, q.params, sink);
}

std::vector<void*> load_rows(session_state& s, const entity_mapping& m, const compiled_statement& q,
                             bool overwrite) {
    std::vector<void*> out;
    load_rows(s, m, q, overwrite, into(out));
    return out;
}

std::vector<void*> load_rows(session_state& s, const entity_mapping& m, prepared_statement& stmt,
                             std::span<const param_ref> params) {
    std::vector<void*> out;
    materializer sink(s.runtime(m), into(out), false);
    (void)execute_each(s.conn(), stmt, params, sink);
    return out;
}

namespace {

// The ON condition of a join along `r` of `m`: each ref column equals its parent's key column.
condition join_condition(const entity_mapping& m, const relationship& r) {
    const entity_mapping& parent = r.parent();
    if (&parent == &m)
        throw usage_error("query<" + m.struct_name +
                          ">().join(): a ref to the same table needs "
                          "a table alias, which queries do not have yet");
    std::optional<condition> on;
    for (std::size_t k = 0; k < r.width; ++k) {
        const auto c =
            column_expr(m.table.name(), m.table.columns()[r.column + k].name()) ==
            column_expr(parent.table.name(), parent.table.columns()[parent.key_columns[k]].name());
        on = on ? *on && c : c;
    }
    return *on;
}

// The joins of `spec` on `m`'s table.
std::vector<join_clause> joins_of(const entity_mapping& m, const query_spec& spec) {
    std::vector<join_clause> out;
    for (const auto& [r, left] : spec.joins)
        out.push_back({r->parent().table.name(), join_condition(m, *r), left});
    return out;
}

} // namespace

void apply_query_spec(select_statement& stmt, const entity_mapping& m, const query_spec& spec) {
    for (const auto& [r, left] : spec.joins) {
        if (left)
            stmt.left_join(r->parent().table, join_condition(m, *r));
        else
            stmt.join(r->parent().table, join_condition(m, *r));
    }
    if (spec.where) stmt.where(*spec.where);
    for (const auto& g : spec.group) stmt.group_by(g);
    if (spec.having) stmt.having(*spec.having);
    if (spec.distinct) stmt.distinct();
    for (const auto& o : spec.order) stmt.order_by(o);
    if (spec.limit) stmt.limit(*spec.limit);
    if (spec.offset) stmt.offset(*spec.offset);
}

void run_query(session_state& s, const entity_mapping& m, const query_spec& spec, object_sink out) {
    const auto q = compile_query(s.conn(), m, spec); // a misused query fails before autoflush
    s.autoflush();
    if (spec.for_update) s.begin(); // the locks last until the session's transaction ends
    // Rows of objects removed but not flushed are results too (autoflush off): all()
    // agrees with count(), as in SQLAlchemy.
    if (spec.parent_loads.empty() && spec.child_loads.empty())
        return load_rows(s, m, q, spec.populate_existing, out);
    auto objects = load_rows(s, m, q, spec.populate_existing);
    for (const relationship* r : spec.parent_loads) load_parents(s, m, *r, objects);
    for (const auto& [child, r] : spec.child_loads) load_children(s, m, objects, *child, *r);
    for (void* obj : objects) out.append(out.target, obj);
}

std::vector<void*> run_query(session_state& s, const entity_mapping& m, const query_spec& spec) {
    std::vector<void*> objects;
    run_query(s, m, spec, into(objects));
    return objects;
}

compiled_statement compile_query(connection& conn, const entity_mapping& m,
                                 const query_spec& spec) {
    if (!spec.selected.empty())
        throw usage_error("query<" + m.struct_name +
                          ">(): select() makes a projection; read it with tuples<...>()");
    auto stmt = m.table.select();
    apply_query_spec(stmt, m, spec);
    auto q = compile_select(stmt, conn.dialect());
    if (spec.for_update) q.sql += conn.dialect().for_update_clause();
    return q;
}

std::int64_t count_query(session_state& s, const entity_mapping& m, const query_spec& spec) {
    s.autoflush();
    const dialect& d = s.conn().dialect();
    compiled_statement q;
    if (!spec.selected.empty() || !spec.group.empty() || spec.distinct) { // count its rows
        // Grouped without select(): a row per group, its GROUP BY expressions.
        select_statement inner = !spec.selected.empty() ? select_statement(spec.selected)
                                 : !spec.group.empty()  ? select_statement(spec.group)
                                                        : m.table.select();
        inner.select_from(m.table);
        apply_query_spec(inner, m, spec);
        q.sql = "SELECT COUNT(*) FROM (";
        append_select(inner, d, q);
        q.sql += ") counted";
        return s.conn().execute_sql(q.sql, q.params).scalar<std::int64_t>();
    }
    q.sql = d.count_rows(m.table.name());
    render_joins(joins_of(m, spec), d, q);
    if (spec.where) {
        q.sql += " WHERE ";
        render_condition(*spec.where, d, q);
    }
    return s.conn().execute_sql(q.sql, q.params).scalar<std::int64_t>();
}

} // namespace detail

void* session::get_raw(const detail::entity_mapping& m, std::span<const param_ref> key_parts) {
    auto& t = state().runtime(m);
    std::string buffer;
    const detail::key_view key = detail::params_key(m, key_parts, buffer);
    auto tracked = [&]() -> void* {
        const auto e = t.identity.find(key);
        if (!e) return nullptr;
        return (t.marks[*e] & detail::mark_removing) ? nullptr : t.objects[*e];
    };
    if (void* obj = tracked()) return obj; // an identity-map hit sends nothing
    state_->autoflush();
    if (void* obj = tracked()) return obj;
    if (t.identity.find(key)) return nullptr; // removed, not flushed (autoflush off)
    // One statement per mapped type, prepared at the first get() and reused.
    if (t.get_sql.empty())
        t.get_sql = detail::compile_select(m.table.select().where(detail::key_equals(m, key)),
                                           state_->conn().dialect())
                        .sql;
    std::vector<param_ref> params(m.key_columns.size());
    detail::bind_key(m, key, params.data());
    const auto found = detail::load_rows(*state_, m, state_->statement(t.get_sql), params);
    return found.empty() ? nullptr : found.front();
}

namespace detail {

void reload(connection& conn, table_runtime& t, const std::vector<std::uint32_t>& entries) {
    const entity_mapping& m = *t.map;
    const std::size_t per_statement = rows_per_statement(
        m.key_columns.size(), conn.parameter_limit(), m.key_columns.size() == 1 ? 1000 : 100);
    std::vector<bool> found(entries.size(), false);
    key_map<std::size_t> position;
    for (std::size_t i = 0; i < entries.size(); ++i)
        position.emplace(owned_key(t.keys[entries[i]]), i);
    std::vector<key_view> keys;
    for (std::size_t first = 0; first < entries.size(); first += per_statement) {
        const std::size_t n = std::min(per_statement, entries.size() - first);
        keys.clear();
        for (std::size_t i = first; i < first + n; ++i) keys.push_back(t.keys[entries[i]]);
        auto stmt = m.table.select().where(key_in(m, keys));
        const auto q = compile_select(stmt, conn.dialect());
        row_buffer rows;
        (void)execute_rows(conn, q.sql, q.params, rows);
        const std::size_t width = rows.columns.size();
        std::vector<param_ref> refs(width);
        for (std::size_t row = 0; row < rows.row_count(); ++row) {
            for (std::size_t c = 0; c < width; ++c) refs[c] = rows.cells[row * width + c].ref();
            const param_ref* cells = refs.data();
            const auto it = position.find(row_key_of(t, cells));
            if (it == position.end()) continue;
            const auto e = entries[it->second];
            load_into(m, t.objects[e], cells, it->first.view());
            t.take_snapshot(e);
            found[it->second] = true;
        }
    }
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (!found[i]) t.detach(entries[i]); // its row is gone
}

} // namespace detail
} // namespace tabella
