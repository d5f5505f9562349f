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
#include <string_view>
#include <type_traits>

namespace tabella {

namespace detail {
template <class T>
const entity_mapping& mapping_of();
}

/// A reference from a child struct to a parent struct P, stored as P's key: FOREIGN KEY
/// column(s) of the key's type (integer, string, UUID...). Holds either a pointer to a
/// parent object (usually one owned by the same session) or, for rows loaded from the
/// database, the parent's key. `std::optional<ref<P>>` makes the column(s) nullable.
///
/// A parent with a composite key is referenced by one column per key column, named
/// `<member>_<parent key column>` (a `ref<order_line> line` to order_lines(order_id,
/// line_no) is stored in line_order_id and line_line_no, with one FOREIGN KEY over both).
///
/// `D` is the foreign key's ON DELETE (restrict, the default; cascade; set_null, only on an
/// `std::optional<ref<P, on_delete::set_null>>`): create_all emits it, and a session that
/// removes a parent does the same to the children it holds.
template <class P, on_delete D>
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
             (std::constructible_from<value, K> ||
              std::is_enum_v<std::remove_cvref_t<K>>)) explicit ref(K&& key) {
        if constexpr (std::is_enum_v<std::remove_cvref_t<K>>)
            key_ = value(static_cast<std::int64_t>(key)); // as member_traits<E> binds it
        else
            key_ = value(std::forward<K>(key));
        static_assert(detail::key_width<P> == 1,
                      "tabella: P has a composite key: ref<P>(part1, part2, ...) takes one "
                      "value per key column");
    }
    /// Refers to the parent whose composite key is `parts` (one value per key column of P,
    /// in key order): `ref<order_line>(order_id, line_no)`.
    template <class K1, class K2, class... K>
    explicit ref(K1&& part1, K2&& part2, K&&... parts) {
        static_assert(detail::key_width<P> == 2 + sizeof...(K),
                      "tabella: ref<P>(parts...) takes one value per key column of P");
        std::string encoded;
        detail::encode_ref_key<P>(encoded, std::forward<K1>(part1), std::forward<K2>(part2),
                                  std::forward<K>(parts)...);
        key_ = value(std::move(encoded));
    }

    /// The parent's key: the pointed-to object's key, or the stored one; nullopt while the
    /// pointed-to parent has no key yet. std::optional<std::int64_t> for integer keys,
    /// std::optional<std::string> for string keys, and so on; for a composite key, a
    /// std::optional of a std::tuple of the parts.
    [[nodiscard]] auto key() const {
        using K = detail::ref_key_t<P>;
        if (parent_) return detail::key_part_of_object<P>(*parent_);
        if (key_.is_null()) return std::optional<K>();
        if constexpr (detail::key_width<P> == 1)
            return std::optional<K>(detail::load_part<K>(key_));
        else
            return std::optional<K>(detail::decode_ref_key<P>(key_.ref().text()));
    }
    /// The parent object this ref was made from, or nullptr (e.g. for loaded rows: use
    /// `session.get<P>(*ref.key())`).
    [[nodiscard]] P* get() const noexcept { return parent_; }

    /// The key as a parameter to bind (P has a one-column key): a view into the parent
    /// object or into this ref. Null while the pointed-to parent has no key yet.
    [[nodiscard]] param_ref bind_key() const {
        param_ref out[detail::key_width<P>];
        bind_keys(out);
        return out[0];
    }
    /// Writes one parameter per key column of P (views into the parent or this ref); null
    /// while the parent has no key yet, or when this ref holds none.
    void bind_keys(param_ref* out) const {
        if (parent_) return detail::bind_key_parts<P>(*parent_, out);
        if constexpr (detail::key_width<P> == 1) {
            *out = key_.ref();
        } else if (key_.is_null()) {
            for (std::size_t k = 0; k < detail::key_width<P>; ++k) out[k] = param_ref::of_null();
        } else {
            detail::decode_key_parts(key_.ref().text(), out, detail::key_width<P>);
        }
    }

    friend bool operator==(const ref& a, const ref& b) { return a.key() == b.key(); }

  private:
    P* parent_ = nullptr;
    value key_; ///< P's key; for a composite key, its parts encoded as append_key_part does
};

} // namespace tabella
