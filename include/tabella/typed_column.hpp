// col(&T::member): a column of a mapped struct whose comparisons are checked against the
// member's type at compile time.
#pragma once

#include "tabella/expression.hpp"
#include "tabella/mapping.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace tabella {

namespace detail {

/// What a C++ type holds, as far as SQL comparisons go.
enum class operand_kind { number, boolean, enumeration, text, time, date, uuid, blob, null, other };

template <class V>
struct optional_of {
    using type = void;
};
template <class V>
struct optional_of<std::optional<V>> {
    using type = V;
};

template <class V>
constexpr operand_kind operand_kind_of() {
    using U = std::remove_cvref_t<V>;
    if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::nullptr_t>)
        return operand_kind::null;
    else if constexpr (!std::is_void_v<typename optional_of<U>::type>)
        return operand_kind_of<typename optional_of<U>::type>();
    else if constexpr (ref_member<U>::value)
        return operand_kind_of<ref_key_t<typename ref_member<U>::parent>>();
    else if constexpr (std::is_same_v<U, bool>)
        return operand_kind::boolean;
    else if constexpr (std::is_enum_v<U>)
        return operand_kind::enumeration;
    else if constexpr (std::is_arithmetic_v<U>)
        return operand_kind::number;
    else if constexpr (std::is_convertible_v<const U&, std::string_view>)
        return operand_kind::text;
    else if constexpr (std::is_same_v<U, timestamp> ||
                       std::is_same_v<U, std::chrono::system_clock::time_point> ||
                       std::is_same_v<U, std::chrono::sys_days>)
        return operand_kind::time;
    else if constexpr (std::is_same_v<U, std::chrono::year_month_day>)
        return operand_kind::date;
    else if constexpr (std::is_same_v<U, uuid>)
        return operand_kind::uuid;
    else if constexpr (std::is_same_v<U, blob>)
        return operand_kind::blob;
    else
        return operand_kind::other;
}

template <class M>
constexpr bool nullable_member = !std::is_void_v<typename optional_of<M>::type>;
/// M, or the T of std::optional<T>.
template <class M>
using strip_optional_t = std::conditional_t<nullable_member<M>, typename optional_of<M>::type, M>;
template <class V>
constexpr bool is_expression = std::is_base_of_v<expr, std::remove_cvref_t<V>>;

/// A value of type V may be compared with a column of member type M.
template <class M, class V>
constexpr bool comparable() {
    constexpr operand_kind m = operand_kind_of<M>(), v = operand_kind_of<V>();
    if constexpr (is_expression<V>)
        return true; // an untyped expression: the database checks
    else if constexpr (ref_member<std::remove_cvref_t<V>>::value)
        return false; // a ref object: compare with its key()
    else if constexpr (v == operand_kind::null)
        return nullable_member<M>;
    else if constexpr (m == operand_kind::enumeration)
        return std::is_same_v<strip_optional_t<M>, strip_optional_t<std::remove_cvref_t<V>>>;
    else
        return m == v && m != operand_kind::other;
}

/// The value bound for `v`: enums as their integer, std::optional<E> too.
template <class V>
value operand_value(const V& v) {
    using U = strip_optional_t<V>;
    if constexpr (std::is_enum_v<U> && nullable_member<V>)
        return v ? value(static_cast<std::int64_t>(*v)) : value();
    else if constexpr (std::is_enum_v<U>)
        return value(static_cast<std::int64_t>(v));
    else
        return value(v);
}

template <class V>
constexpr bool readable_one =
    std::is_same_v<V, std::int64_t> || std::is_same_v<V, int> || std::is_same_v<V, double> ||
    std::is_same_v<V, bool> || std::is_same_v<V, std::string> || std::is_same_v<V, blob> ||
    std::is_same_v<V, timestamp> || std::is_same_v<V, std::chrono::system_clock::time_point> ||
    std::is_same_v<V, uuid> || std::is_same_v<V, std::chrono::year_month_day>;
/// value::as<V>() exists.
template <class V>
constexpr bool readable_v = readable_one<strip_optional_t<V>>;

} // namespace detail

template <class M>
class typed_column;

namespace detail {
template <class V>
struct typed_column_member {
    using type = void;
};
template <class N>
struct typed_column_member<typed_column<N>> {
    using type = N;
};
} // namespace detail

