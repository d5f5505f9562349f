// The PostgreSQL driver component (CMake target tabella::postgres):
// postgresql://user:pass@host:port/db (also postgres://), on libpqxx.
#pragma once

#include "tabella/dialect.hpp"
#include "tabella/postgres_export.hpp"

namespace tabella {

namespace postgres {
/// Registers the driver of postgresql URLs. create_engine calls it for code that links
/// tabella::postgres; call it yourself when linking the library by other means.
/// Idempotent and thread-safe.
TABELLA_POSTGRES_EXPORT void register_driver();
} // namespace postgres

/// The PostgreSQL dialect.
[[nodiscard]] TABELLA_POSTGRES_EXPORT const dialect& postgresql_dialect() noexcept;

} // namespace tabella
