// How each supported C++ member type maps to a column: type, nullability, binding, loading.
#pragma once

#include "tabella/export.hpp"

#include "tabella/metadata.hpp"
#include "tabella/ref.hpp"
#include "tabella/value.hpp"

#include <boost/hana/string.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

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

/// The primary-key member's name of T: "id" unless table_traits<T>::primary_key says.
template <class T>
consteval std::string_view key_name() {
    if constexpr (requires { std::string_view(table_traits<T>::primary_key); })
        return table_traits<T>::primary_key;
    else
        return "id";
}

/// Column type and nullability of a member; for a ref<P>, the table it references.
struct TABELLA_EXPORT member_column {
    column_type type;
    bool nullable;
    std::string_view parent_table = {};
    std::string_view parent_key = {};
    const entity_mapping& (*parent)() = nullptr;
};

template <class M>
struct member_traits {
    static constexpr bool supported = false;
};

template <class M, column_type Type>
struct plain_member {
    static constexpr bool supported = true;
    static constexpr member_column column() { return {Type, false}; }
    static void load(M& m, const value& v) { m = v.as<M>(); }
};

template <>
struct member_traits<int> : plain_member<int, column_type::integer> {
    static param_ref bind(int v) noexcept { return param_ref::of_integer(v); }
};
template <>
struct member_traits<std::int64_t> : plain_member<std::int64_t, column_type::big_integer> {
    static param_ref bind(std::int64_t v) noexcept { return param_ref::of_integer(v); }
};
template <>
struct member_traits<double> : plain_member<double, column_type::real> {
    static param_ref bind(double v) noexcept { return param_ref::of_real(v); }
};
template <>
struct member_traits<bool> : plain_member<bool, column_type::boolean> {
    static param_ref bind(bool v) noexcept { return param_ref::of_boolean(v); }
};
template <>
struct member_traits<std::string> : plain_member<std::string, column_type::string> {
    static param_ref bind(const std::string& v) noexcept { return param_ref::of_text(v); }
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
    static void load(std::optional<M>& m, const value& v) {
        if (v.is_null()) {
            m.reset();
            return;
        }
        member_traits<M>::load(m.emplace(), v);
    }
};

/// ref<P> is P's key: a NOT NULL foreign key (nullable as std::optional<ref<P>>).
template <class P>
struct member_traits<ref<P>> {
    static constexpr bool supported = true;
    static constexpr member_column column() {
        return {column_type::big_integer, false, table_traits<P>::name, key_name<P>(),
                &mapping_of<P>};
    }
    static param_ref bind(const ref<P>& r) {
        const auto key = r.key();
        if (!key)
            throw usage_error("a ref<" + mapping_of<P>().struct_name +
                              "> points at an object "
                              "with no key yet: add the parent to the session too");
        return param_ref::of_integer(*key);
    }
    static void load(ref<P>& r, const value& v) { r = ref<P>(v.as<std::int64_t>()); }
};

/// Primary-key members: an integer assigned by the application (0 is a key like any
/// other), or an optional integer that the database generates when empty.
template <class K>
struct key_traits {
    static constexpr bool generated = false;
    static std::optional<std::int64_t> get(const K&) { return std::nullopt; }
    static void set(K&, std::optional<std::int64_t>) {}
};
template <class K>
requires std::is_integral_v<K> &&(!std::is_same_v<K, bool>)struct key_traits<K> {
    static constexpr bool generated = false;
    static std::optional<std::int64_t> get(const K& k) { return static_cast<std::int64_t>(k); }
    static void set(K& k, std::optional<std::int64_t> v) {
        if (v) k = static_cast<K>(*v);
    }
};
template <class K>
requires std::is_integral_v<K> &&(!std::is_same_v<K, bool>)struct key_traits<std::optional<K>> {
    static constexpr bool generated = true;
    static std::optional<std::int64_t> get(const std::optional<K>& k) {
        return k ? std::optional<std::int64_t>(*k) : std::nullopt;
    }
    static void set(std::optional<K>& k, std::optional<std::int64_t> v) {
        if (v)
            k = static_cast<K>(*v);
        else
            k.reset();
    }
};

/// The object a ref member points at, for ordering rows of one table.
template <class M>
const void* ref_target(const M&) noexcept {
    return nullptr;
}
template <class P>
const void* ref_target(const ref<P>& r) noexcept {
    return r.get();
}
template <class P>
const void* ref_target(const std::optional<ref<P>>& r) noexcept {
    return r ? r->get() : nullptr;
}

} // namespace tabella::detail
