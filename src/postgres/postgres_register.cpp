// The PostgreSQL component: its URLs (postgresql://user:pass@host:port/db, also spelled
// postgres://) and its registration.
#include "postgres_register.hpp"
#include "tabella/error.hpp"
#include "tabella/postgres.hpp"
#include "tabella/url.hpp"

namespace tabella {
namespace detail {
namespace {

void validate_postgres_url(const url& u) {
    if (u.database.find('/') != std::string::npos)
        throw usage_error("a postgresql database name cannot contain '/'");
}

} // namespace
} // namespace detail

namespace postgres {

void register_driver() {
    detail::register_driver({.schemes = {"postgresql", "postgres"},
                             .sql_dialect = &postgresql_dialect(),
                             .open = &detail::open_postgres,
                             .validate_url = &detail::validate_postgres_url,
                             .is_memory = {},
                             .prepare_engine_url = {}});
}

} // namespace postgres
} // namespace tabella
