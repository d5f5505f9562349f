// run_transaction: attempts, the errors that are retried, and the backoff between them.
#include "tabella/retry.hpp"

#include "tabella/engine.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace tabella::detail {
namespace {

// Full jitter: a wait drawn uniformly below min(max_backoff, first_backoff * 2^(n-1)).
std::chrono::microseconds backoff(const retry_options& options, int failed_attempt) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const auto first = std::chrono::microseconds(options.first_backoff);
    const auto cap = std::chrono::microseconds(options.max_backoff);
    auto bound = first;
    for (int i = 1; i < failed_attempt && bound < cap; ++i) bound *= 2;
    bound = std::min(bound, cap);
    if (bound.count() <= 0) return std::chrono::microseconds(0);
    std::uniform_int_distribution<std::int64_t> pick(0, bound.count());
    return std::chrono::microseconds(pick(rng));
}

} // namespace

void run_with_retries(const engine& eng, const retry_options& options,
                      const std::function<void(session&)>& attempt) {
    if (options.max_attempts < 1)
        throw usage_error("run_transaction: max_attempts must be at least 1, not " +
                          std::to_string(options.max_attempts));
    for (int n = 1;; ++n) {
        try {
            session s(eng, options.session); // rolled back when left by an exception
            s.begin(); // the work's reads belong to the transaction that commits it
            attempt(s);
            s.commit();
            return;
        } catch (const transaction_rollback& e) {
            const bool retryable = dynamic_cast<const serialization_failure*>(&e) ||
                                   dynamic_cast<const deadlock_detected*>(&e) ||
                                   dynamic_cast<const lock_timeout*>(&e);
            if (!retryable || n >= options.max_attempts) throw;
            if (options.on_retry) options.on_retry(n, e);
            std::this_thread::sleep_for(backoff(options, n));
        }
    }
}

} // namespace tabella::detail
