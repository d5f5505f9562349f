// The SQLite component: its URLs (sqlite:///relative.db, sqlite:////absolute.db, sqlite://
// in memory) and its registration.
#include "sqlite_driver.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/error.hpp"
#include "tabella/sqlite.hpp"
#include "tabella/url.hpp"

#include <atomic>
#include <string>

#include <unistd.h>

namespace tabella {
namespace detail {
namespace {

void validate_sqlite_url(const url& u) {
    if (!u.host.empty() || !u.user.empty() || u.port)
        throw usage_error("a sqlite URL has no host; use sqlite:///relative.db or "
                          "sqlite:////abs.db");
    for (const auto& [key, val] : u.query) {
        if (key == "mode" && (val == "ro" || val == "rw" || val == "rwc")) continue;
        if (key == "memdb" && val.starts_with("/")) continue;
        throw usage_error("unknown sqlite option '" + key + "=" + val +
                          "' (known: mode=ro|rw|rwc, memdb=/name)");
    }
}

bool is_memory_url(const url& u) {
    return u.database.empty() || u.database == ":memory:";
}

// Every connection of an in-memory engine must see the same database: name it, so that
// the driver opens one shared in-memory database (memdb) for the engine.
void name_memory_database(url& u) {
    static std::atomic<unsigned> counter{0};
    if (is_memory_url(u) && !u.query.contains("memdb"))
        u.query["memdb"] =
            "/tabella-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

} // namespace
} // namespace detail

namespace sqlite {

void register_driver() {
    detail::register_driver({.schemes = {"sqlite"},
                             .sql_dialect = &sqlite_dialect(),
                             .open = &detail::open_sqlite,
                             .validate_url = &detail::validate_sqlite_url,
                             .is_memory = &detail::is_memory_url,
                             .prepare_engine_url = &detail::name_memory_database});
}

} // namespace sqlite
} // namespace tabella
