// The session's bookkeeping: per mapped table, the objects it owns, the state of each
// (docs/session.md), the key of the row each persistent object was loaded from, when the
// open transaction last wrote it, fingerprints of its last known database values, and the
// identity map.
#pragma once

#include "fingerprint_store.hpp"
#include "identity_map.hpp"
#include "object_index.hpp"
#include "relations.hpp"
#include "row_key.hpp"
#include "tabella/connection.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/pages.hpp"
#include "tabella/engine.hpp"
#include "tabella/session.hpp"

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace tabella::detail {

/// Marks beside an entry's state.
enum entry_mark : std::uint8_t {
    mark_removing = 1u << 0,      ///< persistent, remove() called: DELETE at the next flush
    mark_key_assigned = 1u << 1,  ///< the running flush wrote a generated key into it
    mark_key_generated = 1u << 2, ///< inserted with a key the database generated
    mark_stale = 1u << 3,         ///< its row may differ from the snapshot: send every column
};

/// A flush number. Every flush gets the next one; an entry remembers the flush that last
/// inserted, updated or deleted its row, and a rollback point is the number current when
/// it was set, so "since P" is "stamped after P".
using epoch = std::uint32_t;

/// entry -> epoch, 0 for most entries (objects loaded and never written): stored a page of
/// entries at a time, a page made at its first non-zero epoch, so that loading a million
/// rows costs no memory here.
class epoch_column {
  public:
    void resize(std::size_t n) { pages_.resize((n + page_size - 1) / page_size); }
    [[nodiscard]] epoch operator[](std::size_t e) const noexcept {
        const auto& page = pages_[e / page_size];
        return page ? (*page)[e % page_size] : 0;
    }
    void set(std::size_t e, epoch at) {
        auto& page = pages_[e / page_size];
        if (!page) {
            if (at == 0) return;
            page = std::make_unique<std::array<epoch, page_size>>();
        }
        (*page)[e % page_size] = at;
    }

  private:
    static constexpr std::size_t page_size = 4096;
    std::vector<std::unique_ptr<std::array<epoch, page_size>>> pages_;
};

/// A flush changed the key of an object's row: what to restore at a rollback past it.
struct key_change {
    epoch at;
    std::uint32_t entry;
    owned_key old_key;
};

/// The objects of one mapped type in one session.
struct table_runtime {
    table_runtime(const entity_mapping& m, bool track)
        : map(&m), store(m.make_store()), keys(m.integer_key), snapshot(snapshot_width()),
          track_changes(track) {}

    const entity_mapping* map;
    std::unique_ptr<object_store> store;
    object_index objects;                ///< entry <-> object
    large_vector<object_state> states;   ///< entry -> state
    large_vector<std::uint8_t> marks;    ///< entry -> entry_mark bits
    row_keys keys;                       ///< entry -> key of its row (persistent, deleted)
    epoch_column inserted_at;            ///< entry -> flush that inserted it (0: loaded)
    epoch_column written_at;             ///< entry -> flush that last updated or deleted it
    fingerprint_store snapshot;          ///< entry -> fingerprints (snapshot_width())
    identity_map identity;               ///< key -> entry, persistent entries only
    std::vector<key_change> key_changes; ///< since the last commit, oldest first
    bool track_changes;                  ///< keep snapshots (session_options::track_changes)
    std::size_t pending = 0;             ///< entries in state pending
    std::size_t removing = 0;            ///< entries with mark_removing
    /// Counts changes to the entries (new, loaded, written, removed, detached): an index
    /// built from the objects is current while this has not moved.
    std::uint64_t changes = 0;
    /// The last bulk UPDATE or DELETE of the table (0: none): rows the session does not
    /// track changed then, and objects loaded since may hold their values.
    epoch bulk_at = 0;

    std::string key_buffer;       ///< scratch for encoding keys (object_key...)
    std::vector<value> key_cells; ///< scratch: a loaded row's key cells, as values
    std::string get_sql;          ///< SELECT ... WHERE key = ?, made at the first get()

    /// Fingerprints per entry: one per non-key column (`map` is set before `snapshot`).
    [[nodiscard]] std::size_t snapshot_width() const noexcept {
        return map->column_count() - map->key_columns.size();
    }
    /// The key `obj` has now (general keys are encoded in key_buffer).
    [[nodiscard]] std::optional<key_view> current_key(const void* obj) {
        return object_key(*map, obj, key_buffer);
    }
    /// Appends `count` entries for objects `stride` bytes apart; returns the first index.
    std::uint32_t add_entries(void* first, std::size_t count, std::size_t stride,
                              object_state state);
    /// The entry of `obj`, if this table ever tracked it.
    [[nodiscard]] std::optional<std::uint32_t> entry_of(const void* obj) const {
        return objects.find(obj);
    }
    /// Records the object's current values as its row's values.
    void take_snapshot(std::uint32_t entry);
    /// The snapshot of an object just loaded into a new entry, from `cells` (views of its
    /// row, member order) rather than from its members; false when a member converted its
    /// cell, whose fingerprint must come from the member: take_snapshot then.
    bool snapshot_cells(std::uint32_t entry, const param_ref* cells);
    /// True when the object's members differ from its snapshot (or its key from its row's).
    [[nodiscard]] bool is_modified(std::uint32_t entry) const;
    /// Moves an entry to `detached`, out of the identity map and the counters.
    void detach(std::uint32_t entry);
    /// Makes `entry` persistent with the row key `key`, in the identity map.
    void make_persistent(std::uint32_t entry, key_view key);
    /// Gives back the row keys that flushes after `since` changed.
    void undo_key_changes(epoch since);
};

/// A SAVEPOINT opened by session::begin_nested().
struct nested_point {
    transaction tx;
    epoch since;      ///< the rollback point
    std::uint64_t id; ///< matches nested_transaction handles to their savepoint
};

/// Everything behind a tabella::session.
class session_state {
  public:
    session_state(engine eng, session_options opts);
    session_state(connection& conn, session_options opts);
    ~session_state();

    table_runtime& runtime(const entity_mapping& m);
    /// The runtime of `m` if the session has one.
    [[nodiscard]] table_runtime* find_runtime(const entity_mapping& m) const;
    [[nodiscard]] const session_options& options() const noexcept { return options_; }
    [[nodiscard]] const std::vector<std::unique_ptr<table_runtime>>& tables() const noexcept {
        return tables_;
    }

    /// The session's connection (taken from the engine at first use).
    connection& conn();
    void flush();
    void commit();
    void rollback();
    /// Flushes when autoflush is on.
    void autoflush();
    [[nodiscard]] std::size_t pending_count() const noexcept;
    void close();
    [[nodiscard]] bool is_closed() const noexcept { return closed_; }

    /// begin_nested(): flush, SAVEPOINT; returns the savepoint's id.
    std::uint64_t begin_nested();
    /// Finishes the innermost savepoint, which must be `id`; a no-op rollback for a
    /// savepoint that is already gone.
    void finish_nested(std::uint64_t id, bool commit);
    [[nodiscard]] bool nested_is_open(std::uint64_t id) const noexcept;

    /// Opens the session's transaction (or its SAVEPOINT in the caller's) unless open.
    void begin();
    /// Sends a statement outside a flush (a bulk UPDATE or DELETE of `t`) with `send`, in
    /// the session's transaction and a SAVEPOINT of its own, as a flush is sent: a failed
    /// statement is undone alone, a lost transaction is handled as a flush's. Returns its
    /// number, for table_runtime::written_at; a rollback past it reloads the whole table.
    epoch run_bulk(table_runtime& t, const std::function<void()>& send);

    /// Which children collections are loaded, and indexes of children by parent.
    [[nodiscard]] relation_cache& relations() noexcept { return relations_; }

    /// `sql` prepared on the session's connection once and reused while that connection
    /// lasts (get() of an untracked key).
    prepared_statement& statement(const std::string& sql);

  private:
    /// The database ended the transaction during a flush: every object goes back to
    /// where it stood at the last commit, with the work still to do.
    void replay_after_lost_transaction();
    /// SQLAlchemy's rollback rule for everything since `since` (docs/session.md).
    void roll_back_objects(epoch since);
    /// After a failed COMMIT or a lost transaction: the transaction and savepoints are gone.
    void drop_transaction() noexcept;
    [[nodiscard]] bool transaction_lost() noexcept;
    /// Lets the session's own connection go (its prepared statements first).
    void release_connection() noexcept;

    std::optional<engine> engine_;
    std::optional<connection> own_conn_;
    connection* conn_ = nullptr;
    /// Prepared on *conn_; destroyed before the connection.
    std::map<std::string, std::unique_ptr<prepared_statement>, std::less<>> statements_;
    std::optional<transaction> tx_; ///< own transaction, or a SAVEPOINT in the caller's
    std::vector<nested_point> nested_;
    std::uint64_t next_nested_id_ = 1;
    epoch epoch_ = 0;        ///< the last flush's number
    epoch committed_at_ = 0; ///< epoch_ at the last commit (or rollback)
    bool closed_ = false;
    session_options options_;
    std::vector<std::unique_ptr<table_runtime>> tables_;
    std::unordered_map<const entity_mapping*, table_runtime*> by_mapping_;
    relation_cache relations_;
};

/// The session's objects for the rows `q` selects (tracked ones reused; `overwrite`
/// loads the row's values into persistent ones, as populate_existing).
std::vector<void*> load_rows(session_state& s, const entity_mapping& m, const compiled_statement& q,
                             bool overwrite = false);

/// The same, each object handed to `out` as its row is read.
void load_rows(session_state& s, const entity_mapping& m, const compiled_statement& q,
               bool overwrite, object_sink out);

/// The same for a prepared statement of the session, with `params` bound as they are.
std::vector<void*> load_rows(session_state& s, const entity_mapping& m, prepared_statement& stmt,
                             std::span<const param_ref> params);

/// Adds the joins, where, group by, having, order and limits of `spec` to `stmt`.
void apply_query_spec(select_statement& stmt, const entity_mapping& m, const query_spec& spec);
/// The SELECT of `spec` on `m`'s table (joins, conditions, order, limits, FOR UPDATE).
compiled_statement compile_query(connection& conn, const entity_mapping& m, const query_spec& spec);

/// Reloads the rows of `entries` into their objects (batched SELECT ... WHERE key IN);
/// entries whose row is gone are detached.
void reload(connection& conn, table_runtime& t, const std::vector<std::uint32_t>& entries);

} // namespace tabella::detail
