// ORM queries: objects of a mapped struct selected with conditions, order and limits.
#pragma once

#include "tabella/export.hpp"

#include "tabella/detail/pages.hpp"
#include "tabella/expression.hpp"
#include "tabella/mapping.hpp"
#include "tabella/object_stream.hpp"
#include "tabella/typed_column.hpp"

#include <cstdint>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tabella {

namespace detail {
class session_state;

/// A query's clauses, independent of the mapped type.
struct TABELLA_EXPORT query_spec {
    std::optional<condition> where;
    std::vector<order_term> order;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    /// Overwrite tracked objects with the rows loaded (populate_existing()).
    bool populate_existing = false;
    /// Lock the rows loaded until the session's transaction ends (for_update()).
    bool for_update = false;
    /// load(): relationships of the loaded objects whose parents are loaded too.
    std::vector<const relationship*> parent_loads;
    /// load_children(): (child mapping, its relationship to T) whose children are loaded.
    std::vector<std::pair<const entity_mapping*, const relationship*>> child_loads;
    /// join() / left_join(): T's relationships whose parents' tables are joined (true: LEFT).
    std::vector<std::pair<const relationship*, bool>> joins;
    /// select(): the expressions of a projection (empty: T's objects).
    std::vector<expr> selected;
    std::vector<expr> group;
    std::optional<condition> having;
    bool distinct = false;
};

/// One `column = value` of a bulk update, by column index of the mapping.
struct TABELLA_EXPORT column_assignment {
    std::size_t column;
    value v;
};

/// Runs `spec` and returns the session's objects for the rows (tracked ones reused).
[[nodiscard]] TABELLA_EXPORT std::vector<void*> run_query(session_state& s, const entity_mapping& m,
                                                          const query_spec& spec);
/// Where run_query puts each object of the result, in order (all() fills its vector of T*
/// with no vector of void* beside it).
struct object_sink {
    void* target;
    void (*append)(void* target, void* object);
};
/// run_query, each object handed to `out`.
TABELLA_EXPORT void run_query(session_state& s, const entity_mapping& m, const query_spec& spec,
                              object_sink out);
/// Runs the projection `spec` (spec.selected, `width` expressions): its cells, row after row.
[[nodiscard]] TABELLA_EXPORT std::vector<value> run_projection(session_state& s,
                                                               const entity_mapping& m,
                                                               const query_spec& spec,
                                                               std::size_t width);
/// UPDATE ... WHERE spec.where, the objects the session holds brought in line; the count of
/// rows matched.
TABELLA_EXPORT std::int64_t bulk_update(session_state& s, const entity_mapping& m,
                                        const query_spec& spec,
                                        std::vector<column_assignment> values);
/// DELETE ... WHERE spec.where, the objects the session holds of those rows deleted.
TABELLA_EXPORT std::int64_t bulk_delete(session_state& s, const entity_mapping& m,
                                        const query_spec& spec);
/// Throws conversion_error naming the projection's column `index`.
[[noreturn]] TABELLA_EXPORT void projection_mismatch(std::size_t index, const char* what);
/// SELECT count(*) for `spec`.
[[nodiscard]] TABELLA_EXPORT std::int64_t count_query(session_state& s, const entity_mapping& m,
                                                      const query_spec& spec);
} // namespace detail

/// `tabella::set(&book::price, 0.0)`: one column of a bulk update, query<T>::update().
template <class T>
struct assignment {
    detail::column_assignment column;
};

template <class T, class M, class V>
[[nodiscard]] assignment<T> set(M T::*member, const V& v) {
    static_assert(detail::column_width<M>() == 1,
                  "tabella: set() names one column; a ref to a composite key has several");
    static_assert(detail::comparable<M, V>() && !detail::is_expression<V> &&
                      !(std::is_integral_v<detail::strip_optional_t<M>> &&
                        std::is_floating_point_v<detail::strip_optional_t<V>>),
                  "tabella: set(&T::member, v) takes a value of the member's type (or "
                  "std::nullopt for an optional member)");
    return {{detail::member_index(member), detail::operand_value(v)}};
}

/// A query for objects of the mapped struct T, made by `session::query<T>()`.
/// The objects it returns are owned by the session.
template <class T>
class query {
  public:
    explicit query(detail::session_state& s) noexcept : session_(&s) {}

