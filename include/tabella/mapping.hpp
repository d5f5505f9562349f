// Mapping plain structs to tables at compile time with Boost.Hana. Any hana::Struct works
// (BOOST_HANA_DEFINE_STRUCT or BOOST_HANA_ADAPT_STRUCT). The templates here only describe
// the struct; they hand it to compiled code as a detail::entity_mapping at once.
#pragma once

#include "tabella/export.hpp"

#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/index_members.hpp"
#include "tabella/detail/member_traits.hpp"
#include "tabella/detail/pages.hpp"
#include "tabella/expression.hpp"

#include <boost/hana/accessors.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>
#include <boost/hana/unpack.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

namespace tabella {

class engine;

/// A column's server default, for table_traits<T>::server_defaults:
/// `tabella::column_default{"created_at", "CURRENT_TIMESTAMP"}`. create_all emits
/// `DEFAULT <sql>`; a flush leaves an empty std::optional member with a default out of the
/// INSERT, and reads the value the database gave it back into the object.
struct column_default {
    std::string_view column;
    std::string_view sql;
};

/// Specialize for each mapped struct:
/// ```
/// template <> struct tabella::table_traits<student> {
///     static constexpr std::string_view name = "students";
///     static constexpr std::string_view primary_key = "student_id"; // optional; default "id"
/// };
/// ```
/// Other optional members: `server_defaults` (std::array<column_default, N>), `indexes`
/// (`static constexpr std::array indexes = {tabella::index_def{{"a", "b"}}};`) and
/// `unique_constraints` (an array of tabella::unique_def), created by create_all (every
/// ref<P> member has an index anyway, unless one of these or the key starts with it),
/// `version` (the
/// std::int64_t member for optimistic locking), and `key_sequence`
/// (`static constexpr std::string_view key_sequence = "items_id_seq";`, SQLAlchemy's
/// `Sequence("items_id_seq")`): a std::optional<std::int64_t> key drawn from that sequence
/// where the database has sequences. create_all creates it and a plain integer key column,
/// and a flush reserves keys from it a block at a time, whatever the insert strategy. SQLite
/// has none: there it is ignored and the key is the rowid.
template <class T>
struct table_traits;

namespace detail {

template <class T>
concept has_table_traits = requires {
    std::string_view(table_traits<T>::name);
};

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

/// The first column of each member of T, and (last) the column count: members are one
/// column each, except refs to composite keys.
template <class T>
consteval auto column_offsets() {
    return boost::hana::unpack(boost::hana::accessors<T>(), [](auto... acc) {
        constexpr std::size_t widths[] = {column_width<
            std::remove_cvref_t<decltype(boost::hana::second(acc)(std::declval<T&>()))>>()...};
        std::array<std::size_t, sizeof...(acc) + 1> out{};
        for (std::size_t i = 0; i < sizeof...(acc); ++i) out[i + 1] = out[i] + widths[i];
        return out;
    });
}

template <class T>
constexpr std::size_t column_count_of = column_offsets<T>().back();

/// table_traits<T>::key_sequence is given.
template <class T>
concept has_key_sequence = requires {
    std::string_view(table_traits<T>::key_sequence);
};

/// Fails to compile, naming the struct and the member, when a member type is not mapped.
template <class Struct, auto Member, class Type>
struct check_member {
    static_assert(member_traits<Type>::supported,
                  "tabella: this member of a mapped struct has a type tabella cannot store. "
                  "Use int, std::int64_t, double, bool, std::string, tabella::blob, an enum, "
                  "tabella::uuid, std::chrono::year_month_day, tabella::timestamp "
                  "(std::chrono::sys_time<std::chrono::microseconds>), "
                  "std::chrono::system_clock::time_point, or std::optional of one of them.");
    static constexpr bool value = member_traits<Type>::supported;
};

/// Fails to compile when a key member's type cannot be a key.
template <class Struct, auto Member, class Type, bool Composite>
struct check_key_member {
    static_assert(key_traits<Type>::supported,
                  "tabella: this primary-key member has a type tabella cannot use as a key. "
                  "Use an integer (assigned by the program), std::optional<std::int64_t> "
                  "(generated by the database), std::string, tabella::uuid, "
                  "std::optional<tabella::uuid> (a UUIDv7 made by the session), an enum, "
                  "std::chrono::year_month_day, tabella::timestamp or a ref<P>.");
    static constexpr bool supported = key_traits<Type>::supported;
    static constexpr bool value = [] {
        if constexpr (supported) {
            static_assert(!Composite || key_traits<Type>::source == key_source::application,
                          "tabella: every member of a composite primary key is set by the "
                          "program: use plain (not std::optional) members.");
            return !Composite || key_traits<Type>::source == key_source::application;
        } else {
            return false;
        }
    }();
};

/// The name of member I of T, as a template argument for diagnostics.
template <class T, std::size_t I>
constexpr auto member_fixed_name() {
    return make_fixed_name(std::remove_cvref_t<decltype(boost::hana::first(
                               boost::hana::at_c<I>(boost::hana::accessors<T>())))>{});
}

template <class T, std::size_t... K>
consteval bool check_key(std::index_sequence<K...>) {
    return (check_key_member<T, member_fixed_name<T, key_indices<T>()[K]>(), key_member_t<T, K>,
                             (sizeof...(K) > 1)>::value &&
            ...);
}

template <class T>
consteval bool check_struct() {
    static_assert(boost::hana::Struct<T>::value,
                  "tabella: a mapped type must be a hana::Struct: declare its members with "
                  "BOOST_HANA_DEFINE_STRUCT or adapt it with BOOST_HANA_ADAPT_STRUCT.");
    static_assert(has_table_traits<T>,
                  "tabella: specialize tabella::table_traits<T> with "
                  "`static constexpr std::string_view name = \"table\";` for this struct.");
    static_assert(!boost::hana::Struct<T>::value || key_members_exist<T>(),
                  "tabella: the mapped struct has no primary-key member: add a member named "
                  "`id`, or name it (or, for a composite key, each of its members) in "
                  "table_traits<T>::primary_key.");
    static_assert(std::is_default_constructible_v<T>,
                  "tabella: a mapped struct must be default-constructible (rows are loaded "
                  "into default-constructed objects).");
    static_assert(!versioned<T> || version_index<T>() < member_names<T>().size(),
                  "tabella: table_traits<T>::version names no member of the struct.");
    static_assert(!boost::hana::Struct<T>::value || index_members_exist<T>(),
                  "tabella: table_traits<T>::indexes or unique_constraints names a member the "
                  "struct does not have (or lists none): name members, as declared.");
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
        if constexpr (key_members_exist<T>())
            return members_ok && has_table_traits<T> && std::is_default_constructible_v<T> &&
                   check_key<T>(std::make_index_sequence<key_names<T>().size()>{});
        else
            return false;
    } else {
        return false;
    }
}

template <class T>
void bind_row(const void* obj, param_ref* out) {
    const T& o = *static_cast<const T*>(obj);
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        using M = std::remove_cvref_t<decltype(boost::hana::second(acc)(o))>;
        bind_columns<M>(boost::hana::second(acc)(o), out);
        out += column_width<M>();
    });
}

