// Two tables that reference each other (SQLAlchemy's post_update): the ref from the table
// flushed first to the one flushed later closes the cycle. A new object whose such ref
// points at a new parent is inserted with it empty and UPDATEd once the parent's row
// exists; a removed object whose such ref points at a removed parent has it set to NULL
// by an UPDATE before the parent's row is deleted.
#include "flush.hpp"

#include "relations.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <span>

namespace tabella::detail {
namespace {

// A relationship of `child`'s table to `parent`'s table, which is flushed after it.
struct back_edge {
    table_plan* child;
    const relationship* r;
    table_runtime* parent;
};

std::vector<back_edge> back_edges(flush_plan& plan) {
    std::vector<back_edge> out;
    for (std::size_t i = 0; i < plan.tables.size(); ++i)
        for (const relationship& r : plan.tables[i].t->map->relationships)
            for (std::size_t j = i + 1; j < plan.tables.size(); ++j)
                if (plan.tables[j].t->map == &r.parent())
                    out.push_back({&plan.tables[i], &r, plan.tables[j].t});
    return out;
}

std::string describe(const table_runtime& t, std::uint32_t e) {
    if (t.states[e] == object_state::pending)
        return "a new " + t.map->struct_name + " (the session's " + std::to_string(e + 1) +
               (e == 0   ? "st"
                : e == 1 ? "nd"
                : e == 2 ? "rd"
                         : "th") +
               ")";
    return "the " + t.map->struct_name + " " + describe_key(*t.map, t.keys[e]);
}

// Empties the ref of entry `e` into `out`, or refuses when it cannot be empty.
void defer(const back_edge& edge, std::uint32_t e, const table_runtime& pt, std::uint32_t pe,
           std::vector<cycle_update>& out, std::string_view when) {
    table_runtime& t = *edge.child->t;
    if (!edge.r->nullable)
        throw usage_error(
            "flush: " + describe(t, e) + " and " + describe(pt, pe) + " its " +
            t.map->table.columns()[edge.r->column].name() + " refers to are " + std::string(when) +
            ", and their tables reference each other: the objects " +
            "cannot be ordered. Make one of the two refs a std::optional<ref<...>>; the " +
            "flush then sets it by an UPDATE of its own");
    void* obj = t.objects[e];
    out.push_back({e, edge.r, edge.r->save(obj)});
    edge.r->clear(obj);
}

void plan_edge(const back_edge& edge) {
    table_plan& plan = *edge.child;
    table_runtime& t = *plan.t;
    const table_runtime& pt = *edge.parent;
    const void* targets[64];
    for (const auto e : plan.inserts) {
        t.map->ref_targets(t.objects[e], targets);
        const void* target = targets[edge.r->column];
        const auto pe = target ? pt.entry_of(target) : std::nullopt;
        if (pe && pt.states[*pe] == object_state::pending)
            defer(edge, e, pt, *pe, plan.post_updates, "both new");
    }
    std::string buffer;
    for (const auto e : plan.deletes) {
        const auto key = ref_key(*t.map, *edge.r, t.objects[e], buffer);
        const auto pe = key ? pt.identity.find(*key) : std::nullopt;
        if (pe && (pt.marks[*pe] & mark_removing)) {
            defer(edge, e, pt, *pe, plan.pre_delete_nulls, "both removed");
            if (t.map->versioned()) // the UPDATE sets a new version
                plan.versions_before.emplace_back(e, t.map->get_version(t.objects[e]));
        }
    }
}

// True when every table that `t` references (through any ref, or only through refs that
// cannot be empty) is out of `left`.
bool ready(const table_runtime& t, std::span<table_runtime* const> left, bool required_only) {
    for (const relationship& r : t.map->relationships) {
        if (&r.parent() == t.map || (required_only && r.nullable)) continue;
        for (const table_runtime* other : left)
            if (other->map == &r.parent()) return false;
    }
    return true;
}

} // namespace

std::vector<table_runtime*> tables_in_flush_order(const session_state& s) {
    std::vector<table_runtime*> left, out;
    for (const auto& t : s.tables()) left.push_back(t.get());
    while (!left.empty()) {
        auto pick = [&](bool required_only) {
            return std::find_if(left.begin(), left.end(), [&](const table_runtime* t) {
                return ready(*t, left, required_only);
            });
        };
        auto it = pick(false);
        if (it == left.end()) it = pick(true);   // a cycle: broken at an optional ref
        if (it == left.end()) it = left.begin(); // refs that cannot be empty: refused later
        out.push_back(*it);
        left.erase(it);
    }
    return out;
}

void plan_cycle_updates(flush_plan& plan) {
    for (const auto& edge : back_edges(plan)) plan_edge(edge);
}

} // namespace tabella::detail
