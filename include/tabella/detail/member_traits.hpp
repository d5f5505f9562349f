// How each supported C++ member type maps to a column: type, nullability, binding, loading.
#pragma once

#include "tabella/export.hpp"

#include "tabella/detail/key_traits.hpp"
#include "tabella/metadata.hpp"
#include "tabella/ref.hpp"
#include "tabella/uuid.hpp"
#include "tabella/value.hpp"

#include <boost/hana/string.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tabella::detail {

/// A compile-time name, so that diagnostics about a member spell out its name.
template <std::size_t N>
struct fixed_name {
    char chars[N];
};
template <char... C>
constexpr fixed_name<sizeof...(C) + 1> make_fixed_name(boost::hana::string<C...>) {
    return {{C..., '\0'}};
}

/// The name of T as the compiler spells it, e.g. "student".
template <class T>
constexpr std::string_view type_name() {
    std::string_view p = __PRETTY_FUNCTION__;
    const auto start = p.find("T = ") + 4;
    return p.substr(start, p.find_first_of(";]", start) - start);
}

/// Column type and nullability of a member's column; for a ref<P>, the table and key column
/// it references. A ref to a composite key has one column per key column: `part` of `parts`.
struct TABELLA_EXPORT member_column {
    column_type type;
    bool nullable;
    std::string_view parent_table = {};
    std::string_view parent_key = {};
    const entity_mapping& (*parent)() = nullptr;
    std::size_t part = 0;
    std::size_t parts = 1;
    tabella::on_delete on_delete = tabella::on_delete::restrict; ///< of a ref<P, D>
    /// A cell of the column type's own kind (integer, real, text) loads into the member and
    /// binds back unchanged (int, std::int64_t, double, std::string and their optionals):
    /// the session fingerprints such a cell as it is read instead of the member.
    bool reads_exactly = false;
};

template <class M>
struct member_traits {
    static constexpr bool supported = false;
};

template <class M, column_type Type, bool Exact = false>
struct plain_member {
    static constexpr bool supported = true;
    static constexpr member_column column() {
        member_column c{Type, false};
        c.reads_exactly = Exact;
        return c;
    }
    static void load(M& m, const value& v) { m = v.as<M>(); }
};

/// Reads a member of type M from a driver's view of its cell through value, as the
/// conversions of value::as<M>() say: what load_view does for the kinds it does not read
/// directly, so that both paths convert alike.
template <class M>
void load_through_value(M& m, const param_ref& cell) {
    value held = value::from_ref(cell);
    member_traits<M>::load(m, held);
}

template <>
struct member_traits<int> : plain_member<int, column_type::integer, true> {
    static param_ref bind(int v) noexcept { return param_ref::of_integer(v); }
    static void load_view(int& m, const param_ref& cell) {
        if (cell.kind == value_kind::integer && cell.integer >= std::numeric_limits<int>::min() &&
            cell.integer <= std::numeric_limits<int>::max())
            m = static_cast<int>(cell.integer);
        else
            load_through_value(m, cell); // converts, or says why it cannot
    }
};
template <>
struct member_traits<std::int64_t> : plain_member<std::int64_t, column_type::big_integer, true> {
    static param_ref bind(std::int64_t v) noexcept { return param_ref::of_integer(v); }
    static void load_view(std::int64_t& m, const param_ref& cell) {
        if (cell.kind == value_kind::integer)
            m = cell.integer;
        else
            load_through_value(m, cell);
    }
};
template <>
struct member_traits<double> : plain_member<double, column_type::real, true> {
    static param_ref bind(double v) noexcept { return param_ref::of_real(v); }
    static void load_view(double& m, const param_ref& cell) {
        if (cell.kind == value_kind::real)
            m = cell.real;
        else
            load_through_value(m, cell);
    }
};
template <>
struct member_traits<bool> : plain_member<bool, column_type::boolean> {
    static param_ref bind(bool v) noexcept { return param_ref::of_boolean(v); }
};
template <>
struct member_traits<std::string> : plain_member<std::string, column_type::string, true> {
    static param_ref bind(const std::string& v) noexcept { return param_ref::of_text(v); }
    using plain_member::load;
    /// From a cell the caller is done with: its text is moved, not copied.
    static void load(std::string& m, value& v) {
        if (std::string* text = v.text_if())
            m = std::move(*text);
        else
            m = v.as<std::string>();
    }
    /// The text is copied once, from the driver's buffer into the member.
    static void load_view(std::string& m, const param_ref& cell) {
        if (cell.kind == value_kind::text)
            m.assign(static_cast<const char*>(cell.data), cell.size);
        else
            load_through_value(m, cell);
    }
};
template <>
struct member_traits<blob> : plain_member<blob, column_type::blob> {
    static param_ref bind(const blob& v) noexcept { return param_ref::of_blob(v.data(), v.size()); }
};
template <>
struct member_traits<std::chrono::system_clock::time_point>
    : plain_member<std::chrono::system_clock::time_point, column_type::timestamp> {
    static param_ref bind(std::chrono::system_clock::time_point v) noexcept {
        return param_ref::of_timestamp(std::chrono::time_point_cast<std::chrono::microseconds>(v));
    }
};
/// tabella::timestamp, std::chrono::sys_time<std::chrono::microseconds>: years 1 to 9999.
template <>
struct member_traits<timestamp> : plain_member<timestamp, column_type::timestamp> {
    static param_ref bind(timestamp v) noexcept { return param_ref::of_timestamp(v); }
};
template <>
struct member_traits<uuid> : plain_member<uuid, column_type::uuid> {
    static param_ref bind(const uuid& v) noexcept { return param_ref::of_uuid(v); }
};
/// A date not on the calendar (February 30th) is a conversion_error when it is sent.
template <>
struct member_traits<std::chrono::year_month_day>
    : plain_member<std::chrono::year_month_day, column_type::date> {
    static param_ref bind(std::chrono::year_month_day v) noexcept { return param_ref::of_date(v); }
};

