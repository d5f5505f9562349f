// The steps of one flush, shared by the insert, update and delete code.
#pragma once

#include "session_state.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/detail/echo.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tabella::detail {

/// Inserts every pending object of `t` in batched multi-row statements and writes each
/// generated key into its object (flagging it entry_key_assigned).
void insert_pending(connection& conn, table_runtime& t, const session_options& opts);
/// Sends UPDATEs of changed columns for persistent objects; returns the entries updated.
[[nodiscard]] std::vector<std::uint32_t> update_changed(connection& conn, table_runtime& t);
/// Sends batched DELETEs for objects marked by remove().
void delete_removed(connection& conn, table_runtime& t);

/// Runs `stmt` with `params`, echoing it, and checks it changed `expected` rows.
void execute_checked(connection& conn, prepared_statement& stmt, std::span<const param_ref> params,
                     std::int64_t expected, const entity_mapping& m, row_buffer* out = nullptr);

/// Rethrows the current sql_error with the table and object position added to its message.
[[noreturn]] void rethrow_with_context(const entity_mapping& m, std::string_view action,
                                       std::string_view where);

} // namespace tabella::detail
