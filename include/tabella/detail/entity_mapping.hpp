// What the ORM knows about a mapped struct, as plain data: the table, its columns, and a
// few type-erased operations, each called once per object (never once per value).
// Built once per struct by the templates in mapping.hpp; everything after that is
// ordinary compiled code in src/orm.
#pragma once

#include "tabella/export.hpp"

#include "tabella/metadata.hpp"
#include "tabella/on_delete.hpp"
#include "tabella/value.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tabella::detail {

/// Owns the objects of one mapped type that a session tracks. Addresses never change.
class TABELLA_EXPORT object_store {
  public:
    virtual ~object_store() = default;
    /// Default-constructs one more object and returns its address.
    virtual void* emplace() = 0;
};

struct entity_mapping;

/// A ref<P, D> member of a mapped struct: a many-to-one relationship to P.
struct TABELLA_EXPORT relationship {
    std::size_t column = 0; ///< the member's first column; `width` columns hold P's key
    std::size_t width = 1;
    const entity_mapping& (*parent)() = nullptr;
    tabella::on_delete on_delete = tabella::on_delete::restrict;
    bool nullable = false; ///< a std::optional<ref<P, D>>
    /// Points the ref of `child` at `parent`, the session's object for the key the ref
    /// holds (an empty optional ref is left empty).
    void (*link)(void* child, void* parent) = nullptr;
    /// Empties the optional ref of `child`; nullptr for a plain ref.
    void (*clear)(void* child) = nullptr;
    /// A copy of the ref member of `child`, and writing such a copy back (undoing clear).
    std::shared_ptr<void> (*save)(const void* child) = nullptr;
    void (*restore)(void* child, const void* saved) = nullptr;
};

/// A mapped struct, as the session's compiled code sees it.
struct TABELLA_EXPORT entity_mapping {
    entity_mapping(std::string name, tabella::table t)
        : struct_name(std::move(name)), table(std::move(t)) {}

    std::string struct_name; ///< for messages
    tabella::table table;    ///< name and columns, in member order
    /// The primary-key columns, in key order (one, or several for a composite key).
    std::vector<std::size_t> key_columns;
    std::uint64_t key_mask = 0; ///< bit c set: column c is part of the key
    std::size_t key_index = 0;  ///< key_columns[0]
    /// One integer key column: keys are handled as std::int64_t (get_key, set_key), the
    /// session's fast path. Other keys (strings, UUIDs, composite) are encoded bytes.
    bool integer_key = false;
    bool key_generated = false;  ///< integer key: the database generates it when unset
    bool key_by_session = false; ///< std::optional<uuid> key: the session makes a UUIDv7
    /// table_traits<T>::key_sequence: a generated key drawn from this named sequence where
    /// the database has sequences (its key column names it too), or empty.
    std::string key_sequence;

    /// Per column, the kind of cell its member reads and binds back unchanged (integer,
    /// real or text), or null for members that convert (member_column::reads_exactly).
    std::vector<value_kind> exact_kinds;
    /// Every non-key column has such a kind: a loaded row's fingerprints can be taken from
    /// its cells when their kinds match.
    bool snapshot_from_cells = false;

    /// Writes one param_ref per column (member order) viewing `obj`'s members.
    void (*bind_row)(const void* obj, param_ref* out) = nullptr;
    /// Reads one column's value into its member of `obj` (a NULL empties an optional).
    void (*load_column)(void* obj, std::size_t column, const value& cell) = nullptr;
    /// Bit c set: column c has a server default (table_traits<T>::server_defaults) and its
    /// member is a std::optional, left out of the INSERT when empty and read back.
    std::uint64_t defaulted_mask = 0;
    /// Bit c set: the member of column c is an empty std::optional.
    std::uint64_t (*empty_members)(const void* obj) = nullptr;
    /// Reads every column from a driver's views of a row (member order) into `obj`.
    void (*load_view_row)(void* obj, const param_ref* cells) = nullptr;
    /// Integer keys: the key of `obj`, or nullopt when it is unset (an empty optional).
    std::optional<std::int64_t> (*get_key)(const void* obj) = nullptr;
    /// Integer keys: sets the key of `obj`; nullopt makes it unset again.
    void (*set_key)(void* obj, std::optional<std::int64_t> key) = nullptr;
    /// Keys made by the session: gives `obj` a new UUIDv7 key, or (assign false) none.
    void (*make_session_key)(void* obj, bool assign) = nullptr;
    /// Other keys: appends the key of the row `cells` (member order) to `out`, encoded as
    /// the key of an object loaded from it would be (append_key_part per key column).
    void (*encode_cells_key)(const value* cells, std::string& out) = nullptr;
    /// For each column, the object a ref<P> member points at; nullptr for other members and
    /// for refs that hold only a key.
    void (*ref_targets)(const void* obj, const void** out) = nullptr;
    /// A store for objects of this type.
    std::unique_ptr<object_store> (*make_store)() = nullptr;
    /// The mappings this one references with ref<P> members (itself excluded), as
    /// functions so that structs may reference each other: flushed before this one.
    std::vector<const entity_mapping& (*)()> parents;
    /// Columns that reference this struct's own table (ref<Self> members).
    std::vector<std::size_t> self_refs;
    /// Every ref<P, D> member, in member order.
    std::vector<relationship> relationships;
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
    /// The relationship of the ref member whose first column is `column`; throws
    /// usage_error when that member is not a ref.
    [[nodiscard]] const relationship& relationship_at(std::size_t column) const;
};

/// `mappings` ordered so that every mapping comes after the ones it references (cycles
/// are broken at the point they are found).
[[nodiscard]] TABELLA_EXPORT std::vector<const entity_mapping*>
parents_first(const std::vector<const entity_mapping*>& mappings);

/// Appends one key column's value to an encoded key: a kind byte, then the value (8 bytes
/// for numbers and times, 16 for a UUID, a 4-byte length and the bytes for text and blobs).
TABELLA_EXPORT void append_key_part(std::string& out, const param_ref& p);

} // namespace tabella::detail
