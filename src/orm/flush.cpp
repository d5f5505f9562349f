// One flush: planned with nothing sent, then INSERTs (parents first), UPDATEs, DELETEs
// (children first), then applied to the objects. Objects are restored when anything fails.
#include "flush.hpp"
#include "fingerprint.hpp"
#include "row_refs.hpp"

#include "tabella/error.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace tabella::detail {
namespace {

// Bit c set: column c of `e` differs from the row (every column for a stale object).
std::uint64_t changed_columns(table_runtime& t, std::uint32_t e) {
    const entity_mapping& m = *t.map;
    const auto key = t.current_key(t.objects[e]);
    if (!key)
        throw usage_error("flush of " + m.table.name() + ": the key of a persistent " +
                          m.struct_name + " (row key " + describe_key(m, t.keys[e]) +
                          ") was cleared; remove() the object instead");
    const bool key_changed = *key != t.keys[e];
    const bool stale = t.marks[e] & mark_stale;
    if (!stale && !t.track_changes && !key_changed) return 0;
    row_refs refs(m.column_count());
    m.bind_row(t.objects[e], refs.data());
    std::uint64_t mask = 0;
    const std::uint64_t* snap =
        stale || !t.track_changes ? nullptr : std::as_const(t.snapshot).row(e);
    for (std::size_t c = 0; c < m.column_count(); ++c) {
        if (m.key_mask & (std::uint64_t{1} << c)) continue;
        if (stale || (t.track_changes && fingerprint(refs[c]) != *snap))
            mask |= std::uint64_t{1} << c;
        if (!stale && t.track_changes) ++snap;
    }
    if (key_changed) { // the key columns that differ from the row's key are SET
        param_ref row[64];
        bind_key(m, t.keys[e], row);
        for (std::size_t k = 0; k < m.key_columns.size(); ++k)
            if (fingerprint(row[k]) != fingerprint(refs[m.key_columns[k]]))
                mask |= std::uint64_t{1} << m.key_columns[k];
    }
    return mask;
}

// The versions a flush is about to replace, so that a failed flush can put them back.
void remember_versions(table_plan& plan) {
    const table_runtime& t = *plan.t;
    auto keep = [&](std::uint32_t e) {
        plan.versions_before.emplace_back(e, t.map->get_version(t.objects[e]));
    };
    for (const auto e : plan.inserts) keep(e);
    for (const auto& u : plan.updates) keep(u.entry);
    for (const auto& sw : plan.switches) keep(sw.added);
}

// The defaulted columns each pending object leaves empty: the database fills them.
void note_omitted_defaults(table_plan& plan) {
    const table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    bool any = false;
    plan.omitted.reserve(plan.inserts.size());
    for (const auto e : plan.inserts) {
        const std::uint64_t mask = m.empty_members(t.objects[e]) & m.defaulted_mask;
        plan.omitted.push_back(mask);
        any = any || mask;
    }
    if (!any) plan.omitted.clear();
}

table_plan plan_table(table_runtime& t) {
    table_plan plan;
    plan.t = &t;
    key_map<std::uint32_t> removed_by_key; // row switches
    std::vector<std::uint32_t> pending, removed;
    for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
        if (t.states[e] == object_state::pending) {
            pending.push_back(e);
        } else if (t.states[e] == object_state::persistent) {
            if (t.marks[e] & mark_removing) {
                removed.push_back(e);
                removed_by_key.emplace(owned_key(t.keys[e]), e);
            } else if (const auto columns = changed_columns(t, e)) {
                plan.updates.push_back({e, columns});
            }
        }
    }
    if (!removed_by_key.empty() && !pending.empty()) {
        std::erase_if(pending, [&](std::uint32_t e) {
            const auto key = t.current_key(t.objects[e]);
            const auto it = key ? removed_by_key.find(*key) : removed_by_key.end();
            if (it == removed_by_key.end()) return false;
            plan.switches.push_back({it->second, e});
            std::erase(removed, it->second);
            removed_by_key.erase(it);
            return true;
        });
    }
    order_inserts(plan, std::move(pending));
    order_deletes(plan, std::move(removed));
    if (t.map->versioned()) remember_versions(plan);
    if (t.map->defaulted_mask) note_omitted_defaults(plan);
    if (t.map->key_by_session) // UUIDv7 keys are made last, when nothing can fail any more
        for (const auto e : plan.inserts) {
            if (t.current_key(t.objects[e])) continue;
            t.map->make_session_key(t.objects[e], true);
            t.marks[e] |= mark_key_assigned;
        }
    return plan;
}

void check_key_changes(const table_plan& plan) {
    table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    std::string other;
    for (const auto& u : plan.updates) {
        if (!(u.columns & m.key_mask)) continue;
        const owned_key key(*t.current_key(t.objects[u.entry]));
        const auto owner = t.identity.find(key.view());
        if (owner && *owner != u.entry && !(t.marks[*owner] & mark_removing) &&
            object_key(m, t.objects[*owner], other) == key.view())
            throw usage_error("flush of " + m.table.name() + ": two persistent " + m.struct_name +
                              " objects would hold the key " + describe_key(m, key.view()));
    }
}

} // namespace

bool flush_plan::empty() const noexcept {
    for (const auto& p : tables)
        if (!p.inserts.empty() || !p.updates.empty() || !p.switches.empty() || !p.deletes.empty())
            return false;
    return true;
}

