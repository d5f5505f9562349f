// Relationships between the session's objects: the parent a child's ref<P> refers to, the
// children of a parent (from an index over the tracked objects), and the batched loads
// behind query<T>().load(), .load_children() and session::children().
#pragma once

#include "row_key.hpp"
#include "tabella/detail/entity_mapping.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace tabella::detail {

class session_state;
struct table_runtime;

/// Entry `e` of `t` is a pending or persistent object not marked for removal.
[[nodiscard]] bool is_live(const table_runtime& t, std::uint32_t e);

/// The key (in the parent's encoding, general keys written into `buffer`) of the parent
/// that relationship `r` of `child` refers to; nullopt for an empty optional ref or a
/// parent without a key yet.
[[nodiscard]] std::optional<key_view> ref_key(const entity_mapping& m, const relationship& r,
                                              const void* child, std::string& buffer);

/// The tracked children of each parent key along one relationship.
struct child_index {
    std::uint64_t built_at = UINT64_MAX; ///< the child table's `changes` when it was built
    key_map<std::vector<std::uint32_t>> by_parent;
};

/// Per session: the children collections loaded (a parent whose children along a
/// relationship are all tracked), and the indexes that answer them.
class relation_cache {
  public:
    /// The children index of relationship (`child`, `column`), rebuilt when `t` changed.
    const child_index& index(table_runtime& t, const relationship& r);
    [[nodiscard]] bool is_loaded(const relationship& r, const void* parent) const {
        return loaded_.count({&r, parent}) != 0;
    }
    void mark_loaded(const relationship& r, const void* parent) { loaded_.insert({&r, parent}); }
    /// Forgets every loaded collection and index (rollback).
    void clear() noexcept {
        loaded_.clear();
        indexes_.clear();
    }

  private:
    std::set<std::pair<const relationship*, const void*>> loaded_;
    std::map<const relationship*, child_index> indexes_;
};

/// Loads the parents that relationship `r` of the objects `children` (of mapping `m`)
/// refers to and are not tracked yet, in one SELECT per chunk of keys, and points every
/// child's ref at its parent object.
void load_parents(session_state& s, const entity_mapping& m, const relationship& r,
                  std::span<void* const> children);
/// Loads every row of `child_map` whose relationship `r` refers to one of `parents` (of
/// mapping `parent_map`), in one SELECT per chunk of keys; their refs point at the parents,
/// whose collections are marked loaded.
void load_children(session_state& s, const entity_mapping& parent_map,
                   std::span<void* const> parents, const entity_mapping& child_map,
                   const relationship& r);
/// The children of `parent` along relationship `r` of `child_map`: from the session's
/// objects when the collection is loaded, else after one SELECT that loads it.
[[nodiscard]] std::vector<void*> children_of(session_state& s, const entity_mapping& parent_map,
                                             void* parent, const entity_mapping& child_map,
                                             const relationship& r);

} // namespace tabella::detail
