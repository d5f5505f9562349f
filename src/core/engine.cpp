// create_engine, the driver registry and the connection pool.
#include "engine_state.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <atomic>
#include <map>

#include <unistd.h>

namespace tabella {
namespace detail {
namespace {

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
std::map<std::string, driver_factory>& registry() {
    static std::map<std::string, driver_factory> drivers{{"sqlite", &open_sqlite}};
    return drivers;
}

driver_factory find_driver(const tabella::url& u) {
    std::lock_guard lock(registry_mutex());
    const auto it = registry().find(u.scheme);
    if (it != registry().end()) return it->second;
    throw usage_error("cannot open '" + u.masked() + "': the " + u.scheme +
                      " driver is not built into this tabella (build with its client "
                      "library installed, libpqxx-dev or libmariadb-dev, and link "
                      "tabella::postgres or tabella::mariadb)");
}

} // namespace

void register_driver(std::string scheme, driver_factory factory) {
    std::lock_guard lock(registry_mutex());
    registry()[std::move(scheme)] = std::move(factory);
}

namespace {

// Every connection of an in-memory engine must see the same database: name it, so the
// SQLite driver opens one shared in-memory database (memdb) for the engine.
tabella::url name_memory_database(tabella::url u) {
    static std::atomic<unsigned> counter{0};
    if (u.is_memory() && !u.query.contains("memdb"))
        u.query["memdb"] =
            "/tabella-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    return u;
}

} // namespace

engine_state::engine_state(tabella::url u, engine_options opts, driver_factory factory)
    : url_(name_memory_database(std::move(u))), options_(std::move(opts)),
      factory_(std::move(factory)),
      echo_(options_.echo, options_.echo_sink, options_.echo_max_params, options_.echo_max_text),
      dialect_(url_.scheme == "sqlite"    ? &sqlite_dialect()
               : url_.scheme == "mariadb" ? &mariadb_dialect()
                                          : &postgresql_dialect()) {}

void engine_state::wait_for_room(std::unique_lock<std::mutex>& lock) {
    const std::size_t max = options_.max_connections;
    if (max == 0) return;
    const bool room = returned_.wait_for(lock, options_.pool_timeout, [&] {
        return !idle_.empty() || checked_out_ + idle_.size() < max;
    });
    if (!room)
        throw connection_error("no connection to '" + url_.masked() + "' became free within " +
                               std::to_string(options_.pool_timeout.count()) + " ms (" +
                               std::to_string(max) + " in use; raise max_connections)");
}

std::unique_ptr<driver_connection> engine_state::acquire() {
    {
        std::unique_lock lock(mutex_);
        wait_for_room(lock);
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            ++checked_out_;
            return conn;
        }
        ++checked_out_;
    }
    try {
        return factory_(url_, options_);
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            --checked_out_;
        }
        returned_.notify_one();
        throw;
    }
}

void engine_state::release(std::unique_ptr<driver_connection> conn) noexcept {
    std::unique_ptr<driver_connection> closing; // closed outside the lock
    {
        std::lock_guard lock(mutex_);
        --checked_out_;
        // An in-memory database lives while one of its connections is open: keep them all.
        const bool keep =
            conn && conn->is_usable() && (url_.is_memory() || idle_.size() < options_.pool_size);
        if (keep)
            idle_.push_back(std::move(conn));
        else
            closing = std::move(conn);
        // A connection lost to the server says the idle ones are most likely lost too
        // (a restart, a network cut): drop them rather than hand them out to fail.
        if (closing && !closing->is_usable() && !url_.is_memory()) idle_.clear();
    }
    returned_.notify_one();
}

} // namespace detail

engine create_engine(std::string_view text, engine_options options) {
    tabella::url u = parse_url(text);
    auto factory = detail::find_driver(u);
    return engine(std::make_shared<detail::engine_state>(std::move(u), std::move(options),
                                                         std::move(factory)));
}

connection engine::connect() {
    return connection(state_, state_->acquire());
}
const tabella::url& engine::url() const noexcept {
    return state_->url();
}
const engine_options& engine::options() const noexcept {
    return state_->options();
}
const tabella::dialect& engine::dialect() const noexcept {
    return state_->sql_dialect();
}

} // namespace tabella
