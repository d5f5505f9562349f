// The ORM unit of work: a session owns the objects added to it, flushes them as batched
// multi-row INSERTs with every generated key written back, and tracks changes and deletes.
#pragma once

#include "tabella/export.hpp"

#include "tabella/engine.hpp"
#include "tabella/error.hpp"
#include "tabella/mapping.hpp"
#include "tabella/query.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tabella {

/// How a flush gets generated keys into objects. Every strategy matches keys to objects
/// by construction and checks the count of rows.
enum class insert_strategy {
    /// The fastest correct strategy of the driver, as measured: on SQLite reserve_keys
    /// with multi-row INSERTs, on PostgreSQL copy; where keys cannot be reserved (MariaDB,
    /// tables with triggers or rules, identity columns), and for rows that leave server
    /// defaults to the database, multi-row INSERT ... RETURNING matched by values.
    automatic,
    /// Reserve a block of keys first (SQLite: inside the write transaction, after checking
    /// the table has no triggers; PostgreSQL: nextval over generate_series), then send
    /// multi-VALUES rows with their keys.
    reserve_keys,
    /// One prepared single-row INSERT ... RETURNING reused per object.
    row_by_row,
    /// PostgreSQL: reserve keys as above, then send the rows with COPY FROM STDIN, in
    /// chunks of `page_size` (default 10,000) rows. A usage_error on SQLite, which has no COPY.
    copy,
    /// Multi-row INSERT ... RETURNING <generated values>, <columns sent>: each returned row
    /// goes to the object whose sent values it holds, never by the order of the rows; a
    /// chunk whose rows were changed by the database (a trigger) goes row by row.
    returning,
};

/// Options of a session.
struct TABELLA_EXPORT session_options {
    insert_strategy strategy = insert_strategy::automatic;
    /// Rows per INSERT statement at most (0: as many as the parameter limit allows).
    std::size_t page_size = 0;
    /// Flush pending changes before get() and queries, so they see them.
    bool autoflush = true;
    /// Keep a fingerprint of every inserted or loaded object (8 bytes a column) so that a
    /// flush finds changed members and sends UPDATEs. Off for bulk loads: objects are
    /// inserted (and removed) as usual, but changes to them are not looked for.
    bool track_changes = true;
};

namespace detail {
class session_state;
}

/// Where an object stands in a session (docs/session.md has the full table of states,
/// operations and the SQL each sends). SQLAlchemy's model.
enum class object_state : std::uint8_t {
    /// Added, not inserted yet: the next flush INSERTs it.
    pending,
    /// Has a row: loaded, or inserted by a flush. Changes are sent as UPDATEs; remove()
    /// marks it for a DELETE at the next flush (it stays persistent until then).
    persistent,
    /// Its DELETE was flushed in the open transaction; detached at commit, persistent
    /// again at rollback.
    deleted,
    /// The session no longer tracks it (expunged, deleted and committed, or added and
    /// rolled back). Its memory stays valid until the session is destroyed.
    detached,
};

/// A SAVEPOINT of a session, from session::begin_nested(). commit() releases it;
/// rollback(), or destruction while active, rolls the database back to it and returns
/// every object to its state at begin_nested().
class TABELLA_EXPORT nested_transaction {
  public:
    nested_transaction(nested_transaction&& other) noexcept;
    nested_transaction& operator=(nested_transaction&&) = delete;
    ~nested_transaction();

    /// Flushes, then RELEASE SAVEPOINT: the work joins the enclosing transaction.
    void commit();
    /// ROLLBACK TO SAVEPOINT, with the session's rollback rule applied since begin_nested().
    void rollback();
    [[nodiscard]] bool is_active() const noexcept { return state_ != nullptr; }

  private:
    friend class session;
    nested_transaction(detail::session_state& s, std::size_t level) noexcept
        : state_(&s), level_(level) {}
    detail::session_state* state_;
    std::size_t level_;
};

/// A unit of work over one connection. Not thread-safe: use one session per thread.
/// Objects added to a session are owned by it; the references and spans it returns stay
/// valid for the session's lifetime.
class TABELLA_EXPORT session {
  public:
    /// A session with its own connection and transaction, begun at the first flush. The
    /// session keeps the engine (a shared handle) alive.
    explicit session(const engine& eng, session_options options = {});
    /// A session inside the caller's connection (and transaction, if one is open): each
    /// flush runs in a SAVEPOINT; commit() commits only what the session began.
    explicit session(connection& conn, session_options options = {});
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    session(session&&) noexcept;
    session& operator=(session&&) noexcept;
    /// Rolls back an open transaction of the session.
    ~session();

