// Turning libpqxx exceptions into tabella's typed errors.
#pragma once

#include <pqxx/except>

#include <string>

namespace tabella {
struct url;
}

namespace tabella::detail {

/// The SQLSTATE of a libpqxx failure. libpqxx 6.4 keeps it on sql_error only; its
/// transaction_rollback family carries none, so the code is recovered from the class.
/// Empty when unknown.
[[nodiscard]] std::string sqlstate_of(const pqxx::failure& e);

/// Throws the sql_error subclass for a failed statement `sql` on a connection that is still
/// open: the server's message (password hidden), SQLSTATE, native code 0, the SQL text.
[[noreturn]] void throw_postgres_error(const pqxx::failure& e, const std::string& sql,
                                       const url& u);

} // namespace tabella::detail
