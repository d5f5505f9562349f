// The driver registry, engines and their connection pools.
#include "engine_state.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>

namespace tabella {
namespace detail {
namespace {

struct driver_registry {
    std::mutex mutex;
    std::vector<std::unique_ptr<const driver_info>> drivers;
};

// Never destroyed: engines hold references to its entries, and an engine may be used
// during static destruction or by a thread that outlives main.
driver_registry& registry() {
    static auto* const r = new driver_registry;
    return *r;
}

bool names(const driver_info& d, std::string_view scheme) {
    return std::find(d.schemes.begin(), d.schemes.end(), scheme) != d.schemes.end();
}

} // namespace

void register_driver(driver_info info) {
    if (info.schemes.empty() || !info.sql_dialect || !info.open)
        throw usage_error("register_driver: a driver needs a scheme, a dialect and a factory");
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    for (const auto& d : r.drivers)
        if (names(*d, info.schemes.front())) return; // registered already: keep the first
    r.drivers.push_back(std::make_unique<const driver_info>(std::move(info)));
}

const driver_info* find_driver(std::string_view scheme) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    for (const auto& d : r.drivers)
        if (names(*d, scheme)) return d.get();
    return nullptr;
}

namespace {

const driver_info& driver_for(const tabella::url& u) {
    if (const auto* d = find_driver(u.scheme)) return *d;
    throw usage_error("cannot open '" + u.masked() + "': no driver for '" + u.scheme +
                      "' is linked into this program (link its component, e.g. tabella::" +
                      u.scheme + ", or call its register_driver())");
}

tabella::url engine_url(tabella::url u, const driver_info& d) {
    if (d.prepare_engine_url) d.prepare_engine_url(u);
    return u;
}

} // namespace

engine_state::engine_state(tabella::url u, engine_options opts, const driver_info& driver)
    : driver_(driver), url_(engine_url(std::move(u), driver)), options_(std::move(opts)),
      echo_(options_.echo, options_.echo_sink, options_.echo_max_params, options_.echo_max_text),
      keeps_every_connection_(driver.is_memory && driver.is_memory(url_)) {}

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
        auto conn = driver_.open(url_, options_);
        conn->set_echo(&echo_);
        return conn;
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
        const bool keep = conn && conn->is_usable() &&
                          (keeps_every_connection_ || idle_.size() < options_.pool_size);
        if (keep)
            idle_.push_back(std::move(conn));
        else
            closing = std::move(conn);
        // A connection lost to the server says the idle ones are most likely lost too
        // (a restart, a network cut): drop them rather than hand them out to fail.
        if (closing && !closing->is_usable() && !keeps_every_connection_) idle_.clear();
    }
    returned_.notify_one();
}

} // namespace detail

namespace detail {

engine open_engine(std::string_view text, engine_options options) {
    tabella::url u = parse_url(text);
    const driver_info& d = driver_for(u);
    return engine(std::make_shared<engine_state>(std::move(u), std::move(options), d));
}

} // namespace detail

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