    /// Takes ownership of `obj` (pending until the next flush) and returns it.
    template <class T>
    T& add(T&& obj) {
        static_assert(!std::is_lvalue_reference_v<T>,
                      "tabella: session::add takes ownership of the object: pass a temporary "
                      "or std::move(obj), then use the reference add() returns.");
        using U = std::remove_cvref_t<T>;
        const auto& m = detail::mapping_of<U>();
        U& ref = static_cast<detail::typed_store<U>&>(store_for(m)).add(std::move(obj));
        track(m, &ref, 1, sizeof(U));
        return ref;
    }

    /// Takes ownership of every object (pending until the next flush) and returns them.
    template <class T>
    std::span<T> add_all(std::vector<T>&& objs) {
        const auto& m = detail::mapping_of<T>();
        std::vector<T>& kept =
            static_cast<detail::typed_store<T>&>(store_for(m)).add_all(std::move(objs));
        track(m, kept.data(), kept.size(), sizeof(T));
        return kept;
    }
    template <class T>
    void add_all(const std::vector<T>&) {
        static_assert(sizeof(T) == 0,
                      "tabella: session::add_all takes ownership of the objects: pass "
                      "std::move(vector) or a temporary, then use the span add_all() returns.");
    }

    /// SQLAlchemy's Session.merge: copies the members of `obj`, an object the session need
    /// not hold (detached, or made by the program), into the session's object for the same
    /// primary key and returns that object. The session's object is the one it holds for
    /// the key, else the one loaded from the key's row (one SELECT after autoflush, as
    /// get() does), else a new pending copy of `obj`, inserted at the next flush with its
    /// generated key written back into it; an `obj` whose generated key is unset always
    /// becomes a new pending copy. Changes copied onto a persistent object are sent as an
    /// UPDATE at the next flush. `obj` itself is neither tracked nor changed. A versioned
    /// object keeps the session object's version; an `obj` whose version is neither 0
    /// (unknown) nor that version is a stale_data_error, nothing copied.
    template <class T>
    T& merge(const T& obj) {
        const auto& m = detail::mapping_of<T>();
        constexpr auto assign = [](void* to, const void* from) {
            T copy(*static_cast<const T*>(from)); // *to is untouched if copying throws
            *static_cast<T*>(to) = std::move(copy);
        };
        if (void* held = merge_raw(m, &obj, assign)) return *static_cast<T*>(held);
        return add(T(obj));
    }

    /// The object of type T with primary key `key` (one value per key column, in the order
    /// of table_traits<T>::primary_key): the tracked object if the session has it (the same
    /// address every time), else loaded from the database; nullptr if none.
    /// `s.get<student>(7)`, `s.get<country>(std::string("ID"))`, `s.get<order_line>(o, n)`.
    template <class T, class... K>
    [[nodiscard]] T* get(const K&... key) {
        constexpr std::size_t parts = detail::key_names<T>().size();
        static_assert(sizeof...(K) == parts,
                      "tabella: session::get<T>() takes one value per primary-key column of T.");
        return get_parts<T>(std::make_index_sequence<parts>{}, key...);
    }
    /// A query for objects of type T: `.where(col(&T::age) >= 18).order_by(&T::name).all()`.
    template <class T>
    [[nodiscard]] tabella::query<T> query() {
        return tabella::query<T>(state());
    }

    /// The children of the persistent `parent`: the objects of C whose ref member `member`
    /// refers to it, in the order the session came to hold them. The first call for a
    /// parent loads them in one SELECT (after autoflush); later calls, and calls after
    /// `query<P>().load_children(member)`, send nothing and answer from the session's objects
    /// (objects removed, or pointed at another parent, are left out; an object whose ref you
    /// pointed at this parent shows here once the session's objects change: a flush, an add,
    /// a remove or a load).
    /// `std::vector<book*> hers = s.children(ann, &book::author_id);`
    template <class P, class C, class M>
    [[nodiscard]] std::vector<C*> children(P& parent, M C::*member) {
        static_assert(detail::ref_member<M>::value &&
                          std::is_same_v<typename detail::ref_member<M>::parent, P>,
                      "tabella: session::children(parent, &C::member) takes a ref<P> (or "
                      "std::optional<ref<P>>) member of C, P being the parent's type.");
        const auto& child = detail::mapping_of<C>();
        const auto raw = children_raw(detail::mapping_of<P>(), &parent, child,
                                      child.relationship_at(detail::member_index(member)));
        std::vector<C*> out;
        out.reserve(raw.size());
        for (void* p : raw) out.push_back(static_cast<C*>(p));
        return out;
    }