flush_plan plan_flush(session_state& s) {
    flush_plan plan;
    plan.delete_rules = apply_delete_rules(s);
    try {
        for (auto* t : tables_in_flush_order(s)) {
            plan.tables.push_back(plan_table(*t));
            check_key_changes(plan.tables.back());
        }
        plan_cycle_updates(plan);
    } catch (...) {
        undo_flush(plan); // keys made for the tables planned so far
        throw;
    }
    const bool inserts = std::any_of(plan.tables.begin(), plan.tables.end(),
                                     [](const table_plan& p) { return !p.inserts.empty(); });
    if (inserts)
        plan.inserts =
            plan_inserts(connection_access::driver(s.conn()).capabilities(), s.options());
    return plan;
}

insert_plan plan_inserts(const driver_capabilities& caps, const session_options& opts) {
    insert_plan how;
    switch (opts.strategy) {
    case insert_strategy::automatic:
        // COPY is the fastest way into PostgreSQL (bench/RESULTS.md), reserved keys with
        // multi-row INSERTs into SQLite; RETURNING in VALUES order where keys cannot be
        // reserved by construction (MariaDB's AUTO_INCREMENT).
        how.copy = caps.copy;
        how.reserve = caps.reserves_keys;
        how.returning_rows = caps.returning;
        break;
    case insert_strategy::reserve_keys:
    case insert_strategy::copy:
        if (!caps.reserves_keys)
            throw usage_error(
                "insert_strategy::" +
                std::string(opts.strategy == insert_strategy::copy ? "copy" : "reserve_keys") +
                ": this driver cannot reserve keys");
        how.copy = opts.strategy == insert_strategy::copy;
        if (how.copy && !caps.copy)
            throw usage_error("insert_strategy::copy: this driver has no COPY that counts the "
                              "rows it stores");
        how.reserve = true;
        break;
    case insert_strategy::returning:
        if (!caps.returning)
            throw usage_error("insert_strategy::returning: this driver has no RETURNING");
        how.returning_rows = true;
        break;
    case insert_strategy::row_by_row:
        break;
    }
    return how;
}

void send_flush(flush_plan& plan, connection& conn, const session_options& opts) {
    statement_runner run(conn);
    for (const auto& p : plan.tables)
        if (!p.inserts.empty()) insert_pending(run, p, plan.inserts, opts);
    for (const auto& p : plan.tables) send_post_updates(run, p);
    for (const auto& p : plan.tables) send_updates(run, p);
    for (const auto& p : plan.tables) send_pre_delete_nulls(run, p);
    for (auto it = plan.tables.rbegin(); it != plan.tables.rend(); ++it) // children first
        send_deletes(run, *it);
}

void undo_flush(flush_plan& plan) noexcept {
    for (const auto& p : plan.tables) {
        table_runtime& t = *p.t;
        for (const auto* cycle : {&p.post_updates, &p.pre_delete_nulls})
            for (const auto& u : *cycle) u.r->restore(t.objects[u.entry], u.saved.get());
        for (const auto& [e, version] : p.versions_before)
            t.map->set_version(t.objects[e], version);
        for (std::size_t i = 0; i < p.omitted.size(); ++i) // defaults read back: empty again
            for (std::size_t c = 0; c < t.map->column_count(); ++c)
                if (p.omitted[i] >> c & 1) t.map->load_column(t.objects[p.inserts[i]], c, value());
        for (const auto e : p.inserts) {
            if (!(t.marks[e] & mark_key_assigned)) continue;
            clear_generated_key(*t.map, t.objects[e]);
            t.marks[e] &= static_cast<std::uint8_t>(~mark_key_assigned);
        }
    }
    plan.delete_rules.undo(); // made before the plan: undone last
}

void apply_flush(const flush_plan& plan, epoch number) {
    for (const auto& p : plan.tables) {
        table_runtime& t = *p.t;
        auto inserted = [&](std::uint32_t e) {
            if (t.marks[e] & mark_key_assigned)
                t.marks[e] = static_cast<std::uint8_t>((t.marks[e] & ~mark_key_assigned) |
                                                       mark_key_generated);
            --t.pending;
            t.make_persistent(e, *t.current_key(t.objects[e]));
            t.inserted_at.set(e, number);
            t.take_snapshot(e);
        };
        auto deleted = [&](std::uint32_t e) {
            t.identity.erase(t.keys[e]);
            t.states[e] = object_state::deleted;
            t.marks[e] &= static_cast<std::uint8_t>(~mark_removing);
            --t.removing;
            t.written_at.set(e, number);
        };
        for (const auto e : p.inserts) inserted(e);
        for (const auto& u : p.updates) {
            const auto key = *t.current_key(t.objects[u.entry]);
            if (key != t.keys[u.entry]) { // the row's key was changed
                t.key_changes.push_back({number, u.entry, owned_key(t.keys[u.entry])});
                const auto owner = t.identity.find(t.keys[u.entry]);
                if (owner && *owner == u.entry) t.identity.erase(t.keys[u.entry]);
                t.make_persistent(u.entry, key);
            }
            t.take_snapshot(u.entry);
            t.written_at.set(u.entry, number);
        }
        for (const auto& sw : p.switches) {
            deleted(sw.removed);
            inserted(sw.added);
        }
        for (const auto e : p.deletes) deleted(e);
    }
}

void execute_checked(statement_runner& run, prepared_statement& stmt,
                     std::span<const param_ref> params, std::int64_t expected,
                     const entity_mapping& m, row_check check, row_buffer* out) {
    const std::int64_t changed = run.run(stmt, params, out);
    if (changed == expected) return;
    const std::string what = "flush of " + m.table.name() + " (" + m.struct_name + "): expected " +
                             std::to_string(expected) + " rows to change, the database changed " +
                             std::to_string(changed);
    if (check == row_check::update_or_delete)
        throw stale_data_error(what + " (was the row changed or deleted by another transaction?)");
    throw sql_error(what + " (does a trigger or rule drop or redirect rows?)", "", 0, stmt.sql());
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
