// Registration of the benchmark cases. Names read BM_<what>/<driver>/<rows>.
#pragma once

#include "workload.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

namespace tabella_bench {

/// The row counts of most cases.
inline constexpr std::array<std::int64_t, 3> all_row_counts = {1'000, 10'000, 100'000};

/// Registers `run(state)` as `<what>/<driver>/<rows>` for each row count, timed by the wall
/// clock (the database server and the disk work while this process waits).
template <class Run>
void add_case(const std::string& what, backend b, std::span<const std::int64_t> rows, Run run) {
    const std::string name = what + "/" + std::string(name_of(b));
    auto* bm = benchmark::RegisterBenchmark(name.c_str(), std::move(run));
    for (const auto n : rows) bm->Arg(n);
    bm->UseRealTime()->Unit(benchmark::kMillisecond);
}

/// BM_session_flush and one case per selectable insert strategy.
void register_orm_cases(backend b);
/// executemany, multi-VALUES, and one execute per row (autocommit / one transaction).
void register_core_cases(backend b);
/// The sqlite3 C API: one prepared statement reused in one transaction.
void register_raw_sqlite_cases();
/// libpqxx: multi-VALUES INSERT ... RETURNING id in batches of 1,000, and COPY.
void register_raw_postgres_cases();
/// Connector/C: one prepared single-row INSERT per row in one transaction, and
/// multi-VALUES INSERT ... RETURNING id in batches of 1,000.
void register_raw_mariadb_cases();

} // namespace tabella_bench
