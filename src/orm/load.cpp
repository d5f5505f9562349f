// Loading objects: get() by key and queries, through the identity map, so one row is
// one object in a session.
#include "session_state.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/query.hpp"

#include <unordered_map>

namespace tabella {
namespace detail {
namespace {

void load_into(const entity_mapping& m, void* obj, const value* cells, std::int64_t key) {
    try {
        m.load_row(obj, cells);
    } catch (const conversion_error& err) {
        throw conversion_error("loading " + m.table.name() + " row with key " +
                               std::to_string(key) + " into " + m.struct_name + ": " + err.what());
    }
}

// The tracked object for one result row, loading a new one when the key is not tracked.
// A tracked object is returned as it is (loading never overwrites the session's changes)
// unless `overwrite` (populate_existing) asks for the row's values in a persistent one.
void* materialize(table_runtime& t, const value* cells, bool overwrite) {
    const entity_mapping& m = *t.map;
    const auto key = cells[m.key_index].as<std::int64_t>();
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
    t.take_snapshot(e);
    return obj;
}

std::vector<void*> load_rows(session_state& s, const entity_mapping& m, const compiled_statement& q,
                             bool overwrite = false) {
    auto res = s.conn().execute_sql(q.sql, q.params);
    table_runtime& t = s.runtime(m);
    std::vector<void*> out;
    out.reserve(res.size());
    for (const auto& r : res) out.push_back(materialize(t, r.values().data(), overwrite));
    return out;
}

void apply_spec(select_statement& stmt, const query_spec& spec) {
    if (spec.where) stmt.where(*spec.where);
    for (const auto& o : spec.order) stmt.order_by(o);
    if (spec.limit) stmt.limit(*spec.limit);
    if (spec.offset) stmt.offset(*spec.offset);
}

} // namespace

std::vector<void*> run_query(session_state& s, const entity_mapping& m, const query_spec& spec) {
    s.autoflush();
    auto stmt = m.table.select();
    apply_spec(stmt, spec);
    if (spec.for_update) s.begin(); // the locks last until the session's transaction ends
    auto q = compile_select(stmt, s.conn().dialect());
    if (spec.for_update) q.sql += s.conn().dialect().for_update_clause();
    // Rows of objects removed but not flushed are results too (autoflush off): all()
    // agrees with count(), as in SQLAlchemy.
    return load_rows(s, m, q, spec.populate_existing);
}

std::int64_t count_query(session_state& s, const entity_mapping& m, const query_spec& spec) {
    s.autoflush();
    const dialect& d = s.conn().dialect();
    compiled_statement q;
    q.sql = d.count_rows(m.table.name());
    if (spec.where) {
        q.sql += " WHERE ";
        render_condition(*spec.where, d, q);
    }
    return s.conn().execute_sql(q.sql, q.params).scalar<std::int64_t>();
}

} // namespace detail

void* session::get_raw(const detail::entity_mapping& m, std::int64_t key) {
    auto& t = state().runtime(m);
    auto tracked = [&]() -> void* {
        const auto e = t.identity.find(key);
        if (!e) return nullptr;
        return (t.marks[*e] & detail::mark_removing) ? nullptr : t.objects[*e];
    };
    if (void* obj = tracked()) return obj; // an identity-map hit sends nothing
    state_->autoflush();
    if (void* obj = tracked()) return obj;
    if (t.identity.find(key)) return nullptr; // removed, not flushed (autoflush off)
    auto stmt = m.table.select().where(detail::column_of(m, m.key_index) == key);
    const auto q = detail::compile_select(stmt, state_->conn().dialect());
    const auto found = detail::load_rows(*state_, m, q);
    return found.empty() ? nullptr : found.front();
}

namespace detail {

void reload(connection& conn, table_runtime& t, const std::vector<std::uint32_t>& entries) {
    const entity_mapping& m = *t.map;
    const std::size_t per_statement = rows_per_statement(1, conn.parameter_limit(), 1000);
    std::vector<bool> found(entries.size(), false);
    std::unordered_map<std::int64_t, std::size_t> position;
    for (std::size_t i = 0; i < entries.size(); ++i) position.emplace(t.keys[entries[i]], i);
    for (std::size_t first = 0; first < entries.size(); first += per_statement) {
        const std::size_t n = std::min(per_statement, entries.size() - first);
        std::vector<value> keys;
        for (std::size_t i = first; i < first + n; ++i) keys.emplace_back(t.keys[entries[i]]);
        auto stmt = m.table.select().where(column_of(m, m.key_index).in_(std::move(keys)));
        const auto q = compile_select(stmt, conn.dialect());
        const auto res = conn.execute_sql(q.sql, q.params);
        for (const auto& r : res) {
            const value* cells = r.values().data();
            const auto it = position.find(cells[m.key_index].as<std::int64_t>());
            if (it == position.end()) continue;
            const auto e = entries[it->second];
            m.load_row(t.objects[e], cells);
            t.take_snapshot(e);
            found[it->second] = true;
        }
    }
    for (std::size_t i = 0; i < entries.size(); ++i)
        if (!found[i]) t.detach(entries[i]); // its row is gone
}

} // namespace detail
} // namespace tabella
