// on_delete, mirrored in the session: the children it holds of a removed parent are
// refused (restrict), removed with it (cascade) or detached from it (set_null), before the
// flush is planned, so that the statements the flush sends match what the database does
// to the rows the session does not hold.
#include "delete_rules.hpp"

#include "relations.hpp"
#include "session_state.hpp"
#include "tabella/error.hpp"

#include <set>

namespace tabella::detail {

class delete_rules {
  public:
    delete_rules(session_state& s, delete_rule_log& log) : s_(s), log_(log) {}

    void run() {
        for (const auto& t : s_.tables())
            if (t->removing)
                for (std::uint32_t e = 0; e < t->objects.size(); ++e)
                    if (t->states[e] == object_state::persistent && (t->marks[e] & mark_removing))
                        work_.emplace_back(t.get(), e);
        while (!work_.empty()) {
            const auto [t, e] = work_.back();
            work_.pop_back();
            visit(*t, e);
        }
        for (table_runtime* t : touched_) ++t->changes; // children indexes are out of date
    }

  private:
    // Applies every relationship that refers to `pt`'s table to the children of entry `e`.
    void visit(table_runtime& pt, std::uint32_t e) {
        for (const auto& ct : s_.tables())
            for (const relationship& r : ct->map->relationships)
                if (&r.parent() == pt.map) visit_children(pt, e, *ct, r);
    }

    void visit_children(table_runtime& pt, std::uint32_t e, table_runtime& ct,
                        const relationship& r) {
        const auto& index = s_.relations().index(ct, r);
        const auto it = index.by_parent.find(pt.keys[e]);
        if (it == index.by_parent.end()) return;
        std::string buffer;
        for (const auto c : it->second) {
            // Children re-pointed (or emptied) since the index was built are not hers.
            if (!is_live(ct, c) || ref_key(*ct.map, r, ct.objects[c], buffer) != pt.keys[e])
                continue;
            switch (r.on_delete) {
            case on_delete::restrict:
                refuse(pt, e, ct, c, r);
            case on_delete::cascade:
                remove(ct, c);
                break;
            case on_delete::set_null:
                empty(ct, c, r);
                break;
            }
        }
    }

    [[noreturn]] void refuse(table_runtime& pt, std::uint32_t e, table_runtime& ct, std::uint32_t c,
                             const relationship& r) {
        const std::string child =
            ct.states[c] == object_state::pending
                ? "a pending " + ct.map->struct_name
                : "the " + ct.map->struct_name + " " + describe_key(*ct.map, ct.keys[c]);
        throw foreign_key_violation(
            "flush: cannot remove the " + pt.map->struct_name + " " +
                describe_key(*pt.map, pt.keys[e]) + ": " + child + " refers to it through " +
                ct.map->table.columns()[r.column].name() +
                " (on_delete::restrict); remove it or point it elsewhere first; nothing was sent",
            "23503", 0, "");
    }

    void remove(table_runtime& ct, std::uint32_t c) {
        touched_.insert(&ct);
        if (ct.states[c] == object_state::pending) { // never inserted: just dropped
            ct.states[c] = object_state::detached;
            --ct.pending;
            log_.entries_.push_back(
                {delete_rule_log::change::dropped, &ct, c, nullptr, nullptr, false});
        } else {
            ct.marks[c] |= mark_removing;
            ++ct.removing;
            log_.entries_.push_back(
                {delete_rule_log::change::removed, &ct, c, nullptr, nullptr, false});
        }
        work_.emplace_back(&ct, c); // its own children next
    }

    void empty(table_runtime& ct, std::uint32_t c, const relationship& r) {
        touched_.insert(&ct);
        void* child = ct.objects[c];
        delete_rule_log::entry logged{delete_rule_log::change::nulled, &ct, c, &r, r.save(child),
                                      (ct.marks[c] & mark_stale) != 0};
        log_.entries_.push_back(std::move(logged));
        r.clear(child);
        // Without snapshots only a stale object is UPDATEd: this one must be.
        if (ct.states[c] == object_state::persistent && !ct.track_changes)
            ct.marks[c] |= mark_stale;
    }

    session_state& s_;
    delete_rule_log& log_;
    std::vector<std::pair<table_runtime*, std::uint32_t>> work_;
    std::set<table_runtime*> touched_;
};

void delete_rule_log::undo() noexcept {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        table_runtime& t = *it->t;
        ++t.changes;
        switch (it->what) {
        case change::removed:
            t.marks[it->e] &= static_cast<std::uint8_t>(~mark_removing);
            --t.removing;
            break;
        case change::dropped:
            t.states[it->e] = object_state::pending;
            ++t.pending;
            break;
        case change::nulled:
            it->r->restore(t.objects[it->e], it->saved.get());
            if (!it->was_stale) t.marks[it->e] &= static_cast<std::uint8_t>(~mark_stale);
            break;
        }
    }
    entries_.clear();
}

delete_rule_log apply_delete_rules(session_state& s) {
    delete_rule_log log;
    bool any = false;
    for (const auto& t : s.tables()) any = any || t->removing != 0;
    if (!any) return log;
    try {
        delete_rules(s, log).run();
    } catch (...) {
        log.undo();
        throw;
    }
    return log;
}

} // namespace tabella::detail
