// ORM queries: objects of a mapped struct selected with conditions, order and limits.
#pragma once

#include "tabella/export.hpp"

#include "tabella/expression.hpp"
#include "tabella/mapping.hpp"
#include "tabella/object_stream.hpp"

#include <cstdint>
#include <optional>
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
};

/// Runs `spec` and returns the session's objects for the rows (tracked ones reused).
[[nodiscard]] TABELLA_EXPORT std::vector<void*> run_query(session_state& s, const entity_mapping& m,
                                                          const query_spec& spec);
/// SELECT count(*) for `spec`.
[[nodiscard]] TABELLA_EXPORT std::int64_t count_query(session_state& s, const entity_mapping& m,
                                                      const query_spec& spec);
} // namespace detail

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

    /// Every matching object.
    [[nodiscard]] std::vector<T*> all() const {
        const auto raw = detail::run_query(*session_, detail::mapping_of<T>(), spec_);
        std::vector<T*> out;
        out.reserve(raw.size());
        for (void* p : raw) out.push_back(static_cast<T*>(p));
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
