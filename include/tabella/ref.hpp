// tabella::ref<P>: a many-to-one relationship member. Point it at a parent object and the
// flush writes the parent first and stores the parent's generated key in the child's row.
#pragma once

#include "tabella/detail/entity_mapping.hpp"
#include "tabella/error.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tabella {

template <class T>
struct table_traits;

namespace detail {
template <class T>
const entity_mapping& mapping_of();
}

/// A reference from a child struct to a parent struct P, stored as P's key (a FOREIGN KEY
/// column). Holds either a pointer to a parent object (usually one owned by the same
/// session) or, for rows loaded from the database, the parent's key.
/// `std::optional<ref<P>>` makes the column nullable.
template <class P>
class ref {
  public:
    ref() = default;
    /// Refers to `parent`, whose key may not exist yet: it is read at flush time, after
    /// the parent's table has been written.
    ref(P& parent) noexcept : parent_(&parent) {} // NOLINT: implicit, `child.owner = bob;`
    /// Refers to the parent with primary key `key`.
    explicit ref(std::int64_t key) noexcept : key_(key) {}

    /// The parent's key: the pointed-to object's key, or the stored one.
    [[nodiscard]] std::optional<std::int64_t> key() const {
        if (parent_) return detail::mapping_of<P>().get_key(parent_);
        return key_;
    }
    /// The parent object this ref was made from, or nullptr (e.g. for loaded rows: use
    /// `session.get<P>(*ref.key())`).
    [[nodiscard]] P* get() const noexcept { return parent_; }

    friend bool operator==(const ref& a, const ref& b) { return a.key() == b.key(); }

  private:
    P* parent_ = nullptr;
    std::optional<std::int64_t> key_;
};

} // namespace tabella
