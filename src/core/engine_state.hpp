// What an engine shares between its copies and its connections: URL, options, echo and
// the pool of idle driver connections.
#pragma once

#include "tabella/detail/driver.hpp"
#include "tabella/detail/echo.hpp"
#include "tabella/engine.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace tabella::detail {

class engine_state {
  public:
    engine_state(tabella::url u, engine_options opts, const driver_info& driver);

    /// An idle connection, or a new one.
    [[nodiscard]] std::unique_ptr<driver_connection> acquire();
    /// Returns a connection; it is kept when usable and the pool has room.
    void release(std::unique_ptr<driver_connection> conn) noexcept;

    [[nodiscard]] const tabella::url& url() const noexcept { return url_; }
    [[nodiscard]] const engine_options& options() const noexcept { return options_; }
    [[nodiscard]] const echo_log& echo() const noexcept { return echo_; }
    [[nodiscard]] const dialect& sql_dialect() const noexcept { return *driver_.sql_dialect; }

  private:
    const driver_info& driver_;
    tabella::url url_;
    engine_options options_;
    echo_log echo_;
    /// The database lives only while a connection is open (in memory): keep them all.
    bool keeps_every_connection_;
    /// Waits until a connection may be opened or taken; throws when pool_timeout passes.
    void wait_for_room(std::unique_lock<std::mutex>& lock);

    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<driver_connection>> idle_;
    std::size_t checked_out_ = 0;
};

} // namespace tabella::detail
