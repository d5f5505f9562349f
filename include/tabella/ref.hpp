// tabella::ref<P>: a many-to-one relationship member. Point it at a parent object and the
// flush writes the parent first and stores the parent's key in the child's row.
#pragma once

#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/key_traits.hpp"
#include "tabella/error.hpp"
#include "tabella/value.hpp"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace tabella {

namespace detail {
template <class T>
const entity_mapping& mapping_of();
}

/// A reference from a child struct to a parent struct P, stored as P's key (a FOREIGN KEY
/// column of the key's type: integer, string, UUID...). Holds either a pointer to a parent
/// object (usually one owned by the same session) or, for rows loaded from the database,
/// the parent's key. `std::optional<ref<P>>` makes the column nullable. P must have a
/// one-column primary key.
template <class P>
class ref {
  public:
    ref() = default;
    /// Refers to `parent`, whose key may not exist yet: it is read at flush time, after
    /// the parent's table has been written.
    ref(P& parent) noexcept : parent_(&parent) {} // NOLINT: implicit, `child.owner = bob;`
    /// Refers to the parent with primary key `key` (an integer, std::string, tabella::uuid...:
    /// anything P's key member is made from).
    template <class K>
    requires(!std::is_same_v<std::remove_cvref_t<K>, ref> &&
             !std::is_same_v<std::remove_cvref_t<K>, P> &&
             std::constructible_from<value, K>) explicit ref(K&& key)
        : key_(std::forward<K>(key)) {}

    /// The parent's key: the pointed-to object's key, or the stored one; nullopt while the
    /// pointed-to parent has no key yet. std::optional<std::int64_t> for integer keys,
    /// std::optional<std::string> for string keys, and so on.
    [[nodiscard]] auto key() const {
        using K = detail::ref_key_t<P>;
        if (parent_) return detail::key_part_of_object<P>(*parent_);
        if (key_.is_null()) return std::optional<K>();
        return std::optional<K>(key_.as<K>());
    }
    /// The parent object this ref was made from, or nullptr (e.g. for loaded rows: use
    /// `session.get<P>(*ref.key())`).
    [[nodiscard]] P* get() const noexcept { return parent_; }

    /// The key as a parameter to bind: a view into the parent object or into this ref.
    /// Null while the pointed-to parent has no key yet.
    [[nodiscard]] param_ref bind_key() const {
        if (parent_) return detail::bind_key_part<P, 0>(*parent_);
        return key_.ref();
    }

    friend bool operator==(const ref& a, const ref& b) { return a.key() == b.key(); }

  private:
    P* parent_ = nullptr;
    value key_;
};

} // namespace tabella
