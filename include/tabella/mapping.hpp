// Mapping plain structs to tables at compile time with Boost.Hana. Any hana::Struct works
// (BOOST_HANA_DEFINE_STRUCT or BOOST_HANA_ADAPT_STRUCT). The templates here only describe
// the struct; they hand it to compiled code as a detail::entity_mapping at once.
#pragma once

#include "tabella/export.hpp"

#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/member_traits.hpp"
#include "tabella/expression.hpp"

#include <boost/hana/accessors.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/unpack.hpp>

#include <array>
#include <deque>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

namespace tabella {

class engine;

/// Specialize for each mapped struct:
/// ```
/// template <> struct tabella::table_traits<student> {
///     static constexpr std::string_view name = "students";
///     static constexpr std::string_view primary_key = "student_id"; // optional; default "id"
/// };
/// ```
template <class T>
struct table_traits;

namespace detail {

template <class T>
concept has_table_traits = requires {
    std::string_view(table_traits<T>::name);
};

/// The member names of T, in declaration order.
template <class T>
constexpr auto member_names() {
    return boost::hana::unpack(boost::hana::accessors<T>(), [](auto... acc) {
        return std::array<std::string_view, sizeof...(acc)>{
            std::string_view(boost::hana::to<char const*>(boost::hana::first(acc)))...};
    });
}

template <class T>
consteval std::size_t key_index() {
    constexpr auto names = member_names<T>();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == key_name<T>()) return i;
    return names.size();
}

/// The index of the optimistic-locking member named by table_traits<T>::version, or the
/// member count when T has none.
template <class T>
consteval std::size_t version_index() {
    constexpr auto names = member_names<T>();
    if constexpr (requires { std::string_view(table_traits<T>::version); }) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == std::string_view(table_traits<T>::version)) return i;
    }
    return names.size();
}
template <class T>
concept versioned = requires {
    std::string_view(table_traits<T>::version);
};

template <class T, std::size_t I>
decltype(auto) member_at(T& obj) {
    return boost::hana::second(
        boost::hana::at_c<I>(boost::hana::accessors<std::remove_const_t<T>>()))(obj);
}

template <class T>
using key_member_t =
    std::remove_cvref_t<decltype(member_at<T, key_index<T>()>(std::declval<T&>()))>;

/// Fails to compile, naming the struct and the member, when a member type is not mapped.
template <class Struct, auto Member, class Type>
struct check_member {
    static_assert(member_traits<Type>::supported,
                  "tabella: this member of a mapped struct has a type tabella cannot store. "
                  "Use int, std::int64_t, double, bool, std::string, tabella::blob, an enum, "
                  "std::chrono::system_clock::time_point, or std::optional of one of them.");
    static constexpr bool value = member_traits<Type>::supported;
};

template <class T>
consteval bool check_struct() {
    static_assert(boost::hana::Struct<T>::value,
                  "tabella: a mapped type must be a hana::Struct: declare its members with "
                  "BOOST_HANA_DEFINE_STRUCT or adapt it with BOOST_HANA_ADAPT_STRUCT.");
    static_assert(has_table_traits<T>,
                  "tabella: specialize tabella::table_traits<T> with "
                  "`static constexpr std::string_view name = \"table\";` for this struct.");
    static_assert(!boost::hana::Struct<T>::value || key_index<T>() < member_names<T>().size(),
                  "tabella: the mapped struct has no primary-key member: add a member named "
                  "`id`, or name one in table_traits<T>::primary_key.");
    static_assert(std::is_default_constructible_v<T>,
                  "tabella: a mapped struct must be default-constructible (rows are loaded "
                  "into default-constructed objects).");
    static_assert(!versioned<T> || version_index<T>() < member_names<T>().size(),
                  "tabella: table_traits<T>::version names no member of the struct.");
    if constexpr (boost::hana::Struct<T>::value) {
        constexpr bool members_ok =
            boost::hana::unpack(boost::hana::accessors<T>(), [](auto... acc) {
                return (check_member<T,
                                     make_fixed_name(
                                         std::remove_cvref_t<decltype(boost::hana::first(acc))>{}),
                                     std::remove_cvref_t<decltype(boost::hana::second(acc)(
                                         std::declval<T&>()))>>::value &&
                        ...);
            });
        return members_ok && has_table_traits<T> && key_index<T>() < member_names<T>().size() &&
               std::is_default_constructible_v<T>;
    } else {
        return false;
    }
}

template <class T>
void bind_row(const void* obj, param_ref* out) {
    const T& o = *static_cast<const T*>(obj);
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        using M = std::remove_cvref_t<decltype(boost::hana::second(acc)(o))>;
        *out++ = member_traits<M>::bind(boost::hana::second(acc)(o));
    });
}

template <class T>
void load_row(void* obj, const value* cells) {
    T& o = *static_cast<T*>(obj);
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        using M = std::remove_cvref_t<decltype(boost::hana::second(acc)(o))>;
        member_traits<M>::load(boost::hana::second(acc)(o), *cells++);
    });
}

template <class T>
void ref_targets(const void* obj, const void** out) {
    const T& o = *static_cast<const T*>(obj);
    boost::hana::for_each(boost::hana::accessors<T>(),
                          [&](auto acc) { *out++ = ref_target(boost::hana::second(acc)(o)); });
}

