// The MariaDB driver component (CMake target tabella::mariadb):
// mariadb://user:pass@host:port/db, on MariaDB Connector/C.
#pragma once

#include "tabella/dialect.hpp"
#include "tabella/mariadb_export.hpp"

namespace tabella {

namespace mariadb {
/// Registers the driver of mariadb URLs. create_engine calls it for code that links
/// tabella::mariadb; call it yourself when linking the library by other means.
/// Idempotent and thread-safe.
TABELLA_MARIADB_EXPORT void register_driver();
} // namespace mariadb

/// The MariaDB dialect.
[[nodiscard]] TABELLA_MARIADB_EXPORT const dialect& mariadb_dialect() noexcept;

} // namespace tabella
