// The MariaDB component: its URLs (mariadb://user:pass@host:port/db; the
// options socket=/path and connect_timeout=seconds) and its registration.
#include "mariadb_driver.hpp"
#include "tabella/error.hpp"
#include "tabella/mariadb.hpp"
#include "tabella/url.hpp"

namespace tabella {
namespace detail {
namespace {

void validate_mariadb_url(const url& u) {
    if (u.database.find('/') != std::string::npos)
        throw usage_error("a mariadb database name cannot contain '/'");
    for (const auto& [key, val] : u.query)
        if (key != "socket" && key != "connect_timeout")
            throw usage_error("unknown mariadb option '" + key +
                              "' (known: socket=/path, connect_timeout=seconds)");
}

} // namespace
} // namespace detail

namespace mariadb {

void register_driver() {
    detail::register_driver({.schemes = {"mariadb"},
                             .sql_dialect = &mariadb_dialect(),
                             .open = &detail::open_mariadb,
                             .validate_url = &detail::validate_mariadb_url,
                             .is_memory = {},
                             .prepare_engine_url = {}});
}

} // namespace mariadb
} // namespace tabella