/// Enums are stored as their integer value.
template <class E>
requires std::is_enum_v<E>
struct member_traits<E> {
    static constexpr bool supported = true;
    static constexpr member_column column() { return {column_type::big_integer, false}; }
    static param_ref bind(E v) noexcept {
        return param_ref::of_integer(static_cast<std::int64_t>(v));
    }
    static void load(E& m, const value& v) { m = static_cast<E>(v.as<std::int64_t>()); }
};

/// std::optional<T> is a nullable column of T.
template <class M>
struct member_traits<std::optional<M>> {
    static constexpr bool supported = member_traits<M>::supported;
    static constexpr member_column column() {
        member_column c = member_traits<M>::column();
        c.nullable = true;
        return c;
    }
    static param_ref bind(const std::optional<M>& v) noexcept(
        noexcept(member_traits<M>::bind(std::declval<const M&>()))) {
        return v ? member_traits<M>::bind(*v) : param_ref::of_null();
    }
    template <class V> // value or const value: a text cell is moved from when it may be
    static void load(std::optional<M>& m, V& v) {
        if (v.is_null()) {
            m.reset();
            return;
        }
        member_traits<M>::load(m.emplace(), v);
    }
    static void load_view(std::optional<M>& m, const param_ref& cell) {
        if (cell.kind == value_kind::null) {
            m.reset();
            return;
        }
        if constexpr (requires(M & inner) { member_traits<M>::load_view(inner, cell); })
            member_traits<M>::load_view(m.emplace(), cell);
        else
            load_through_value(m.emplace(), cell);
    }
};

/// A value of member type M read from `v`.
template <class M>
M load_part(const value& v) {
    M out{};
    member_traits<M>::load(out, v);
    return out;
}

/// ref<P> is P's key: a NOT NULL foreign key (nullable as std::optional<ref<P>>) of the
/// type of P's key column; one column per key column when P's key is composite.
template <class P, on_delete D>
struct member_traits<ref<P, D>> {
    static constexpr bool supported = true;
    static constexpr std::size_t width = key_width<P>;

    static void describe(member_column* out) {
        static_assert(D != on_delete::set_null,
                      "tabella: ref<P, on_delete::set_null> needs a nullable column: declare "
                      "the member as std::optional<ref<P, on_delete::set_null>>.");
        describe_nullable(out, false);
    }
    /// describe(), for std::optional<ref<P, D>> as well.
    static void describe_nullable(member_column* out, bool nullable) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((out[K] = {member_traits<key_part_t<P, K>>::column().type, nullable,
                        table_traits<P>::name, key_names<P>()[K], &mapping_of<P>, K, width, D}),
             ...);
        }
        (std::make_index_sequence<width>{});
    }
    static void bind_columns(const ref<P, D>& r, param_ref* out) {
        r.bind_keys(out);
        for (std::size_t k = 0; k < width; ++k)
            if (out[k].kind == value_kind::null)
                throw usage_error("a ref<" + mapping_of<P>().struct_name +
                                  "> points at an object with no key yet: add the parent to "
                                  "the session too");
    }
    static void load_columns(ref<P, D>& r, const value* cells) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            r = ref<P, D>(load_part<key_part_t<P, K>>(cells[K])...);
        }
        (std::make_index_sequence<width>{});
    }
};

/// std::optional<ref<P, D>>: the same columns, nullable; NULL in every column is no parent.
template <class P, on_delete D>
struct member_traits<std::optional<ref<P, D>>> {
    static constexpr bool supported = true;
    static constexpr std::size_t width = key_width<P>;