/// Names a column that load_column cannot read alone (part of a composite ref).
[[noreturn]] TABELLA_EXPORT void throw_partial_column(std::string_view struct_name,
                                                      std::size_t column);

template <class T>
void load_column(void* obj, std::size_t column, const value& cell) {
    T& o = *static_cast<T*>(obj);
    std::size_t first = 0;
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        using M = std::remove_cvref_t<decltype(boost::hana::second(acc)(o))>;
        if (column >= first && column < first + column_width<M>()) {
            if constexpr (column_width<M>() == 1)
                load_columns<M>(boost::hana::second(acc)(o), &cell);
            else
                throw_partial_column(type_name<T>(), column);
        }
        first += column_width<M>();
    });
}

template <class T>
std::uint64_t empty_members(const void* obj) {
    const T& o = *static_cast<const T*>(obj);
    std::uint64_t mask = 0;
    std::size_t column = 0;
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        const auto& member = boost::hana::second(acc)(o);
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (requires { member.has_value(); })
            if (!member.has_value())
                for (std::size_t k = 0; k < column_width<M>(); ++k)
                    mask |= std::uint64_t{1} << (column + k);
        column += column_width<M>();
    });
    return mask;
}

/// table_traits<T>::server_defaults, or none.
template <class T>
std::span<const column_default> server_defaults_of() {
    if constexpr (requires { table_traits<T>::server_defaults.size(); })
        return table_traits<T>::server_defaults;
    else
        return {};
}