    /// Adds a condition; several where() calls are joined with AND.
    query& where(condition c) {
        spec_.where = spec_.where ? *spec_.where && c : std::move(c);
        return *this;
    }
    template <class M>
    query& order_by(M T::*member, bool descending = false) {
        spec_.order.emplace_back(col(member), descending);
        return *this;
    }
    query& order_by(order_term term) {
        spec_.order.push_back(std::move(term));
        return *this;
    }
    query& limit(std::int64_t n) {
        spec_.limit = n;
        return *this;
    }
    query& offset(std::int64_t n) {
        spec_.offset = n;
        return *this;
    }
    /// Objects the session already tracks get the values of the rows loaded (their
    /// unflushed changes are lost; autoflush sends them first), as a new object would.
    query& populate_existing() {
        spec_.populate_existing = true;
        return *this;
    }
    /// Locks the rows loaded until the session's transaction ends, which begins now if it
    /// has not: `SELECT ... FOR UPDATE` where the database locks rows, and on SQLite the
    /// write lock of the session's transaction, taken at its start.
    query& for_update() {
        spec_.for_update = true;
        return *this;
    }

    /// Joins the table of the parent that the ref member `member` refers to, so that
    /// where() and order_by() may name its columns:
    /// `s.query<book>().join(&book::author_id).where(col(&author::name) == "Ann")`. The
    /// result is still T's objects, each once (a ref is many-to-one).
    template <class M>
    query& join(M T::*member) {
        return add_join(member, false);
    }
    /// The same as a LEFT JOIN: objects whose ref is empty are kept.
    template <class M>
    query& left_join(M T::*member) {
        return add_join(member, true);
    }

    /// Loads the parents that the ref member `member` of every object of the result refers
    /// to, in one more SELECT (a chunk of keys per statement) for the parents the session
    /// does not hold yet: afterwards `obj->member.get()` is the session's parent object, with
    /// no further query. `s.query<book>().load(&book::author_id).all()`.
    template <class M>
    query& load(M T::*member) {
        static_assert(detail::ref_member<M>::value,
                      "tabella: query<T>::load() takes a ref<P> (or std::optional<ref<P>>) "
                      "member of T.");
        spec_.parent_loads.push_back(
            &detail::mapping_of<T>().relationship_at(detail::member_index(member)));
        return *this;
    }
    /// Loads the children of every object of the result along the ref member `member` of
    /// C (a ref to T), in one more SELECT (a chunk of keys per statement): afterwards
    /// `session.children(obj, member)` answers with no query, and each child's
    /// `member.get()` is its parent. `s.query<author>().load_children(&book::author_id)`.
    template <class C, class M>
    query& load_children(M C::*member) {
        static_assert(detail::ref_member<M>::value &&
                          std::is_same_v<typename detail::ref_member<M>::parent, T>,
                      "tabella: query<T>::load_children() takes a ref<T> (or "
                      "std::optional<ref<T>>) member of the child struct.");
        const auto& child = detail::mapping_of<C>();
        spec_.child_loads.emplace_back(&child,
                                       &child.relationship_at(detail::member_index(member)));
        return *this;
    }

    /// Selects expressions instead of objects (a projection), read with tuples():
    /// `.select(col(&book::author_id), tabella::count()).group_by(&book::author_id)`.
    template <class... E>
    query& select(const E&... expressions) {
        static_assert((std::is_base_of_v<expr, E> && ...),
                      "tabella: query<T>::select() takes expressions: col(&T::member), "
                      "tabella::count(), tabella::sum(...)...");
        spec_.selected = {static_cast<const expr&>(expressions)...};
        return *this;
    }
    template <class M>
    query& group_by(M T::*member) {
        spec_.group.push_back(col(member));
        return *this;
    }
    query& group_by(expr e) {
        spec_.group.push_back(std::move(e));
        return *this;
    }
    /// A condition on the groups; several having() calls are joined with AND.
    query& having(condition c) {
        spec_.having = spec_.having ? *spec_.having && c : std::move(c);
        return *this;
    }
    /// SELECT DISTINCT, for projections.
    query& distinct() {
        spec_.distinct = true;
        return *this;
    }
    /// The rows of the projection select() made, each as a std::tuple of Ts (one per
    /// selected expression; std::optional<X> where it may be NULL). A value that does not
    /// fit its type is a conversion_error. No object is loaded or tracked.
    template <class... Ts>
    [[nodiscard]] std::vector<std::tuple<Ts...>> tuples() const {
        constexpr std::size_t width = sizeof...(Ts);
        const auto cells = detail::run_projection(*session_, detail::mapping_of<T>(), spec_, width);
        std::vector<std::tuple<Ts...>> out;
        out.reserve(cells.size() / width);
        for (std::size_t first = 0; first < cells.size(); first += width)
            out.push_back([&]<std::size_t... I>(std::index_sequence<I...>) {
                return std::tuple<Ts...>(cell_as<Ts>(cells[first + I], I)...);
            }(std::index_sequence_for<Ts...>{}));
        return out;
    }