    /// Marks a tracked object for deletion at the next flush (a pending one is just dropped).
    template <class T>
    void remove(T& obj) {
        remove_raw(detail::mapping_of<T>(), &obj);
    }

    /// The state of `obj` in this session; detached for an object it never tracked.
    template <class T>
    [[nodiscard]] object_state state_of(const T& obj) const {
        return state_of_raw(detail::mapping_of<T>(), &obj);
    }

    /// Reloads the persistent `obj` from its row, overwriting its members (unflushed
    /// changes to it are dropped). Throws stale_data_error, leaving `obj` detached, when its
    /// row is gone, and usage_error for an object that is not persistent in this session.
    template <class T>
    void refresh(T& obj) {
        refresh_raw(detail::mapping_of<T>(), &obj);
    }

    /// The session forgets `obj` (detached): no INSERT, UPDATE or DELETE is sent for it
    /// any more, and get() loads a new object for its key. Its memory stays valid.
    template <class T>
    void expunge(T& obj) {
        expunge_raw(detail::mapping_of<T>(), &obj);
    }

    /// Flushes, then opens a SAVEPOINT. Nested transactions nest; finish the innermost first.
    [[nodiscard]] nested_transaction begin_nested();

    /// Starts the session's transaction now (it otherwise begins at the first flush), so
    /// that everything the session reads from here on is read inside the transaction that
    /// writes: a read-modify-write is then one transaction (on SQLite the write lock is
    /// taken at once). Does nothing when the session's transaction is open.
    void begin();
    /// Sends every pending insert, change and delete, all or nothing. On failure the
    /// database and every object are as before the flush, and the session stays usable.
    void flush();
    /// flush(), then COMMIT the session's transaction (in a caller's transaction: RELEASE
    /// the session's SAVEPOINT; the caller's transaction is never committed). A failed
    /// flush follows flush()'s rule; a failed COMMIT is followed by rollback()'s rule.
    void commit();
    /// ROLLBACK the session's transaction (or, in a caller's transaction, its SAVEPOINT),
    /// SQLAlchemy's way: objects added since the last commit are detached (generated keys
    /// cleared) and never inserted later; removed ones are persistent again; modified ones
    /// get the database's committed values back; untouched ones are left alone.
    void rollback();

    /// Rolls back an open transaction and gives the connection back. The objects stay
    /// valid until the session is destroyed; any other use of a closed session is a
    /// usage_error.
    void close();
    [[nodiscard]] bool is_closed() const noexcept;

    /// Objects waiting to be inserted at the next flush.
    [[nodiscard]] std::size_t pending_count() const noexcept;

  private:
    template <class T, std::size_t... I, class... K>
    T* get_parts(std::index_sequence<I...>, const K&... key) {
        const auto& m = detail::mapping_of<T>();
        // Each value converted to its key member's type, then bound as that member is.
        const std::tuple<detail::key_part_t<T, I>...> parts{
            static_cast<detail::key_part_t<T, I>>(key)...};
        const param_ref refs[] = {
            detail::member_traits<detail::key_part_t<T, I>>::bind(std::get<I>(parts))...};
        return static_cast<T*>(get_raw(m, refs));
    }

    /// The state; throws usage_error for a closed or moved-from session.
    detail::session_state& state();
    detail::object_store& store_for(const detail::entity_mapping& m);
    void track(const detail::entity_mapping& m, void* first, std::size_t count, std::size_t stride);
    void* get_raw(const detail::entity_mapping& m, std::span<const param_ref> key);
    void remove_raw(const detail::entity_mapping& m, void* obj);
    /// The session's object for the key of `obj`, with `assign` applied to copy `obj` into
    /// it; nullptr (nothing assigned) when there is none or `obj`'s key is unset.
    void* merge_raw(const detail::entity_mapping& m, const void* obj,
                    void (*assign)(void* to, const void* from));
    [[nodiscard]] object_state state_of_raw(const detail::entity_mapping& m, const void* obj) const;
    void expunge_raw(const detail::entity_mapping& m, void* obj);
    void refresh_raw(const detail::entity_mapping& m, void* obj);
    [[nodiscard]] std::vector<void*> children_raw(const detail::entity_mapping& parent_map,
                                                  void* parent,
                                                  const detail::entity_mapping& child_map,
                                                  const detail::relationship& r);

    std::unique_ptr<detail::session_state> state_;
};

} // namespace tabella
