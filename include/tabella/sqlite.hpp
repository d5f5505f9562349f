// The SQLite driver component (CMake target tabella::sqlite): sqlite:///relative.db,
// sqlite:////absolute.db, sqlite:// (in memory), on the sqlite3 C API.
#pragma once

#include "tabella/dialect.hpp"
#include "tabella/sqlite_export.hpp"

namespace tabella {

namespace sqlite {
/// Registers the driver of sqlite URLs. create_engine calls it for code that links
/// tabella::sqlite; call it yourself when linking the library by other means. Idempotent
/// and thread-safe.
TABELLA_SQLITE_EXPORT void register_driver();
} // namespace sqlite

/// The SQLite dialect.
[[nodiscard]] TABELLA_SQLITE_EXPORT const dialect& sqlite_dialect() noexcept;

} // namespace tabella
