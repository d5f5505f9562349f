// Row-level order inside one table: a row that references a row of the same table
// (ref<Self>) is inserted after it and deleted before it. Levels are computed without
// recursion, so a chain of any length works; a cycle is refused before anything is sent.
#include "flush.hpp"

#include "tabella/error.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace tabella::detail {
namespace {

/// Depth of each node: 0 without parents, else 1 + the deepest parent. `parents(i, out)`
/// appends node i's parents. Throws usage_error naming two nodes of a cycle.
template <class Parents>
std::vector<std::uint32_t> depths(std::size_t n, Parents&& parents, const table_runtime& t,
                                  std::span<const std::uint32_t> entries) {
    constexpr std::uint32_t unknown = UINT32_MAX, visiting = UINT32_MAX - 1;
    std::vector<std::uint32_t> depth(n, unknown);
    std::vector<std::size_t> stack, ps;
    for (std::size_t root = 0; root < n; ++root) {
        if (depth[root] != unknown) continue;
        stack.push_back(root);
        while (!stack.empty()) {
            const std::size_t i = stack.back();
            if (depth[i] != unknown && depth[i] != visiting) {
                stack.pop_back();
                continue;
            }
            ps.clear();
            parents(i, ps);
            if (depth[i] == unknown) { // first visit: resolve the parents first
                depth[i] = visiting;
                for (const auto p : ps) {
                    if (depth[p] == visiting)
                        throw usage_error(
                            "flush of " + t.map->table.name() + ": " + t.map->struct_name +
                            " objects reference each other in a cycle (entries " +
                            std::to_string(entries[i]) + " and " + std::to_string(entries[p]) +
                            " of the session); set one reference after a first flush");
                    if (depth[p] == unknown) stack.push_back(p);
                }
                continue;
            }
            std::uint32_t d = 0;
            for (const auto p : ps) d = std::max(d, depth[p] + 1);
            depth[i] = d;
            stack.pop_back();
        }
    }
    return depth;
}

/// Stable order of `entries` by `depth` (ascending or descending).
std::vector<std::uint32_t> by_depth(std::span<const std::uint32_t> entries,
                                    const std::vector<std::uint32_t>& depth, bool deepest_first) {
    std::vector<std::size_t> order(entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return deepest_first ? depth[a] > depth[b] : depth[a] < depth[b];
    });
    std::vector<std::uint32_t> out;
    out.reserve(order.size());
    for (const auto i : order) out.push_back(entries[i]);
    return out;
}

/// Appends one level of inserts: entries with a key set first, then the others.
void add_level(table_plan& plan, std::span<const std::uint32_t> level) {
    const table_runtime& t = *plan.t;
    const auto has_key = [&](std::uint32_t e) {
        return !t.map->key_generated || t.map->get_key(t.objects[e]);
    };
    for (const auto e : level)
        if (has_key(e)) plan.inserts.push_back(e);
    const std::size_t first_generated = plan.inserts.size();
    for (const auto e : level)
        if (!has_key(e)) plan.inserts.push_back(e);
    plan.levels.emplace_back(plan.inserts.size(), first_generated);
}

} // namespace

void order_inserts(table_plan& plan, std::vector<std::uint32_t> pending) {
    if (pending.empty()) return;
    const table_runtime& t = *plan.t;
    const auto& self_refs = t.map->self_refs;
    if (self_refs.empty()) return add_level(plan, pending);
    std::unordered_map<std::uint32_t, std::size_t> index; // entry -> position in pending
    index.reserve(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) index.emplace(pending[i], i);
    const void* targets[64];
    const auto parents = [&](std::size_t i, std::vector<std::size_t>& out) {
        t.map->ref_targets(t.objects[pending[i]], targets);
        for (const auto c : self_refs) {
            if (!targets[c]) continue;
            const auto e = t.entry_of(targets[c]);
            const auto it = e ? index.find(*e) : index.end();
            if (it != index.end()) out.push_back(it->second);
        }
    };
    const auto depth = depths(pending.size(), parents, t, pending);
    const auto ordered = by_depth(pending, depth, false);
    std::vector<std::uint32_t> level_depths;
    for (const auto e : ordered) level_depths.push_back(depth[index.at(e)]);
    std::size_t begin = 0;
    for (std::size_t i = 1; i <= ordered.size(); ++i) {
        if (i < ordered.size() && level_depths[i] == level_depths[begin]) continue;
        add_level(plan, std::span(ordered).subspan(begin, i - begin));
        begin = i;
    }
}

void order_deletes(table_plan& plan, std::vector<std::uint32_t> removed) {
    const table_runtime& t = *plan.t;
    const auto& self_refs = t.map->self_refs;
    if (self_refs.empty() || removed.size() < 2) {
        plan.deletes = std::move(removed);
        return;
    }
    key_map<std::size_t> by_key; // row key -> position in removed
    by_key.reserve(removed.size());
    for (std::size_t i = 0; i < removed.size(); ++i)
        by_key.emplace(owned_key(t.keys[removed[i]]), i);
    param_ref refs[64];
    std::string buffer;
    const auto parents = [&](std::size_t i, std::vector<std::size_t>& out) {
        try {
            t.map->bind_row(t.objects[removed[i]], refs);
        } catch (const usage_error&) {
            return; // a ref to an object without a key: not a row of this table
        }
        for (const auto c : self_refs) {
            if (refs[c].kind == value_kind::null) continue;
            key_view key{refs[c].integer, {}};
            if (!t.map->integer_key) {
                buffer.clear();
                append_key_part(buffer, refs[c]);
                key = {0, buffer};
            }
            const auto it = by_key.find(key);
            if (it != by_key.end() && it->second != i) out.push_back(it->second);
        }
    };
    const auto depth = depths(removed.size(), parents, t, removed);
    plan.deletes = by_depth(removed, depth, true);
    std::vector<std::uint32_t> sorted = depth;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    for (std::size_t i = 1; i <= sorted.size(); ++i)
        if (i == sorted.size() || sorted[i] != sorted[i - 1]) plan.delete_levels.push_back(i);
}

} // namespace tabella::detail
