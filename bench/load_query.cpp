// Loading plain objects (issue 14): query<student>().all() on a fresh session, change
// tracking on and off, against the raw client loop that fills the same structs: sqlite3_step
// on a SQLite file, and (with TABELLA_TEST_POSTGRES_DSN) libpq's text results.
#include "load_cases.hpp"
#include "load_student.hpp"

#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
#include <libpq-fe.h>
#include <tabella/postgres.hpp>
#include <unistd.h>
#endif

namespace tabella_load {

const std::string& students_database(std::size_t rows) {
    static std::map<std::size_t, std::string> files;
    auto& path = files[rows];
    if (!path.empty()) return path;
    path = scratch_directory() + "/students-" + std::to_string(rows) + ".db";
    fill_students("sqlite:///" + path, rows);
    return path;
}

namespace {

void bm_session_query_on(benchmark::State& state, const std::string& url, bool track_changes) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    auto eng = tabella::create_engine(url);
    for (auto _ : state) {
        std::optional<tabella::session> s(std::in_place, eng,
                                          tabella::session_options{.track_changes = track_changes});
        auto loaded = s->query<student>().all();
        if (loaded.size() != rows) state.SkipWithError("wrong result");
        benchmark::DoNotOptimize(loaded.data());
        state.PauseTiming(); // freeing the objects is not loading them
        s.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

void bm_session_query(benchmark::State& state, bool track_changes) {
    bm_session_query_on(state,
                        "sqlite:///" + students_database(static_cast<std::size_t>(state.range(0))),
                        track_changes);
}

const char* text_at(sqlite3_stmt* stmt, int column) {
    return reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
}

// What a careful program does with the C API: one prepared SELECT, each row's columns
// read straight into a struct appended to a vector.
void bm_raw_step(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    sqlite3* db = nullptr;
    sqlite3_open_v2(students_database(rows).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    for (auto _ : state) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT id, name, lastname, age, score FROM students", -1, &stmt,
                           nullptr);
        std::vector<student> out;
        while (sqlite3_step(stmt) == SQLITE_ROW)
            out.push_back({sqlite3_column_int64(stmt, 0), text_at(stmt, 1), text_at(stmt, 2),
                           sqlite3_column_int(stmt, 3), sqlite3_column_double(stmt, 4)});
        sqlite3_finalize(stmt);
        if (out.size() != rows) state.SkipWithError("wrong result");
        benchmark::DoNotOptimize(out.data());
        state.PauseTiming();
        out = {};
        state.ResumeTiming();
    }
    sqlite3_close_v2(db);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}

} // namespace

#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
const std::string& postgres_database(std::size_t rows) {
    static std::map<std::size_t, std::string> urls;
    auto& url = urls[rows];
    if (!url.empty()) return url;
    const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN");
    if (!dsn || !*dsn) return url;
    static std::vector<std::string> schemas;
    const std::string schema =
        "tabella_load_" + std::to_string(::getpid()) + "_" + std::to_string(rows);
    tabella::create_engine(dsn).connect().execute_sql("CREATE SCHEMA " + schema);
    if (schemas.empty())
        std::atexit([] {
            auto conn = tabella::create_engine(std::getenv("TABELLA_TEST_POSTGRES_DSN")).connect();
            for (const auto& s : schemas) conn.execute_sql("DROP SCHEMA " + s + " CASCADE");
        });
    schemas.push_back(schema);
    const std::string base(dsn);
    url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
          schema;
    fill_students(url, rows);
    return url;
}

namespace {

void bm_session_query_postgres(benchmark::State& state, bool track_changes) {
    const auto& url = postgres_database(static_cast<std::size_t>(state.range(0)));
    if (url.empty()) return state.SkipWithError("TABELLA_TEST_POSTGRES_DSN is not set");
    bm_session_query_on(state, url, track_changes);
}

// libpq's text results, as a careful program reads them: one query, each field converted
// from its text straight into the struct's member.
void bm_raw_libpq(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    const auto& url = postgres_database(rows);
    if (url.empty()) return state.SkipWithError("TABELLA_TEST_POSTGRES_DSN is not set");
    PGconn* conn = PQconnectdb(url.c_str());
    for (auto _ : state) {
        PGresult* res = PQexec(conn, "SELECT id, name, lastname, age, score FROM students");
        const int n = PQntuples(res);
        std::vector<student> out;
        for (int i = 0; i < n; ++i)
            out.push_back({std::strtoll(PQgetvalue(res, i, 0), nullptr, 10),
                           std::string(PQgetvalue(res, i, 1),
                                       static_cast<std::size_t>(PQgetlength(res, i, 1))),
                           std::string(PQgetvalue(res, i, 2),
                                       static_cast<std::size_t>(PQgetlength(res, i, 2))),
                           std::atoi(PQgetvalue(res, i, 3)),
                           std::strtod(PQgetvalue(res, i, 4), nullptr)});
        PQclear(res);
        if (out.size() != rows) state.SkipWithError("wrong result");
        benchmark::DoNotOptimize(out.data());
        state.PauseTiming();
        out = {};
        state.ResumeTiming();
    }
    PQfinish(conn);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
}
} // namespace
#endif

void register_query_cases(std::vector<ratio_pair>& pairs) {
    // 10,000,000 rows (a 400 MB file, 1.5 GB of objects) only when asked for:
    // TABELLA_LOAD_BENCH_10M=1 scripts/bench.
    const bool ten_million = std::getenv("TABELLA_LOAD_BENCH_10M") != nullptr;
    for (auto* bm :
         {benchmark::RegisterBenchmark("BM_raw_step", bm_raw_step),
          benchmark::RegisterBenchmark("BM_session_query", bm_session_query, true),
          benchmark::RegisterBenchmark("BM_session_query_untracked", bm_session_query, false)}) {
        bm->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);
        if (ten_million) bm->Arg(10'000'000);
    }
    pairs.push_back({"BM_session_query", "BM_raw_step", "students"});
    pairs.push_back({"BM_session_query_untracked", "BM_raw_step", "students"});
#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
    for (auto* bm :
         {benchmark::RegisterBenchmark("BM_raw_libpq", bm_raw_libpq),
          benchmark::RegisterBenchmark("BM_session_query_pg", bm_session_query_postgres, true),
          benchmark::RegisterBenchmark("BM_session_query_pg_untracked", bm_session_query_postgres,
                                       false)})
        bm->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);
    pairs.push_back({"BM_session_query_pg", "BM_raw_libpq", "students"});
    pairs.push_back({"BM_session_query_pg_untracked", "BM_raw_libpq", "students"});
#endif
}

} // namespace tabella_load
