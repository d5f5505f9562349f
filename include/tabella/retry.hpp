// Retried transactions: a unit of work run in a fresh session, committed, and run again
// when the database says it conflicted with another transaction.
#pragma once

#include "tabella/error.hpp"
#include "tabella/export.hpp"
#include "tabella/session.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace tabella {

class engine;

/// Options of run_transaction. Use designated initializers: `{.max_attempts = 5}`.
struct retry_options {
    /// Attempts in all, the first included (at least 1).
    int max_attempts = 3;
    /// The wait before the second attempt; it doubles for each next one, up to
    /// max_backoff, and each wait is drawn at random below its bound (full jitter), so
    /// that the transactions that conflicted do not meet again.
    std::chrono::milliseconds first_backoff{5};
    std::chrono::milliseconds max_backoff{500};
    /// Options of each attempt's session.
    session_options session{};
    /// Called before each retry with the number of the attempt that failed and its error.
    std::function<void(int attempt, const transaction_rollback& error)> on_retry{};
};

namespace detail {
/// Runs `attempt` as run_transaction describes.
TABELLA_EXPORT void run_with_retries(const engine& eng, const retry_options& options,
                                     const std::function<void(session&)>& attempt);
} // namespace detail

/// Runs `work(session&)` with a fresh session and commits it. When the work or the commit
/// fails with serialization_failure (40001), deadlock_detected (40P01) or lock_timeout
/// (SQLite busy, PostgreSQL lock_not_available), the attempt is rolled back, its session
/// and objects are dropped (nothing of them is written), and `work` runs again in a new
/// session after a backoff, up to `max_attempts`; the last error is rethrown. Any other
/// error is rethrown at once. Returns what `work` returns. `work` must be safe to run more
/// than once: it should read what it needs through its session, not from an earlier attempt.
template <class F>
auto run_transaction(const engine& eng, F&& work, const retry_options& options = {})
    -> std::invoke_result_t<F&, session&> {
    using result_type = std::invoke_result_t<F&, session&>;
    if constexpr (std::is_void_v<result_type>) {
        detail::run_with_retries(eng, options, [&](session& s) { work(s); });
    } else {
        std::optional<result_type> out;
        detail::run_with_retries(eng, options, [&](session& s) { out.emplace(work(s)); });
        return std::move(*out);
    }
}

} // namespace tabella
