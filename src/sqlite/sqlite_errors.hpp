// Turning SQLite result codes into tabella's typed errors.
#pragma once

#include <string>

struct sqlite3;

namespace tabella::detail {

/// Throws the error class that matches the extended result code `rc` of `db`, with the
/// SQLite message, the SQL text and the closest PostgreSQL SQLSTATE.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& sql);

} // namespace tabella::detail
