// Loading objects: get() by key and queries, through the identity map, so one row is
// one object in a session.
#include "session_state.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/query.hpp"

namespace tabella {
namespace detail {
namespace {

// The tracked object for one result row, loading a new one when the key is not tracked.
void* materialize(table_runtime& t, const value* cells) {
    const entity_mapping& m = *t.map;
    const auto key = cells[m.key_index].as<std::int64_t>();
    if (const auto e = t.identity.find(key)) return t.objects[*e];
    void* obj = t.store->emplace();
    try {
        m.load_row(obj, cells);
    } catch (const conversion_error& err) {
        throw conversion_error("loading " + m.table.name() + " row with key " +
                               std::to_string(key) + " into " + m.struct_name + ": " + err.what());
    }
    const auto e = t.add_entry(obj, entry_persistent);
    t.take_snapshot(e);
    t.identity.insert(key, e);
    return obj;
}

std::vector<void*> load_rows(session_state& s, const entity_mapping& m,
                             const compiled_statement& q) {
    auto res = s.conn().execute_sql(q.sql, q.params);
    table_runtime& t = s.runtime(m);
    std::vector<void*> out;
    out.reserve(res.size());
    for (const auto& r : res) out.push_back(materialize(t, r.values().data()));
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
    const auto q = compile_select(stmt, s.conn().dialect());
    auto objects = load_rows(s, m, q);
    // Objects removed in this session but not yet flushed are not results.
    table_runtime& t = s.runtime(m);
    std::erase_if(objects, [&](void* obj) {
        const auto e = t.entry_of(obj);
        return e && (t.flags[*e] & entry_removing);
    });
    return objects;
}

std::int64_t count_query(session_state& s, const entity_mapping& m, const query_spec& spec) {
    s.autoflush();
    const dialect& d = s.conn().dialect();
    compiled_statement q;
    q.sql = "SELECT count(*) FROM " + d.quote_identifier(m.table.name());
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
        return (t.flags[*e] & detail::entry_removing) ? nullptr : t.objects[*e];
    };
    if (void* obj = tracked()) return obj;
    state_->autoflush();
    if (void* obj = tracked()) return obj;
    auto stmt = m.table.select().where(detail::column_of(m, m.key_index) == key);
    const auto q = detail::compile_select(stmt, state_->conn().dialect());
    const auto found = detail::load_rows(*state_, m, q);
    return found.empty() ? nullptr : found.front();
}

} // namespace tabella
