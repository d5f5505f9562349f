// The steps of one flush: a plan made before anything is sent (its checks fail with nothing
// sent), the statements that carry it out, and its effect on the objects once it succeeded.
#pragma once

#include "delete_rules.hpp"
#include "session_state.hpp"
#include "tabella/detail/statement_runner.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tabella::detail {

/// An UPDATE of one persistent object: the columns it sets (bit c: column c).
struct planned_update {
    std::uint32_t entry;
    std::uint64_t columns;
};

/// A removed object whose key a pending object of the same table takes in this flush:
/// the row is kept and UPDATEd with the new object's values (SQLAlchemy's row switch).
struct planned_switch {
    std::uint32_t removed;
    std::uint32_t added;
};

/// A ref that closes a cycle between two tables (SQLAlchemy's post_update): emptied for
/// the INSERT and set by an UPDATE once its parent's row exists, or emptied by an UPDATE
/// before its parent's row is deleted. `saved` is the ref as it was, for undo.
struct cycle_update {
    std::uint32_t entry;
    const relationship* r;
    std::shared_ptr<void> saved;
};

/// What one flush does to one table.
struct table_plan {
    table_runtime* t = nullptr;
    /// Pending entries in the order their rows are sent: rows referenced by rows of the
    /// same table first; inside each level, entries with a key set first, in order added.
    std::vector<std::uint32_t> inserts;
    /// Tables with server defaults: for each of `inserts`, the defaulted columns its object
    /// leaves empty (bit c: column c), left out of its INSERT and read back. Else empty.
    std::vector<std::uint64_t> omitted;
    /// For each level of `inserts`: its end, and where its entries without a key start.
    std::vector<std::pair<std::size_t, std::size_t>> levels;
    std::vector<planned_update> updates;
    std::vector<planned_switch> switches;
    /// Removed entries in the order their rows are deleted: referencing rows first.
    std::vector<std::uint32_t> deletes;
    /// Versioned tables: the version of every object the flush sets a new one in (inserts,
    /// updates, row switches), as it was before, for undo_flush.
    std::vector<std::pair<std::uint32_t, std::int64_t>> versions_before;
    /// Where each level of `deletes` ends (rows of one level reference no row of the same
    /// level); one level when the table does not reference itself.
    std::vector<std::size_t> delete_levels;
    /// Inserted objects whose ref to a table flushed later is set after the inserts.
    std::vector<cycle_update> post_updates;
    /// Removed objects whose ref to a table deleted earlier is set to NULL before deletes.
    std::vector<cycle_update> pre_delete_nulls;
};

/// How a flush inserts rows, decided once per flush from the driver's capabilities and
/// the session's options, before any statement is sent.
struct insert_plan {
    /// Rows with their keys go out with COPY, not multi-row INSERTs.
    bool copy = false;
    /// Generated keys are reserved a block at a time before their rows are sent (where
    /// the driver proves it safe for the table).
    bool reserve = false;
    /// Else, generated keys (and server defaults) come back with multi-row INSERT ...
    /// RETURNING, each returned row matched to its object by the values it holds; when
    /// false too, one INSERT ... RETURNING per row.
    bool returning_rows = false;
};
/// Throws usage_error when the session's insert strategy needs what the driver lacks.
[[nodiscard]] insert_plan plan_inserts(const driver_capabilities& caps,
                                       const session_options& opts);

/// Every table's part of a flush; tables parents first.
struct flush_plan {
    std::vector<table_plan> tables;
    insert_plan inserts;
    /// What on_delete did to the children of removed objects, undone when the flush fails.
    delete_rule_log delete_rules;
    [[nodiscard]] bool empty() const noexcept;
};

/// Plans a flush, after applying on_delete to the children of removed objects. Throws
/// usage_error, with nothing sent, for an object graph that cannot be ordered or a changed
/// key that cannot be sent, and foreign_key_violation when on_delete::restrict refuses.
[[nodiscard]] flush_plan plan_flush(session_state& s);
/// Sends the plan's statements inside `conn`'s open transaction.
void send_flush(flush_plan& plan, connection& conn, const session_options& opts);

/// After send_flush succeeded: the objects' new states, keys, snapshots and stamps.
void apply_flush(const flush_plan& plan, epoch number);
/// After send_flush failed: clears the keys it wrote into objects and undoes the delete
/// rules.
void undo_flush(flush_plan& plan) noexcept;

/// Orders a table's pending entries (parents of the same table first) into `plan`.
void order_inserts(table_plan& plan, std::vector<std::uint32_t> pending);
/// Orders a table's removed entries (referencing rows first) into `plan`.
void order_deletes(table_plan& plan, std::vector<std::uint32_t> removed);

/// Inserts plan.inserts in batched multi-row statements and writes each generated key
/// into its object (marking it mark_key_assigned).
void insert_pending(statement_runner& run, const table_plan& plan, const insert_plan& how,
                    const session_options& opts);
/// The session's tables, each after the tables it references; where tables reference each
/// other, the cycle is broken at an optional ref (which then closes it, see below).
[[nodiscard]] std::vector<table_runtime*> tables_in_flush_order(const session_state& s);
/// Finds the refs that close a cycle between the plan's tables (a ref to a table flushed
/// later) and plans their post_updates and pre_delete_nulls, emptying them. Throws
/// usage_error naming the objects when such a ref is not optional.
void plan_cycle_updates(flush_plan& plan);
/// Sets the refs of `plan.post_updates` back and UPDATEs them (after every INSERT).
void send_post_updates(statement_runner& run, const table_plan& plan);
/// UPDATEs the refs of `plan.pre_delete_nulls` to NULL (before every DELETE).
void send_pre_delete_nulls(statement_runner& run, const table_plan& plan);

/// Sends the plan's UPDATEs (row switches included), by the key of each object's row.
void send_updates(statement_runner& run, const table_plan& plan);
/// Sends batched DELETEs by the key of each removed object's row.
void send_deletes(statement_runner& run, const table_plan& plan);

/// What a mismatch in the count of changed rows means.
enum class row_check { insert, update_or_delete };

/// Runs `stmt` with `params` and checks it changed `expected` rows.
void execute_checked(statement_runner& run, prepared_statement& stmt,
                     std::span<const param_ref> params, std::int64_t expected,
                     const entity_mapping& m, row_check check, row_buffer* out = nullptr);

/// Rethrows the current sql_error with the table and object position added to its message.
[[noreturn]] void rethrow_with_context(const entity_mapping& m, std::string_view action,
                                       std::string_view where);

} // namespace tabella::detail
