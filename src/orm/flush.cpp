// One flush: inserts (parents first), updates, deletes (children first), then the
// session's bookkeeping. Objects are restored when anything fails.
#include "flush.hpp"

#include "tabella/error.hpp"

namespace tabella::detail {
namespace {

// Undoes what a failed flush did to the objects: generated keys written into them.
void restore_objects(session_state& s) noexcept {
    for (const auto& t : s.tables()) {
        for (std::uint32_t e = 0; e < t->objects.size(); ++e) {
            auto& f = t->flags[e];
            if (!(f & entry_key_assigned)) continue;
            t->map->set_key(t->objects[e], std::nullopt);
            f &= static_cast<std::uint16_t>(~entry_key_assigned);
        }
    }
}

void mark_inserted(table_runtime& t) {
    for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
        auto& f = t.flags[e];
        if (!(f & entry_pending)) continue;
        const bool generated = f & entry_key_assigned;
        f = static_cast<std::uint16_t>(entry_persistent | entry_inserted_in_tx |
                                       (generated ? entry_key_generated : 0));
        t.take_snapshot(e);
        t.identity.insert(*t.map->get_key(t.objects[e]), e);
    }
    t.pending = 0;
}

void mark_deleted(table_runtime& t) {
    for (std::uint32_t e = 0; e < t.objects.size() && t.removing; ++e) {
        auto& f = t.flags[e];
        if (!(f & entry_removing)) continue;
        t.identity.erase(*t.map->get_key(t.objects[e]));
        f = static_cast<std::uint16_t>(entry_gone | entry_deleted_in_tx |
                                       (f & (entry_inserted_in_tx | entry_key_generated)));
        --t.removing;
    }
}

// The session's tables, parents (tables that others reference with ref<P>) first.
std::vector<table_runtime*> parents_first(const session_state& s) {
    std::vector<const entity_mapping*> mappings;
    for (const auto& t : s.tables()) mappings.push_back(t->map);
    std::vector<table_runtime*> out;
    for (const auto* m : detail::parents_first(mappings))
        for (const auto& t : s.tables())
            if (t->map == m) out.push_back(t.get());
    return out;
}

} // namespace

void run_flush(session_state& s, connection& conn) {
    const auto tables = parents_first(s);
    std::vector<std::vector<std::uint32_t>> updated(tables.size());
    try {
        for (auto* t : tables)
            if (t->pending) insert_pending(conn, *t, s.options());
        for (std::size_t i = 0; i < tables.size(); ++i)
            updated[i] = update_changed(conn, *tables[i]);
        for (auto it = tables.rbegin(); it != tables.rend(); ++it) // children first
            if ((*it)->removing) delete_removed(conn, **it);
    } catch (...) {
        restore_objects(s);
        throw;
    }
    for (std::size_t i = 0; i < tables.size(); ++i) {
        table_runtime& t = *tables[i];
        mark_inserted(t);
        for (const auto e : updated[i]) t.take_snapshot(e);
        mark_deleted(t);
    }
}

void execute_checked(connection& conn, prepared_statement& stmt, std::span<const param_ref> params,
                     std::int64_t expected, const entity_mapping& m, row_buffer* out) {
    conn.echo().line(stmt.sql());
    conn.echo().params(params);
    const std::int64_t changed = stmt.execute(params, out);
    if (changed != expected)
        throw sql_error("flush of " + m.table.name() + " (" + m.struct_name + "): expected " +
                            std::to_string(expected) + " rows to change, the database changed " +
                            std::to_string(changed) +
                            " (was the row changed or deleted by "
                            "another transaction?)",
                        "", 0, stmt.sql());
}

void rethrow_with_context(const entity_mapping& m, std::string_view action,
                          std::string_view where) {
    try {
        throw;
    } catch (const sql_error& e) {
        throw_sql_error("flush failed " + std::string(action) + " " + m.table.name() + " (" +
                            m.struct_name + ")" + std::string(where) + ": " + e.what(),
                        e.sqlstate(), e.native_code(), e.statement());
    }
}

} // namespace tabella::detail
