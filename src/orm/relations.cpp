// Navigating ref<P> relationships: parents and children found among the session's objects,
// and loaded in one SELECT per chunk of keys (never one per object).
#include "relations.hpp"

#include "session_state.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

namespace tabella::detail {
namespace {

// The persistent object of `t` with row key `key`, or nullptr.
void* tracked(const table_runtime& t, key_view key) {
    const auto e = t.identity.find(key);
    return e ? t.objects[*e] : nullptr;
}

std::vector<std::string_view> columns_of(const entity_mapping& m, const relationship& r) {
    std::vector<std::string_view> out;
    for (std::size_t k = 0; k < r.width; ++k) out.push_back(m.table.columns()[r.column + k].name());
    return out;
}

// SELECTs the rows of `m` whose `columns` hold one of `keys` (keys of `owner`), a chunk of
// keys per statement, into the session's objects.
void load_matching(session_state& s, const entity_mapping& m, const entity_mapping& owner,
                   std::span<const std::string_view> columns, std::span<const key_view> keys) {
    const std::size_t per_statement = rows_per_statement(columns.size(), s.conn().parameter_limit(),
                                                         columns.size() == 1 ? 0 : 500);
    for (std::size_t first = 0; first < keys.size(); first += per_statement) {
        const auto chunk = keys.subspan(first, std::min(per_statement, keys.size() - first));
        auto stmt = m.table.select().where(columns_in(owner, chunk, m.table.name(), columns));
        (void)load_rows(s, m, compile_select(stmt, s.conn().dialect()));
    }
}

} // namespace

bool is_live(const table_runtime& t, std::uint32_t e) {
    return (t.states[e] == object_state::persistent || t.states[e] == object_state::pending) &&
           !(t.marks[e] & mark_removing);
}

std::optional<key_view> ref_key(const entity_mapping& m, const relationship& r, const void* child,
                                std::string& buffer) {
    param_ref refs[64];
    try {
        m.bind_row(child, refs);
    } catch (const usage_error&) {
        return std::nullopt; // a ref to an object without a key yet
    }
    for (std::size_t k = 0; k < r.width; ++k)
        if (refs[r.column + k].kind == value_kind::null) return std::nullopt;
    return params_key(r.parent(), std::span<const param_ref>(refs + r.column, r.width), buffer);
}

const child_index& relation_cache::index(table_runtime& t, const relationship& r) {
    child_index& index = indexes_[&r];
    if (index.built_at == t.changes) return index;
    index.by_parent.clear();
    std::string buffer;
    for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
        if (!is_live(t, e)) continue;
        if (const auto key = ref_key(*t.map, r, t.objects[e], buffer))
            index.by_parent[owned_key(*key)].push_back(e);
    }
    index.built_at = t.changes;
    return index;
}

void load_parents(session_state& s, const entity_mapping& m, const relationship& r,
                  std::span<void* const> children) {
    const entity_mapping& parent_map = r.parent();
    table_runtime& parents = s.runtime(parent_map);
    // Each child's parent key, read once: to find the missing parents, then to link.
    std::vector<std::optional<owned_key>> wanted(children.size());
    key_map<bool> missing;
    std::string buffer;
    for (std::size_t i = 0; i < children.size(); ++i) {
        const auto key = ref_key(m, r, children[i], buffer);
        if (!key) continue;
        wanted[i].emplace(*key);
        if (!tracked(parents, *key)) missing.emplace(owned_key(*key), true);
    }
    std::vector<key_view> keys;
    keys.reserve(missing.size());
    for (const auto& [key, unused] : missing) keys.push_back(key.view());
    std::vector<std::string_view> key_columns;
    for (const auto c : parent_map.key_columns)
        key_columns.push_back(parent_map.table.columns()[c].name());
    load_matching(s, parent_map, parent_map, key_columns, keys);
    for (std::size_t i = 0; i < children.size(); ++i)
        if (wanted[i])
            if (void* parent = tracked(parents, wanted[i]->view())) r.link(children[i], parent);
}

void load_children(session_state& s, const entity_mapping& parent_map,
                   std::span<void* const> parents, const entity_mapping& child_map,
                   const relationship& r) {
    table_runtime& pt = s.runtime(parent_map);
    std::vector<key_view> keys;
    std::vector<void*> loaded;
    for (void* parent : parents) {
        const auto e = pt.entry_of(parent);
        if (!e || pt.states[*e] != object_state::persistent || s.relations().is_loaded(r, parent))
            continue;
        keys.push_back(pt.keys[*e]);
        loaded.push_back(parent);
    }
    if (keys.empty()) return;
    load_matching(s, child_map, parent_map, columns_of(child_map, r), keys);
    table_runtime& ct = s.runtime(child_map);
    const child_index& index = s.relations().index(ct, r);
    for (void* parent : loaded) {
        s.relations().mark_loaded(r, parent);
        const auto it = index.by_parent.find(pt.keys[*pt.entry_of(parent)]);
        if (it == index.by_parent.end()) continue;
        for (const auto e : it->second) r.link(ct.objects[e], parent);
    }
}

std::vector<void*> children_of(session_state& s, const entity_mapping& parent_map, void* parent,
                               const entity_mapping& child_map, const relationship& r) {
    table_runtime& pt = s.runtime(parent_map);
    auto persistent_entry = [&] {
        const auto e = pt.entry_of(parent);
        if (!e || pt.states[*e] != object_state::persistent)
            throw usage_error("children(): the " + parent_map.struct_name +
                              " is not a persistent object of this session (flush it first)");
        return *e;
    };
    if (!s.relations().is_loaded(r, parent)) {
        // Only a load flushes first (as SQLAlchemy's lazy loader does): a loaded collection
        // is answered from memory, without planning a flush over every object.
        s.autoflush();
        (void)persistent_entry();
        void* const one[] = {parent};
        load_children(s, parent_map, one, child_map, r);
    }
    const std::uint32_t e = persistent_entry();
    table_runtime& ct = s.runtime(child_map);
    const child_index& index = s.relations().index(ct, r);
    std::vector<void*> out;
    const owned_key key(pt.keys[e]);
    const auto it = index.by_parent.find(key.view());
    if (it == index.by_parent.end()) return out;
    std::string buffer;
    for (const auto c : it->second) {
        void* child = ct.objects[c];
        // A child moved to another parent since the index was built is not one any more.
        if (!is_live(ct, c) || ref_key(child_map, r, child, buffer) != key.view()) continue;
        r.link(child, parent);
        out.push_back(child);
    }
    return out;
}

} // namespace tabella::detail