    /// `UPDATE ... SET ... WHERE` (this query's where()) in one statement, after
    /// autoflush; the objects of those rows that the session holds get the new values (as
    /// SQLAlchemy's synchronize_session="fetch"). A version column is incremented.
    /// Returns the count of rows matched.
    template <class... A>
    std::int64_t update(const assignment<T>& first, const A&... more) {
        static_assert((std::is_same_v<A, assignment<T>> && ...),
                      "tabella: query<T>::update() takes tabella::set(&T::member, value)");
        return detail::bulk_update(*session_, detail::mapping_of<T>(), spec_,
                                   {first.column, more.column...});
    }
    /// `DELETE ... WHERE` (this query's where()) in one statement, after autoflush; the
    /// objects of those rows that the session holds become deleted (detached at commit).
    /// Returns the count of rows deleted.
    std::int64_t remove() { return detail::bulk_delete(*session_, detail::mapping_of<T>(), spec_); }

    /// Every matching object.
    [[nodiscard]] std::vector<T*> all() const {
        std::vector<T*> out;
        detail::run_query(*session_, detail::mapping_of<T>(), spec_,
                          {&out, [](void* target, void* object) {
                               auto& objects = *static_cast<std::vector<T*>*>(target);
                               if (objects.size() == objects.capacity())
                                   detail::grow_in_large_pages(objects);
                               objects.push_back(static_cast<T*>(object));
                           }});
        return out;
    }
    /// The first matching object, or nullptr.
    [[nodiscard]] T* first() const {
        auto one = *this;
        one.spec_.limit = 1;
        const auto raw = detail::run_query(*session_, detail::mapping_of<T>(), one.spec_);
        return raw.empty() ? nullptr : static_cast<T*>(raw.front());
    }
    /// The matching objects read `n` rows at a time, not kept by the session (see
    /// object_stream): `for (const book& b : s.query<book>().order_by(&book::id).stream(1000))`.
    /// Autoflushes first, as all() does. Throws usage_error when `n` is 0 or load() /
    /// load_children() were asked for; populate_existing() changes nothing here.
    [[nodiscard]] object_stream<T> stream(std::size_t n) const {
        return object_stream<T>(
            detail::open_object_stream(*session_, detail::mapping_of<T>(), spec_, n), n);
    }
    /// The count of matching rows.
    [[nodiscard]] std::int64_t count() const {
        return detail::count_query(*session_, detail::mapping_of<T>(), spec_);
    }

  private:
    template <class V>
    static V cell_as(const value& cell, std::size_t index) {
        static_assert(detail::readable_v<V>,
                      "tabella: tuples<...>() reads std::int64_t, int, double, bool, "
                      "std::string, tabella::blob, tabella::timestamp, "
                      "std::chrono::system_clock::time_point, tabella::uuid, "
                      "std::chrono::year_month_day, or a std::optional of one of them");
        try {
            return cell.template as<V>();
        } catch (const conversion_error& err) {
            detail::projection_mismatch(index, err.what());
        }
    }
    template <class M>
    query& add_join(M T::*member, bool left) {
        static_assert(detail::ref_member<M>::value,
                      "tabella: query<T>::join() takes a ref<P> (or std::optional<ref<P>>) "
                      "member of T.");
        spec_.joins.emplace_back(
            &detail::mapping_of<T>().relationship_at(detail::member_index(member)), left);
        return *this;
    }

    detail::session_state* session_;
    detail::query_spec spec_;
};

} // namespace tabella
