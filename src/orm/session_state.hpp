// The session's bookkeeping: per mapped table, the objects it owns, their states,
// fingerprints of their last known database values, and the identity map.
#pragma once

#include "identity_map.hpp"
#include "tabella/connection.hpp"
#include "tabella/detail/entity_mapping.hpp"
#include "tabella/engine.hpp"
#include "tabella/session.hpp"

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace tabella::detail {

/// Per-object state bits.
enum entry_flag : std::uint16_t {
    entry_pending = 1u << 0,        ///< waits to be inserted
    entry_persistent = 1u << 1,     ///< has a row in the database (as far as we know)
    entry_removing = 1u << 2,       ///< remove() was called; DELETE at the next flush
    entry_gone = 1u << 3,           ///< deleted or dropped; no longer tracked
    entry_key_assigned = 1u << 4,   ///< this flush wrote a generated key into the object
    entry_inserted_in_tx = 1u << 5, ///< inserted in the open transaction
    entry_key_generated = 1u << 6,  ///< ...with a key the database generated
    entry_deleted_in_tx = 1u << 7,  ///< deleted in the open transaction
    entry_stale = 1u << 8,          ///< values may differ from the row: send every column
};

/// The objects of one mapped type in one session.
struct table_runtime {
    table_runtime(const entity_mapping& m, bool track)
        : map(&m), store(m.make_store()), track_changes(track) {}

    const entity_mapping* map;
    std::unique_ptr<object_store> store;
    std::vector<void*> objects;          ///< entry -> object
    std::vector<std::uint16_t> flags;    ///< entry -> entry_flag bits
    std::vector<std::uint64_t> snapshot; ///< entry * (columns - 1): fingerprints, key excluded
    identity_map identity;
    bool track_changes;       ///< keep snapshots (session_options::track_changes)
    std::size_t pending = 0;  ///< entries with entry_pending
    std::size_t removing = 0; ///< entries with entry_removing

    [[nodiscard]] std::size_t snapshot_width() const noexcept { return map->column_count() - 1; }
    /// Appends an entry; returns its index.
    std::uint32_t add_entry(void* obj, std::uint16_t f);
    /// The entry of `obj`, if this table tracks it (and it is not gone).
    [[nodiscard]] std::optional<std::uint32_t> entry_of(const void* obj) const;
    /// Records the object's current values as its database state.
    void take_snapshot(std::uint32_t entry);
};

/// Everything behind a tabella::session.
class session_state {
  public:
    session_state(engine eng, session_options opts);
    session_state(connection& conn, session_options opts);
    ~session_state();

    table_runtime& runtime(const entity_mapping& m);
    [[nodiscard]] const session_options& options() const noexcept { return options_; }
    [[nodiscard]] const std::vector<std::unique_ptr<table_runtime>>& tables() const noexcept {
        return tables_;
    }

    /// The session's connection (taken from the engine at first use).
    connection& conn();
    /// Begins the session's transaction unless one is open.
    void begin();
    void flush();
    void commit();
    void rollback();
    /// Flushes when autoflush is on and inserts or deletes are waiting.
    void autoflush();
    [[nodiscard]] std::size_t pending_count() const noexcept;
    void close();
    [[nodiscard]] bool is_closed() const noexcept { return closed_; }

  private:
    /// Session bookkeeping after the transaction is gone (rolled back or lost).
    void forget_transaction_work();
    /// After a failed flush: ends the session's transaction if nothing in it is worth
    /// keeping, or if the database already ended it.
    void end_transaction_after_failed_flush() noexcept;
    void finish_transaction_bookkeeping();

    std::optional<engine> engine_;
    std::optional<connection> own_conn_;
    connection* conn_ = nullptr;
    std::optional<transaction> tx_;
    bool closed_ = false;
    bool tx_has_work_ = false; ///< a flush succeeded in the session's open transaction
    session_options options_;
    std::vector<std::unique_ptr<table_runtime>> tables_;
    std::unordered_map<const entity_mapping*, table_runtime*> by_mapping_;
};

/// Runs one flush: inserts, updates, deletes, all inside `conn`'s open transaction or
/// savepoint. Throws on failure after restoring every object it touched.
void run_flush(session_state& s, connection& conn);

} // namespace tabella::detail