/// Names the column a conversion_error of loading came from.
[[noreturn]] TABELLA_EXPORT void rethrow_for_column(std::string_view column);

/// Reads every column from a driver's views of a row (prepared_statement::execute_each).
template <class T>
void load_view_row(void* obj, const param_ref* cells) {
    T& o = *static_cast<T*>(obj);
    std::size_t index = 0;
    try {
        boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
            using M = std::remove_cvref_t<decltype(boost::hana::second(acc)(o))>;
            load_view_columns<M>(boost::hana::second(acc)(o), cells);
            cells += column_width<M>();
            ++index;
        });
    } catch (const conversion_error&) {
        rethrow_for_column(member_names<T>()[index]);
    }
}

template <class T>
void ref_targets(const void* obj, const void** out) {
    const T& o = *static_cast<const T*>(obj);
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        const auto& member = boost::hana::second(acc)(o);
        *out++ = ref_target(member);
        for (std::size_t k = 1; k < column_width<std::remove_cvref_t<decltype(member)>>(); ++k)
            *out++ = nullptr;
    });
}

template <class T>
using single_key_t = key_member_t<T, 0>;

template <class T>
std::optional<std::int64_t> get_key(const void* obj) {
    const auto& k = member_at<const T, key_indices<T>()[0]>(*static_cast<const T*>(obj));
    if constexpr (key_traits<single_key_t<T>>::source == key_source::database)
        return k ? std::optional<std::int64_t>(*k) : std::nullopt;
    else
        return static_cast<std::int64_t>(k);
}

template <class T>
void set_key(void* obj, std::optional<std::int64_t> key) {
    auto& k = member_at<T, key_indices<T>()[0]>(*static_cast<T*>(obj));
    using K = single_key_t<T>;
    if constexpr (key_traits<K>::source == key_source::database) {
        if (key)
            k = static_cast<typename K::value_type>(*key);
        else
            k.reset();
    } else if (key) {
        k = static_cast<K>(*key);
    }
}

template <class T>
void make_session_key(void* obj, bool assign) {
    auto& k = member_at<T, key_indices<T>()[0]>(*static_cast<T*>(obj));
    if (assign)
        k = uuid::generate();
    else
        k.reset();
}

template <class T>
void encode_cells_key(const value* cells, std::string& out) {
    constexpr auto keys = key_indices<T>();
    constexpr auto offsets = column_offsets<T>();
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (
            [&] {
                member_t<T, keys[K]> part{};
                load_columns<member_t<T, keys[K]>>(part, cells + offsets[keys[K]]);
                param_ref bound;
                bind_columns<member_t<T, keys[K]>>(part, &bound);
                append_key_part(out, bound);
            }(),
            ...);
    }
    (std::make_index_sequence<keys.size()>{});
}

template <class T>
std::int64_t get_version(const void* obj) {
    return member_at<const T, version_index<T>()>(*static_cast<const T*>(obj));
}

template <class T>
void set_version(void* obj, std::int64_t version) {
    member_at<T, version_index<T>()>(*static_cast<T*>(obj)) = version;
}

/// Owns the objects of type T a session tracks; addresses are stable. Objects added one at
/// a time (add, and every row a query loads) go into chunks growing to 2 MiB (one large
/// page, detail/pages.hpp), laid out one after the other, so that the session's address
/// index holds one run per chunk.
template <class T>
class typed_store final : public object_store {
  public:
    typed_store() = default;
    typed_store(const typed_store&) = delete;
    typed_store& operator=(const typed_store&) = delete;
    ~typed_store() override {
        for (const chunk& c : chunks_) {
            std::destroy_n(c.data, c.used);
            page_allocator<T>().deallocate(c.data, c.capacity);
        }
    }

