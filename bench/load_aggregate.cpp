// An aggregate query (issue 13): SELECT age, COUNT(*), SUM(score) ... GROUP BY age over the
// students file, through the ORM's typed tuples and through Core, against the same SQL run
// with sqlite3_step into the same tuples.
#include "load_cases.hpp"
#include "load_student.hpp"

#include <tabella/session.hpp>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdint>
#include <tuple>
#include <vector>

namespace tabella_load {
namespace {

using group_row = std::tuple<int, std::int64_t, double>;
constexpr std::size_t groups = 90; // ages 0..89

void check(benchmark::State& state, const std::vector<group_row>& out) {
    if (out.size() != groups) state.SkipWithError("wrong result");
    benchmark::DoNotOptimize(out.data());
}

void bm_session_aggregate(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    auto eng = tabella::create_engine("sqlite:///" + students_database(rows));
    tabella::session s(eng);
    using tabella::col;
    for (auto _ : state)
        check(state,
              s.query<student>()
                  .select(col(&student::age), tabella::count(), tabella::sum(col(&student::score)))
                  .group_by(&student::age)
                  .tuples<int, std::int64_t, double>());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void bm_core_aggregate(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    auto eng = tabella::create_engine("sqlite:///" + students_database(rows));
    auto conn = eng.connect();
    const auto& t = tabella::table_of<student>();
    const auto q = tabella::select({t.c("age"), tabella::count(), tabella::sum(t.c("score"))})
                       .group_by(t.c("age"));
    for (auto _ : state) {
        std::vector<group_row> out;
        for (const auto& r : conn.execute(q))
            out.emplace_back(r.get<int>(0), r.get<std::int64_t>(1), r.get<double>(2));
        check(state, out);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void bm_raw_aggregate(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    sqlite3* db = nullptr;
    sqlite3_open_v2(students_database(rows).c_str(), &db,
                    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    for (auto _ : state) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db,
                           "SELECT students.age, COUNT(*), SUM(students.score) FROM students "
                           "GROUP BY students.age",
                           -1, &stmt, nullptr);
        std::vector<group_row> out;
        while (sqlite3_step(stmt) == SQLITE_ROW)
            out.emplace_back(sqlite3_column_int(stmt, 0), sqlite3_column_int64(stmt, 1),
                             sqlite3_column_double(stmt, 2));
        sqlite3_finalize(stmt);
        check(state, out);
    }
    sqlite3_close_v2(db);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

} // namespace

void register_aggregate_cases(std::vector<ratio_pair>& pairs) {
    for (auto* bm : {benchmark::RegisterBenchmark("BM_raw_aggregate", bm_raw_aggregate),
                     benchmark::RegisterBenchmark("BM_session_aggregate", bm_session_aggregate),
                     benchmark::RegisterBenchmark("BM_core_aggregate", bm_core_aggregate)})
        bm->Arg(100'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);
    pairs.push_back({"BM_session_aggregate", "BM_raw_aggregate", "GROUP BY over students"});
    pairs.push_back({"BM_core_aggregate", "BM_raw_aggregate", "GROUP BY over students"});
}

} // namespace tabella_load
