// Opening a PostgreSQL connection, for the component's registration.
#pragma once

#include "tabella/detail/driver.hpp"

namespace tabella::detail {

[[nodiscard]] std::unique_ptr<driver_connection> open_postgres(const url& u,
                                                               const engine_options& opts);

} // namespace tabella::detail