    void* emplace() override { return &make(); }
    T& add(T&& obj) { return make(std::move(obj)); }
    std::vector<T>& add_all(std::vector<T>&& objs) {
        return batches_.emplace_back(std::move(objs));
    }

  private:
    struct chunk {
        T* data;
        std::size_t capacity;
        std::size_t used;
    };

    template <class... A>
    T& make(A&&... args) {
        if (chunks_.empty() || chunks_.back().used == chunks_.back().capacity) grow();
        chunk& c = chunks_.back();
        T* obj = std::construct_at(c.data + c.used, std::forward<A>(args)...);
        ++c.used;
        return *obj;
    }
    void grow() {
        constexpr std::size_t most = std::max<std::size_t>(1, (std::size_t{2} << 20) / sizeof(T));
        const std::size_t n =
            chunks_.empty() ? 16 : std::min<std::size_t>(chunks_.back().capacity * 2, most);
        chunks_.reserve(chunks_.size() + 1); // push_back below cannot throw
        chunks_.push_back({page_allocator<T>().allocate(n), n, 0});
    }

    std::vector<chunk> chunks_;
    std::deque<std::vector<T>> batches_;
};

template <class T>
std::unique_ptr<object_store> make_store() {
    return std::make_unique<typed_store<T>>();
}

/// Whether M is a ref member (ref<P, D> or std::optional<ref<P, D>>), and its parts.
template <class M>
struct ref_member : std::false_type {};
template <class P, on_delete D>
struct ref_member<ref<P, D>> : std::true_type {
    using parent = P;
    using ref_type = ref<P, D>;
    static constexpr bool optional = false;
    static constexpr on_delete action = D;
};
template <class P, on_delete D>
struct ref_member<std::optional<ref<P, D>>> : ref_member<ref<P, D>> {
    static constexpr bool optional = true;
};

template <class T, std::size_t I>
void link_ref(void* child, void* parent) {
    using R = ref_member<member_t<T, I>>;
    auto& m = member_at<T, I>(*static_cast<T*>(child));
    auto& p = *static_cast<typename R::parent*>(parent);
    if constexpr (R::optional) {
        if (m) *m = typename R::ref_type(p);
    } else {
        m = typename R::ref_type(p);
    }
}

template <class T, std::size_t I>
void clear_ref(void* child) {
    member_at<T, I>(*static_cast<T*>(child)).reset();
}

template <class T, std::size_t I>
std::shared_ptr<void> save_ref(const void* child) {
    return std::make_shared<member_t<T, I>>(member_at<const T, I>(*static_cast<const T*>(child)));
}

template <class T, std::size_t I>
void restore_ref(void* child, const void* saved) {
    member_at<T, I>(*static_cast<T*>(child)) = *static_cast<const member_t<T, I>*>(saved);
}

/// The relationships of T: one per ref member.
template <class T>
std::vector<relationship> relationships_of() {
    std::vector<relationship> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                using M = member_t<T, I>;
                if constexpr (ref_member<M>::value) {
                    using R = ref_member<M>;
                    relationship r;
                    r.column = column_offsets<T>()[I];
                    r.width = column_width<M>();
                    r.parent = &mapping_of<typename R::parent>;
                    r.on_delete = R::action;
                    r.nullable = R::optional;
                    r.link = &link_ref<T, I>;
                    if constexpr (R::optional) r.clear = &clear_ref<T, I>;
                    r.save = &save_ref<T, I>;
                    r.restore = &restore_ref<T, I>;
                    out.push_back(r);
                }
            }(),
            ...);
    }
    (std::make_index_sequence<member_names<T>().size()>{});
    return out;
}

/// Adds table_traits<T>::indexes and unique_constraints to the table of `e`: each member
/// name stands for its columns (`offsets`: the first column of each member, then the count).
TABELLA_EXPORT void add_member_indexes(entity_mapping& e, std::span<const std::string_view> members,
                                       std::span<const std::size_t> offsets,
                                       std::span<const index_def> indexes,
                                       std::span<const unique_def> uniques);

/// Draws the generated key of `e` from the named sequence (table_traits<T>::key_sequence).
TABELLA_EXPORT void set_key_sequence(entity_mapping& e, std::string_view sequence);

