// The loop every benchmark case shares: empty the table and build the inputs (untimed),
// insert (timed), then check the row count and the generated keys (untimed).
#pragma once

#include "workload.hpp"

#include <tabella/engine.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tabella_bench {

/// What the runner needs from the database, through whichever client the case uses.
class table_probe {
  public:
    virtual ~table_probe() = default;
    /// Empties students (and restarts its keys).
    virtual void empty_table() = 0;
    [[nodiscard]] virtual std::int64_t count_rows() = 0;
    /// The name stored in the row with this key ("" when there is none).
    [[nodiscard]] virtual std::string name_at(std::int64_t key) = 0;
};

/// The key of every inserted row, in input order; nullopt when the method returns no keys
/// (COPY).
using inserted_keys = std::optional<std::vector<std::int64_t>>;

/// Per-iteration hooks of one case.
struct case_body {
    /// Untimed, after the table is emptied: build the inputs of the next insert.
    std::function<void()> prepare = [] {};
    /// Timed: insert state.range(0) rows, and get their keys to where the program can
    /// read them (objects, a vector).
    std::function<void()> insert;
    /// Untimed: the keys the insert made known, for the checks.
    std::function<inserted_keys()> keys;
    /// Untimed, after the checks: drop what the insert left behind (a session...).
    std::function<void()> cleanup = [] {};
};

/// Runs the iterations of a case with rows = state.range(0) and sets the rows_per_second
/// counter. A failed check or an exception ends the case with SkipWithError.
void run_case(benchmark::State& state, table_probe& probe, const case_body& body);

/// Runs `setup_and_run` and turns an exception (no DSN, no server...) into SkipWithError.
void guarded(benchmark::State& state, const std::function<void()>& setup_and_run);

/// A table_probe through tabella's own connections; it also creates the table.
class tabella_probe final : public table_probe {
  public:
    explicit tabella_probe(const bench_database& db);
    void empty_table() override;
    std::int64_t count_rows() override;
    std::string name_at(std::int64_t key) override;
    [[nodiscard]] tabella::engine& engine() noexcept { return engine_; }

  private:
    const bench_database& db_;
    tabella::engine engine_;
};

} // namespace tabella_bench