/// The column of member type M that `col(&T::member)` names. Comparing it with a value of
/// another kind (a number with a string, a string with a date...) does not compile;
/// comparing with an untyped expression (`tabella::sum(...)`, a Core column) is left to
/// the database.
template <class M>
class typed_column : public column_expr {
  public:
    using member_type = M;
    explicit typed_column(column_expr c) : column_expr(std::move(c)) {}

    template <class V>
    condition operator==(const V& v) const {
        return expr::operator==(operand(v));
    }
    template <class V>
    condition operator!=(const V& v) const {
        return expr::operator!=(operand(v));
    }
    template <class V>
    condition operator<(const V& v) const {
        return expr::operator<(operand(v));
    }
    template <class V>
    condition operator<=(const V& v) const {
        return expr::operator<=(operand(v));
    }
    template <class V>
    condition operator>(const V& v) const {
        return expr::operator>(operand(v));
    }
    template <class V>
    condition operator>=(const V& v) const {
        return expr::operator>=(operand(v));
    }
    template <class L, class H>
    [[nodiscard]] condition between(const L& low, const H& high) const {
        return expr::between(operand(low), operand(high));
    }
    [[nodiscard]] condition like(std::string pattern) const {
        static_assert(detail::operand_kind_of<M>() == detail::operand_kind::text,
                      "tabella: like() is for columns of text (std::string) members");
        return expr::like(std::move(pattern));
    }
    [[nodiscard]] condition ilike(std::string pattern) const {
        static_assert(detail::operand_kind_of<M>() == detail::operand_kind::text,
                      "tabella: ilike() is for columns of text (std::string) members");
        return expr::ilike(std::move(pattern));
    }

  private:
    template <class V>
    static constexpr bool accepts() {
        using N = typename detail::typed_column_member<std::remove_cvref_t<V>>::type;
        if constexpr (std::is_void_v<N>)
            return detail::comparable<M, V>();
        else // another member's column: the same kind of value
            return detail::operand_kind_of<M>() == detail::operand_kind_of<N>() &&
                   (detail::operand_kind_of<M>() != detail::operand_kind::enumeration ||
                    std::is_same_v<detail::strip_optional_t<M>, detail::strip_optional_t<N>>);
    }
    template <class V>
    static decltype(auto) operand(const V& v) {
        static_assert(accepts<V>(),
                      "tabella: col(&T::member) compared with a value of another type (a number "
                      "with a string, a string with a date...): compare it with a value of the "
                      "member's type, or with std::nullopt only if the member is optional");
        if constexpr (detail::is_expression<V>)
            return static_cast<const expr&>(v);
        else
            return detail::operand_value(v);
    }
};

// An untyped expression on the left of a typed column (`count() == col(&T::n)`): the
// plain comparison, so that no compiler rewrites it into the typed column's template.
#define TABELLA_UNTYPED_LEFT(OP)                                                                   \
    template <class E, class M>                                                                    \
    requires(std::is_base_of_v<expr, E> &&                                                         \
             std::is_void_v<typename detail::typed_column_member<E>::type>) condition              \
    operator OP(const E& a, const typed_column<M>& b) {                                            \
        return static_cast<const expr&>(a).operator OP(static_cast<const expr&>(b));               \
    }
TABELLA_UNTYPED_LEFT(==)
TABELLA_UNTYPED_LEFT(!=)
TABELLA_UNTYPED_LEFT(<)
TABELLA_UNTYPED_LEFT(<=)
TABELLA_UNTYPED_LEFT(>)
TABELLA_UNTYPED_LEFT(>=)
#undef TABELLA_UNTYPED_LEFT

/// `col(&student::age) >= 18`: the column of a mapped struct's member, for where(),
/// order_by(), select() and group_by(); comparisons are type-checked (typed_column).
template <class T, class M>
[[nodiscard]] typed_column<M> col(M T::*member) {
    static_assert(detail::column_width<M>() == 1,
                  "tabella: col() names one column; a ref to a composite key has several "
                  "(<member>_<parent key column>): compare each of them by name.");
    return typed_column<M>(
        detail::column_of(detail::mapping_of<T>(), detail::member_index(member)));
}

} // namespace tabella
