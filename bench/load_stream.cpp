// Streaming (issue 13): students streamed into objects a batch at a time,
// query<student>().stream(n) and Core's connection::stream_sql, against the raw loop that
// reads each row into one reused struct: sqlite3_step on a SQLite file, and (with
// TABELLA_TEST_POSTGRES_DSN) libpq's single-row mode. Named BM_<what>/<rows>/<batch>; the
// raw loops ignore the batch.
#include "load_cases.hpp"
#include "load_student.hpp"

#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdlib>
#include <string>

#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
#include <libpq-fe.h>
#include <tabella/postgres.hpp>
#endif

namespace tabella_load {
namespace {

constexpr const char* select_students = "SELECT id, name, lastname, age, score FROM students";

/// What every loop does with a row: enough that none of it is optimized away.
struct tally {
    std::size_t rows = 0;
    std::int64_t sum = 0;
    void add(const student& s) {
        ++rows;
        sum += *s.id + s.age + static_cast<std::int64_t>(s.name.size() + s.lastname.size());
    }
    void check(benchmark::State& state, std::size_t expected) const {
        if (rows != expected) state.SkipWithError("wrong row count");
        benchmark::DoNotOptimize(sum);
    }
};

void finish(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

std::string sqlite_url(benchmark::State& state) {
    return "sqlite:///" + students_database(static_cast<std::size_t>(state.range(0)));
}

void bm_session_stream_on(benchmark::State& state, const std::string& url) {
    auto eng = tabella::create_engine(url);
    for (auto _ : state) {
        tabella::session s(eng);
        tally t;
        for (const student& st :
             s.query<student>().stream(static_cast<std::size_t>(state.range(1))))
            t.add(st);
        t.check(state, static_cast<std::size_t>(state.range(0)));
    }
    finish(state);
}

void bm_core_stream_on(benchmark::State& state, const std::string& url) {
    auto eng = tabella::create_engine(url);
    auto conn = eng.connect();
    for (auto _ : state) {
        tally t;
        student st;
        for (const tabella::row& r :
             conn.stream_sql(select_students, {}, static_cast<std::size_t>(state.range(1)))) {
            st.id = r.get<std::int64_t>(0);
            st.name = r.get<std::string>(1);
            st.lastname = r.get<std::string>(2);
            st.age = r.get<int>(3);
            st.score = r.get<double>(4);
            t.add(st);
        }
        t.check(state, static_cast<std::size_t>(state.range(0)));
    }
    finish(state);
}

void bm_session_stream(benchmark::State& state) {
    bm_session_stream_on(state, sqlite_url(state));
}
void bm_core_stream(benchmark::State& state) {
    bm_core_stream_on(state, sqlite_url(state));
}

// A careful C program: one prepared SELECT, each row read into the same struct, on a
// connection opened without its mutex (as tabella's are: one thread uses it), which saves
// a lock per sqlite3_column_* call in Debian's serialized build.
void bm_raw_step_stream(benchmark::State& state) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(students_database(static_cast<std::size_t>(state.range(0))).c_str(), &db,
                    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    auto text = [](sqlite3_stmt* stmt, int c, std::string& out) {
        out.assign(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
    };
    for (auto _ : state) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, select_students, -1, &stmt, nullptr);
        tally t;
        student st;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            st.id = sqlite3_column_int64(stmt, 0);
            text(stmt, 1, st.name);
            text(stmt, 2, st.lastname);
            st.age = sqlite3_column_int(stmt, 3);
            st.score = sqlite3_column_double(stmt, 4);
            t.add(st);
        }
        sqlite3_finalize(stmt);
        t.check(state, static_cast<std::size_t>(state.range(0)));
    }
    sqlite3_close_v2(db);
    finish(state);
}

#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
const std::string& pg_url(benchmark::State& state) {
    return postgres_database(static_cast<std::size_t>(state.range(0)));
}

void bm_session_stream_pg(benchmark::State& state) {
    if (pg_url(state).empty()) return state.SkipWithError("TABELLA_TEST_POSTGRES_DSN is not set");
    bm_session_stream_on(state, pg_url(state));
}

// libpq's single-row mode: the rows come one PGresult each, memory flat, as a careful C
// program streams them.
void bm_raw_libpq_stream(benchmark::State& state) {
    if (pg_url(state).empty()) return state.SkipWithError("TABELLA_TEST_POSTGRES_DSN is not set");
    PGconn* conn = PQconnectdb(pg_url(state).c_str());
    auto text = [](PGresult* res, int c, std::string& out) {
        out.assign(PQgetvalue(res, 0, c), static_cast<std::size_t>(PQgetlength(res, 0, c)));
    };
    for (auto _ : state) {
        PQsendQuery(conn, select_students);
        PQsetSingleRowMode(conn);
        tally t;
        student st;
        while (PGresult* res = PQgetResult(conn)) {
            if (PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
                st.id = std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10);
                text(res, 1, st.name);
                text(res, 2, st.lastname);
                st.age = std::atoi(PQgetvalue(res, 0, 3));
                st.score = std::strtod(PQgetvalue(res, 0, 4), nullptr);
                t.add(st);
            }
            PQclear(res);
        }
        t.check(state, static_cast<std::size_t>(state.range(0)));
    }
    PQfinish(conn);
    finish(state);
}
#endif

void sizes(benchmark::internal::Benchmark* bm) {
    bm->Args({100'000, 1000})
        ->Args({1'000'000, 1000})
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
}

} // namespace

void register_stream_cases(std::vector<ratio_pair>& pairs) {
    sizes(benchmark::RegisterBenchmark("BM_raw_step_stream", bm_raw_step_stream));
    sizes(benchmark::RegisterBenchmark("BM_session_stream", bm_session_stream));
    sizes(benchmark::RegisterBenchmark("BM_core_stream", bm_core_stream));
    pairs.push_back({"BM_session_stream", "BM_raw_step_stream", "students streamed"});
    pairs.push_back({"BM_core_stream", "BM_raw_step_stream", "students streamed"});
#ifdef TABELLA_LOAD_BENCH_WITH_POSTGRES
    sizes(benchmark::RegisterBenchmark("BM_raw_libpq_stream", bm_raw_libpq_stream));
    sizes(benchmark::RegisterBenchmark("BM_session_stream_pg", bm_session_stream_pg));
    pairs.push_back({"BM_session_stream_pg", "BM_raw_libpq_stream", "students streamed"});
#endif
}

} // namespace tabella_load