template <class T>
std::optional<std::int64_t> get_key(const void* obj) {
    return key_traits<key_member_t<T>>::get(
        member_at<const T, key_index<T>()>(*static_cast<const T*>(obj)));
}

template <class T>
void set_key(void* obj, std::optional<std::int64_t> key) {
    key_traits<key_member_t<T>>::set(member_at<T, key_index<T>()>(*static_cast<T*>(obj)), key);
}

template <class T>
std::int64_t get_version(const void* obj) {
    return member_at<const T, version_index<T>()>(*static_cast<const T*>(obj));
}

template <class T>
void set_version(void* obj, std::int64_t version) {
    member_at<T, version_index<T>()>(*static_cast<T*>(obj)) = version;
}

/// Owns the objects of type T a session tracks; addresses are stable.
template <class T>
class typed_store final : public object_store {
  public:
    void* emplace() override { return &singles_.emplace_back(); }
    T& add(T&& obj) { return singles_.emplace_back(std::move(obj)); }
    std::vector<T>& add_all(std::vector<T>&& objs) {
        return batches_.emplace_back(std::move(objs));
    }

  private:
    std::deque<T> singles_;
    std::deque<std::vector<T>> batches_;
};

template <class T>
std::unique_ptr<object_store> make_store() {
    return std::make_unique<typed_store<T>>();
}

/// Column descriptions of T: name, type and nullability per member, key flagged.
[[nodiscard]] TABELLA_EXPORT entity_mapping
make_entity_mapping(std::string_view struct_name, std::string_view table,
                    std::span<const std::string_view> names, std::span<const member_column> columns,
                    std::size_t key_index, bool key_generated, const entity_mapping& (*self)());

template <class T>
entity_mapping build_mapping() {
    constexpr auto names = member_names<T>();
    const auto columns = boost::hana::unpack(boost::hana::accessors<T>(), [](auto... acc) {
        return std::array<member_column, sizeof...(acc)>{member_traits<std::remove_cvref_t<
            decltype(boost::hana::second(acc)(std::declval<T&>()))>>::column()...};
    });
    entity_mapping e =
        make_entity_mapping(type_name<T>(), table_traits<T>::name, names, columns, key_index<T>(),
                            key_traits<key_member_t<T>>::generated, &mapping_of<T>);
    e.bind_row = &detail::bind_row<T>;
    e.load_row = &detail::load_row<T>;
    e.get_key = &detail::get_key<T>;
    e.set_key = &detail::set_key<T>;
    e.make_store = &detail::make_store<T>;
    e.ref_targets = &detail::ref_targets<T>;
    e.object_size = sizeof(T);
    e.version_index = version_index<T>();
    if constexpr (versioned<T>) {
        using version_t =
            std::remove_cvref_t<decltype(member_at<T, version_index<T>()>(std::declval<T&>()))>;
        static_assert(std::is_same_v<version_t, std::int64_t>,
                      "tabella: the version member (table_traits<T>::version) must be a "
                      "std::int64_t.");
        e.get_version = &detail::get_version<T>;
        e.set_version = &detail::set_version<T>;
    }
    return e;
}

/// Declared only: named where a struct cannot be mapped, after the static_assert fired.
template <class T>
const entity_mapping& unmappable();

/// The mapping of T, built once. A struct tabella cannot map stops compilation here with
/// a message that says what to change.
template <class T>
const entity_mapping& mapping_of() {
    if constexpr (check_struct<T>()) {
        static const entity_mapping m = build_mapping<T>();
        return m;
    } else {
        return unmappable<T>(); // never linked: compilation already failed above
    }
}

/// Index of the member `member` points to, found by address on a probe object.
template <class T, class M>
std::size_t member_index(M T::*member) {
    const T probe{};
    const void* target = &(probe.*member);
    std::size_t index = 0, found = member_names<T>().size();
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        if (static_cast<const void*>(&boost::hana::second(acc)(probe)) == target) found = index;
        ++index;
    });
    return found;
}

[[nodiscard]] TABELLA_EXPORT column_expr column_of(const entity_mapping& m, std::size_t index);

TABELLA_EXPORT void create_tables(engine& eng,
                                  std::initializer_list<const entity_mapping*> mappings);
TABELLA_EXPORT void drop_tables(engine& eng, std::initializer_list<const entity_mapping*> mappings);

} // namespace detail

/// `col(&student::age) >= 18`: a column of a mapped struct, for where() and order_by().
template <class T, class M>
[[nodiscard]] column_expr col(M T::*member) {
    return detail::column_of(detail::mapping_of<T>(), detail::member_index(member));
}

/// CREATE TABLE IF NOT EXISTS for each mapped struct, in the order given (parents first).
template <class... T>
void create_all(engine& eng) {
    detail::create_tables(eng, {&detail::mapping_of<T>()...});
}

/// DROP TABLE IF EXISTS for each mapped struct, in reverse order (children first).
template <class... T>
void drop_all(engine& eng) {
    detail::drop_tables(eng, {&detail::mapping_of<T>()...});
}

} // namespace tabella