/// Column descriptions of T: name, type and nullability per column (member order; a ref to
/// a composite key has a column per key column, named <member>_<parent key column>), key
/// columns given by column index.
[[nodiscard]] TABELLA_EXPORT entity_mapping
make_entity_mapping(std::string_view struct_name, std::string_view table,
                    std::span<const std::string_view> names, std::span<const member_column> columns,
                    std::span<const std::size_t> key_columns, bool integer_key, key_source source,
                    std::span<const column_default> defaults, const entity_mapping& (*self)());

/// The member index of each key member, as the index of its column.
template <class T>
consteval auto key_column_indices() {
    auto keys = key_indices<T>();
    for (auto& k : keys) k = column_offsets<T>()[k];
    return keys;
}

template <class T>
entity_mapping build_mapping() {
    constexpr auto names = member_names<T>();
    constexpr auto offsets = column_offsets<T>();
    std::array<member_column, column_count_of<T>> columns{};
    std::size_t member = 0;
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        describe_columns<
            std::remove_cvref_t<decltype(boost::hana::second(acc)(std::declval<T&>()))>>(
            &columns[offsets[member++]]);
    });
    constexpr auto keys = key_column_indices<T>();
    using first_key = key_traits<single_key_t<T>>;
    constexpr bool integer = keys.size() == 1 && first_key::integer;
    constexpr auto source = keys.size() == 1 ? first_key::source : key_source::application;
    entity_mapping e =
        make_entity_mapping(type_name<T>(), table_traits<T>::name, names, columns, keys, integer,
                            source, server_defaults_of<T>(), &mapping_of<T>);
    e.load_column = &detail::load_column<T>;
    e.empty_members = &detail::empty_members<T>;
    e.bind_row = &detail::bind_row<T>;
    e.load_view_row = &detail::load_view_row<T>;
    if constexpr (integer) {
        e.get_key = &detail::get_key<T>;
        e.set_key = &detail::set_key<T>;
    } else {
        e.encode_cells_key = &detail::encode_cells_key<T>;
    }
    if constexpr (source == key_source::session) e.make_session_key = &detail::make_session_key<T>;
    if constexpr (has_key_sequence<T>) {
        static_assert(source == key_source::database,
                      "tabella: table_traits<T>::key_sequence draws a key the database "
                      "generates from a named sequence: the primary key must be one "
                      "std::optional<std::int64_t> member.");
        static_assert(!std::string_view(table_traits<T>::key_sequence).empty(),
                      "tabella: table_traits<T>::key_sequence is empty: name the sequence.");
        set_key_sequence(e, table_traits<T>::key_sequence);
    }
    if constexpr (!indexes_of<T>().empty() || !unique_constraints_of<T>().empty())
        add_member_indexes(e, names, offsets, indexes_of<T>(), unique_constraints_of<T>());
    e.make_store = &detail::make_store<T>;
    e.ref_targets = &detail::ref_targets<T>;
    e.relationships = relationships_of<T>();
    e.object_size = sizeof(T);
    e.version_index = offsets[version_index<T>()];
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

/// Index of the (first) column of the member `member` points to, found by address on a
/// probe object; the column count when it points at no mapped member.
template <class T, class M>
std::size_t member_index(M T::*member) {
    const T probe{};
    const void* target = &(probe.*member);
    std::size_t index = 0, found = column_count_of<T>;
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto acc) {
        if (static_cast<const void*>(&boost::hana::second(acc)(probe)) == target)
            found = column_offsets<T>()[index];
        ++index;
    });
    return found;
}

[[nodiscard]] TABELLA_EXPORT column_expr column_of(const entity_mapping& m, std::size_t index);

TABELLA_EXPORT void create_tables(engine& eng,
                                  std::initializer_list<const entity_mapping*> mappings);
TABELLA_EXPORT void drop_tables(engine& eng, std::initializer_list<const entity_mapping*> mappings);

} // namespace detail

/// The Core table a mapped struct is stored in, for Core statements and subqueries:
/// `tabella::select({tabella::literal(1)}).select_from(tabella::table_of<book>())`.
template <class T>
[[nodiscard]] const table& table_of() {
    return detail::mapping_of<T>().table;
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
