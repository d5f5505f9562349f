// The MariaDB driver's factory: the one function a driver registry needs.
#pragma once

#include "tabella/detail/driver.hpp"

namespace tabella::detail {

/// Opens a MariaDB connection for a `mariadb://user:pass@host:port/db` URL (options:
/// socket=/path, connect_timeout=seconds). Throws connection_error or usage_error.
[[nodiscard]] std::unique_ptr<driver_connection> open_mariadb(const url& u,
                                                              const engine_options& opts);

} // namespace tabella::detail
