// create_all / drop_all of a set of tables, for metadata and the ORM alike: dependency
// order, foreign keys that close a cycle, indexes, and the sequences columns name.
#pragma once

#include "tabella/export.hpp"

#include "tabella/connection.hpp"
#include "tabella/metadata.hpp"

#include <span>
#include <string>
#include <vector>

namespace tabella::detail {

/// A FOREIGN KEY that closes a cycle of tables: created after every table exists.
struct TABELLA_EXPORT deferred_foreign_key {
    const table* owner = nullptr;
    foreign_key_constraint fk;
    std::string name; ///< constraint_name("fk", table, columns)
};

/// The order create_all creates `tables` in, and the foreign keys it adds afterwards.
struct TABELLA_EXPORT schema_plan {
    /// Every table after the tables it references, cycles aside.
    std::vector<const table*> order;
    /// The references that the depth-first walk found pointing back at a table it was
    /// still inside (self-references excluded): without them the graph has no cycle.
    std::vector<deferred_foreign_key> deferred;
};

/// Plans `tables`; references to tables outside the span impose no order.
[[nodiscard]] TABELLA_EXPORT schema_plan plan_schema(std::span<const table* const> tables);

/// In `conn`'s open transaction: sequences, tables (parents first), their indexes, then the
/// foreign keys that close a cycle (ALTER TABLE where the dialect can add them; otherwise
/// they stay in CREATE TABLE).
TABELLA_EXPORT void create_schema(connection& conn, std::span<const table* const> tables);
/// In `conn`'s open transaction: the foreign keys that close a cycle dropped (or their
/// checks deferred), then the tables children first, then their sequences.
TABELLA_EXPORT void drop_schema(connection& conn, std::span<const table* const> tables);

/// `t` with `columns` instead of its own, and all of its foreign keys, indexes and UNIQUE
/// constraints (those of the columns' own flags are not repeated).
[[nodiscard]] TABELLA_EXPORT table with_columns(const table& t, std::vector<column> columns);

} // namespace tabella::detail
