// What the ORM knows about a mapped struct, as plain data: the table, its columns, and a
// few type-erased operations, each called once per object (never once per value).
// Built once per struct by the templates in mapping.hpp; everything after that is
// ordinary compiled code in src/orm.
#pragma once

#include "tabella/export.hpp"

#include "tabella/metadata.hpp"
#include "tabella/value.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tabella::detail {

/// Owns the objects of one mapped type that a session tracks. Addresses never change.
class TABELLA_EXPORT object_store {
  public:
    virtual ~object_store() = default;
    /// Default-constructs one more object and returns its address.
    virtual void* emplace() = 0;
};

/// A mapped struct, as the session's compiled code sees it.
struct TABELLA_EXPORT entity_mapping {
    std::string struct_name; ///< for messages
    tabella::table table;    ///< name and columns, in member order
    std::size_t key_index;   ///< index of the primary-key column
    bool key_generated;      ///< integer key: the database generates it when unset

    /// Writes one param_ref per column (member order) viewing `obj`'s members.
    void (*bind_row)(const void* obj, param_ref* out);
    /// Reads every column from `cells` (member order) into `obj`.
    void (*load_row)(void* obj, const value* cells);
    /// The key of `obj`, or nullopt when it is unset (an empty optional).
    std::optional<std::int64_t> (*get_key)(const void* obj);
    /// Sets the key of `obj`; nullopt makes it unset again.
    void (*set_key)(void* obj, std::optional<std::int64_t> key);
    /// For each column, the object a ref<P> member points at; nullptr for other members and
    /// for refs that hold only a key.
    void (*ref_targets)(const void* obj, const void** out);
    /// A store for objects of this type.
    std::unique_ptr<object_store> (*make_store)();
    /// The mappings this one references with ref<P> members (itself excluded), as
    /// functions so that structs may reference each other: flushed before this one.
    std::vector<const entity_mapping& (*)()> parents;
    /// Columns that reference this struct's own table (ref<Self> members).
    std::vector<std::size_t> self_refs;
    /// sizeof the struct: objects of one store lie this far apart.
    std::size_t object_size = 0;
    /// The optimistic-locking column (table_traits<T>::version), or column_count() when
    /// the struct has none; its member is a std::int64_t.
    std::size_t version_index = 0;
    /// The version of `obj`, and setting it; nullptr without a version column.
    std::int64_t (*get_version)(const void* obj) = nullptr;
    void (*set_version)(void* obj, std::int64_t version) = nullptr;

    [[nodiscard]] bool versioned() const noexcept { return get_version != nullptr; }

    [[nodiscard]] std::size_t column_count() const noexcept { return table.columns().size(); }
};

/// `mappings` ordered so that every mapping comes after the ones it references (cycles
/// are broken at the point they are found).
[[nodiscard]] TABELLA_EXPORT std::vector<const entity_mapping*>
parents_first(const std::vector<const entity_mapping*>& mappings);

/// A 64-bit fingerprint of one bound value, used to notice changed columns.
[[nodiscard]] TABELLA_EXPORT std::uint64_t fingerprint(const param_ref& p) noexcept;

} // namespace tabella::detail
