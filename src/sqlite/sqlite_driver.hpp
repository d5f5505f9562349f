// Opening a SQLite connection, for the component's registration.
#pragma once

#include "tabella/detail/driver.hpp"

namespace tabella::detail {

[[nodiscard]] std::unique_ptr<driver_connection> open_sqlite(const url& u,
                                                             const engine_options& opts);

} // namespace tabella::detail
