// MariaDB error numbers to tabella's typed errors. Pure: no Connector/C header here, so
// the mapping is unit-tested without a server.
#pragma once

#include <string>
#include <string_view>

namespace tabella::detail {

/// True for the errors after which the connection is gone: the server went away, closed
/// or killed it, or the client lost it (CR_SERVER_GONE_ERROR, CR_SERVER_LOST...).
[[nodiscard]] bool mariadb_connection_lost(unsigned code) noexcept;

/// True for the errors after which InnoDB has rolled back the whole transaction, not
/// just the statement: a deadlock, and a lock wait timeout when the server runs with
/// innodb_rollback_on_timeout.
[[nodiscard]] bool mariadb_ends_transaction(unsigned code, bool rollback_on_timeout) noexcept;

/// The SQLSTATE tabella reports for error `code`: PostgreSQL's code where one fits (so
/// the error class is the same as on the other drivers), else the server's `sqlstate`.
[[nodiscard]] std::string mariadb_sqlstate(unsigned code, std::string_view sqlstate,
                                           std::string_view message = {});

/// Throws the sql_error subclass for error `code` of statement `sql`: the message
/// "mariadb: <server message> [<sql, cut at 200 characters>]", native_code() = `code`.
[[noreturn]] void throw_mariadb_error(unsigned code, std::string_view sqlstate,
                                      std::string_view message, const std::string& sql);

} // namespace tabella::detail
