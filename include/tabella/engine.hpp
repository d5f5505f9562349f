// The engine: made from a URL, hands out connections from a small pool.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/url.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

namespace tabella {

namespace detail {
class engine_state;
}

/// Options of an engine. Use designated initializers: `{.echo = true}`.
struct engine_options {
    /// Log every statement, its parameters and every COMMIT / ROLLBACK.
    bool echo = false;
    /// Where echo lines go; default: std::clog.
    std::function<void(std::string_view line)> echo_sink{};
    /// Parameters shown per statement in echo before the list is abbreviated.
    std::size_t echo_max_params = 10;
    /// Characters of a text parameter shown in echo before it is cut.
    std::size_t echo_max_text = 80;
    /// How long a SQLite connection waits for a lock held by another connection.
    std::chrono::milliseconds busy_timeout{5000};
    /// Idle connections kept for reuse.
    std::size_t pool_size = 4;
    /// Connections open at once, in use or idle (0: no limit). When all are in use,
    /// connect() waits up to `pool_timeout` for one, then throws connection_error.
    std::size_t max_connections = 0;
    std::chrono::milliseconds pool_timeout{30000};
};

/// A database engine. Cheap to copy (copies share one pool) and safe to share between
/// threads; each thread takes its own `connection`.
class engine {
  public:
    explicit engine(std::shared_ptr<detail::engine_state> state) noexcept
        : state_(std::move(state)) {}

    /// A connection from the pool (opened when none is idle). Throws connection_error
    /// when the database cannot be reached.
    [[nodiscard]] connection connect();
    [[nodiscard]] const tabella::url& url() const noexcept;
    [[nodiscard]] const engine_options& options() const noexcept;
    [[nodiscard]] const tabella::dialect& dialect() const noexcept;

  private:
    std::shared_ptr<detail::engine_state> state_;
};

/// Makes an engine for `url`: sqlite:///relative.db, sqlite:////absolute.db, sqlite://
/// (in memory; one connection at a time), postgresql://user:pass@host:port/db,
/// mariadb://user:pass@host:port/db (?socket=/path, ?connect_timeout=seconds).
/// Throws usage_error for a malformed URL or a driver that is not built. Connects lazily.
[[nodiscard]] engine create_engine(std::string_view url, engine_options options = {});

} // namespace tabella