    static void describe(member_column* out) {
        member_traits<ref<P, D>>::describe_nullable(out, true);
    }
    static void bind_columns(const std::optional<ref<P, D>>& r, param_ref* out) {
        if (r) return member_traits<ref<P, D>>::bind_columns(*r, out);
        for (std::size_t k = 0; k < width; ++k) out[k] = param_ref::of_null();
    }
    static void load_columns(std::optional<ref<P, D>>& r, const value* cells) {
        for (std::size_t k = 0; k < width; ++k) {
            if (cells[k].is_null()) continue;
            member_traits<ref<P, D>>::load_columns(r.emplace(), cells);
            return;
        }
        r.reset();
    }
};

/// How many columns a member of type M takes (a ref to a composite key: several).
template <class M>
constexpr std::size_t column_width() {
    if constexpr (requires { member_traits<M>::width; })
        return member_traits<M>::width;
    else
        return 1;
}
/// Writes the column description(s) of a member of type M.
template <class M>
void describe_columns(member_column* out) {
    if constexpr (requires { member_traits<M>::width; })
        member_traits<M>::describe(out);
    else
        *out = member_traits<M>::column();
}
/// Writes the parameter(s) of member `m`, one per column.
template <class M>
void bind_columns(const M& m, param_ref* out) {
    if constexpr (requires { member_traits<M>::width; })
        member_traits<M>::bind_columns(m, out);
    else
        *out = member_traits<M>::bind(m);
}
/// Reads member `m` from a driver's views of its column(s) (prepared_statement::execute_each).
template <class M>
void load_view_columns(M& m, const param_ref* cells) {
    if constexpr (requires { member_traits<M>::width; }) {
        value held[member_traits<M>::width];
        for (std::size_t k = 0; k < member_traits<M>::width; ++k)
            held[k] = value::from_ref(cells[k]);
        member_traits<M>::load_columns(m, held);
    } else if constexpr (requires { member_traits<M>::load_view(m, *cells); }) {
        member_traits<M>::load_view(m, *cells);
    } else {
        load_through_value(m, *cells);
    }
}
/// Reads member `m` from its column(s); text is moved out of `cells` when they are not const.
template <class M, class V>
void load_columns(M& m, V* cells) {
    if constexpr (requires { member_traits<M>::width; })
        member_traits<M>::load_columns(m, cells);
    else
        member_traits<M>::load(m, *cells);
}

/// Key part K of `obj`, typed; nullopt while it has none.
template <class P, std::size_t K>
std::optional<key_part_t<P, K>> key_part_value(const P& obj) {
    using part = key_part_t<P, K>;
    const auto& m = member_at<const P, key_indices<P>()[K]>(obj);
    if constexpr (requires { m.bind_key(); })
        return m.key();
    else if constexpr (requires { m.has_value(); })
        return m ? std::optional<part>(static_cast<part>(*m)) : std::nullopt;
    else
        return std::optional<part>(static_cast<part>(m));
}

template <class P>
void bind_key_parts(const P& obj, param_ref* out) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (
            [&] {
                const auto& m = member_at<const P, key_indices<P>()[K]>(obj);
                using M = std::remove_cvref_t<decltype(m)>;
                if constexpr (requires { m.bind_key(); })
                    out[K] = m.bind_key();
                else
                    out[K] = member_traits<M>::bind(m);
            }(),
            ...);
    }
    (std::make_index_sequence<key_width<P>>{});
}

template <class P>
std::optional<ref_key_t<P>> key_part_of_object(const P& obj) {
    if constexpr (key_width<P> == 1) {
        return key_part_value<P, 0>(obj);
    } else {
        return [&]<std::size_t... K>(std::index_sequence<K...>)->std::optional<ref_key_t<P>> {
            auto parts = std::make_tuple(key_part_value<P, K>(obj)...);
            if (!(std::get<K>(parts) && ...)) return std::nullopt;
            return ref_key_t<P>(std::move(*std::get<K>(parts))...);
        }
        (std::make_index_sequence<key_width<P>>{});
    }
}

template <class P, class... K>
void encode_ref_key(std::string& out, K&&... parts) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        auto typed = std::forward_as_tuple(std::forward<K>(parts)...);
        (append_key_part(out, member_traits<key_part_t<P, I>>::bind(
                                  key_part_t<P, I>(std::get<I>(std::move(typed))))),
         ...);
    }
    (std::index_sequence_for<K...>{});
}

template <class P>
ref_key_t<P> decode_ref_key(std::string_view encoded) {
    param_ref parts[key_width<P>];
    decode_key_parts(encoded, parts, key_width<P>);
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        ref_key_t<P> out;
        (member_traits<key_part_t<P, K>>::load(std::get<K>(out), value::from_ref(parts[K])), ...);
        return out;
    }
    (std::make_index_sequence<key_width<P>>{});
}

/// The object a ref member points at, for ordering rows of one table.
template <class M>
const void* ref_target(const M&) noexcept {
    return nullptr;
}
template <class P, on_delete D>
const void* ref_target(const ref<P, D>& r) noexcept {
    return r.get();
}
template <class P, on_delete D>
const void* ref_target(const std::optional<ref<P, D>>& r) noexcept {
    return r ? r->get() : nullptr;
}

} // namespace tabella::detail
