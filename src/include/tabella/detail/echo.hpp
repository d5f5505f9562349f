// The echo log: one line per statement, its parameters (abbreviated) and each COMMIT.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <cstddef>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

namespace tabella::detail {

/// Formats one parameter as echo shows it: 'text' (quotes doubled), 42, 1.5, NULL,
/// <blob 3 bytes>, '2026-01-02 03:04:05.000000', 'xxxxxxxx-xxxx-...' (a uuid), '2026-01-02'
/// (a date); text longer than `max_text` characters is cut with "...".
[[nodiscard]] TABELLA_EXPORT std::string format_param(const param_ref& p, std::size_t max_text);

/// Writes echo lines to a sink when enabled; does nothing (and formats nothing) when off.
/// Thread-safe: the sink is called for one line at a time, whichever thread writes.
class TABELLA_EXPORT echo_log {
  public:
    using sink = std::function<void(std::string_view line)>;

    echo_log() = default;
    echo_log(bool enabled, sink s, std::size_t max_params, std::size_t max_text);
    echo_log(const echo_log&) = delete;
    echo_log& operator=(const echo_log&) = delete;

    [[nodiscard]] bool enabled() const noexcept { return enabled_; }
    /// A line as is: SQL text, COMMIT, ROLLBACK...
    void line(std::string_view text) const;
    /// The parameters of one execution: ('Bob', 'Chrismansyah').
    void params(std::span<const param_ref> params) const;
    /// The parameters of an executemany: [(...), (...), ... displaying 2 of 1000 sets].
    void param_sets(std::span<const param_ref> flat, std::size_t per_set) const;

  private:
    void append_tuple(std::string& out, std::span<const param_ref> params) const;
    void emit(std::string_view line) const;

    bool enabled_ = false;
    sink sink_;
    std::size_t max_params_ = 10;
    std::size_t max_text_ = 80;
    mutable std::mutex mutex_;
};

} // namespace tabella::detail
