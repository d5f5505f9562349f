// PostgreSQL connection loss at every statement boundary of a commit: a session on its own
// engine (application_name=<unique>) commits one transaction (300 inserts in chunks of 40,
// updates and removes of persistent objects, see sweep_workload.hpp), and when the kth
// statement it sends is about to go out (seen by the engine's echo sink: every SQL line,
// BEGIN / SAVEPOINT / RELEASE / COMMIT included, parameter lines left out), its backend is
// terminated from a second, independent libpq connection, which waits until the backend
// is gone from pg_stat_activity. k = 1, 2, 3... until the commit succeeds untouched.
// Variants: insert_strategy automatic (COPY) or reserve_keys (multi-row INSERT); one
// commit(), or flush(), more work, commit().
//
// After every attempt the independent connection checks that the table holds all of the
// transaction or none of it, the session must agree with docs/session.md (a
// connection_error; after a lost flush the work is still to do, after a lost COMMIT the
// rollback rule), and a fresh commit() (the session reconnects by itself) must store what
// the contract says is still to do.
#include "../support/backends.hpp"
#include "../support/sweep_checks.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace tabella::testing {
namespace {

using namespace sweep;

/// A libpq connection of the test's own: independent of tabella and of the session.
class pg_admin {
  public:
    explicit pg_admin(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK)
            throw std::runtime_error(std::string("libpq: cannot connect: ") +
                                     PQerrorMessage(conn_));
        // Bounded: nothing the test runs may wait for long.
        exec("SET statement_timeout = '10s'");
    }
    pg_admin(const pg_admin&) = delete;
    pg_admin& operator=(const pg_admin&) = delete;
    ~pg_admin() { PQfinish(conn_); }

    using result = std::unique_ptr<PGresult, void (*)(PGresult*)>;

    result exec(const std::string& sql, const std::vector<std::string>& params = {}) {
        std::vector<const char*> values;
        for (const auto& p : params) values.push_back(p.c_str());
        result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 PQclear);
        const auto status = PQresultStatus(r.get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            throw std::runtime_error("libpq: " + sql + ": " + PQerrorMessage(conn_));
        return r;
    }

    rows_t rows() {
        const auto r = exec("SELECT id, name, lastname, age FROM students");
        rows_t out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out[std::stoll(PQgetvalue(r.get(), i, 0))] = {
                PQgetvalue(r.get(), i, 1), PQgetvalue(r.get(), i, 2),
                PQgetisnull(r.get(), i, 3)
                    ? std::nullopt
                    : std::optional<int>(std::stoi(PQgetvalue(r.get(), i, 3)))};
        return out;
    }

    /// Terminates every backend named `app` and waits (at most 5 s) until none is left
    /// in pg_stat_activity. Returns how many were terminated.
    int terminate(const std::string& app) {
        const auto r = exec("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM "
                            "pg_stat_activity WHERE application_name = $1",
                            {app});
        const int killed = std::stoi(PQgetvalue(r.get(), 0, 0));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::stoi(PQgetvalue(exec("SELECT count(*) FROM pg_stat_activity WHERE "
                                         "application_name = $1",
                                         {app})
                                        .get(),
                                    0, 0)) != 0) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("backend " + app + " still there 5 s after termination");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return killed;
    }

  private:
    PGconn* conn_;
};

/// The echo sink's state: counts the statements sent, and terminates the session's
/// backend when the `kill_at`th of them is about to be sent.
struct statement_killer {
    pg_admin* admin = nullptr;
    std::string app;
    std::vector<std::string> echo;
    int kill_at = 0; // 0: never
    int seen = 0;
    int killed = 0; // backends terminated
    std::string killed_before;
    std::string trouble; // the sink cannot throw through the library: kept for the test

    void arm(int k) {
        kill_at = k;
        seen = 0;
        killed = 0;
        killed_before.clear();
    }
    void on_line(std::string_view line) {
        echo.emplace_back(line);
        if (kill_at == 0 || line.starts_with("(") || line.starts_with("[")) return;
        if (++seen != kill_at) return;
        killed_before = line;
        try {
            killed = admin->terminate(app);
        } catch (const std::exception& e) {
            trouble = e.what();
        }
    }
};

struct sweep_param {
    insert_strategy strategy;
    bool split; // the transaction is flush(), more work, commit()
};

std::string name_of(const sweep_param& p) {
    return std::string(p.split ? "two_flushes_" : "one_commit_") +
           (p.strategy == insert_strategy::automatic ? "automatic" : "reserve_keys");
}
std::string param_name(const ::testing::TestParamInfo<sweep_param>& info) {
    return name_of(info.param);
}
// Test names (and ctest's names) show this, not the bytes of the struct.
void PrintTo(const sweep_param& p, std::ostream* os) {
    *os << name_of(p);
}

class postgres_fault_sweep : public ::testing::TestWithParam<sweep_param> {
  protected:
    static constexpr int max_points = 500; // bounded, whatever happens
    static constexpr int baseline_rows = 100;

    void SetUp() override {
        url_ = postgres::url();
        if (url_.empty()) GTEST_SKIP() << "postgres: no database configured";
        admin_ = std::make_unique<pg_admin>(url_);
        auto eng = create_engine(url_); // a schema of its own (backends.cpp): no table yet
        create_all<student>(eng);
    }
    void TearDown() override {
        if (url_.empty()) return;
        try {
            auto eng = create_engine(url_);
            drop_all<student>(eng);
        } catch (const std::exception&) {
        }
    }

    /// The table every attempt starts from: 100 committed students, long last names.
    void reset_table() {
        admin_->exec("TRUNCATE students RESTART IDENTITY");
        admin_->exec("INSERT INTO students (name, lastname, age) SELECT 'base' || i, "
                     "repeat(chr(97 + i % 26), 900) || i, CASE WHEN i % 7 = 0 THEN NULL ELSE "
                     "i % 90 END FROM generate_series(0, " +
                     std::to_string(baseline_rows - 1) + ") AS i");
    }

    enum class result { next, done, aborted };

    result attempt(int k, findings& f, tally& t) {
        const auto& p = GetParam();
        try {
            reset_table();
        } catch (const std::exception& e) {
            f.fail("the table can be reset", k, e.what());
            return result::aborted;
        }
        static int counter = 0;
        statement_killer killer;
        killer.admin = admin_.get();
        killer.app =
            "tabella_sweep_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        engine_options opts;
        opts.echo = true;
        opts.echo_sink = [&killer](std::string_view line) { killer.on_line(line); };
        auto eng = create_engine(url_ + "&application_name=" + killer.app, std::move(opts));
        session s(eng, {.strategy = p.strategy, .page_size = 40});

        std::optional<workload> w;
        try {
            auto persistent = workload::persistent_objects(s, baseline_rows);
            w.emplace(s, std::move(persistent), admin_->rows(), p.split);
        } catch (const std::exception& e) {
            f.fail("the workload can be set up without faults", k, describe(e));
            return result::aborted;
        }

        const std::size_t mark = killer.echo.size();
        killer.arm(k);
        const outcome o = run_transaction(s, *w, p.split, killer.echo);
        killer.kill_at = 0; // everything below runs without faults
        const bool fired = !killer.killed_before.empty();
        const std::string sent = statements_since(killer.echo, mark);

        if (!killer.trouble.empty()) {
            f.fail("the backend can be terminated (a test problem, not the library's)", k,
                   killer.trouble);
            return result::aborted;
        }
        f.expect(!fired || killer.killed > 0,
                 "the session has a backend to terminate when it sends a statement", k,
                 [&] { return "nothing named " + killer.app + " before " + killer.killed_before; });
        f.expect(!o.threw || fired, "commit() fails only when its backend was terminated", k,
                 [&] { return o.error + statements_since(killer.echo, mark); });
        if (o.threw)
            f.expect(o.error.starts_with("tabella::connection_error"),
                     "a lost connection is a tabella::connection_error", k,
                     [&] { return o.error + " (terminated before " + killer.killed_before + ")"; });
        // A terminated backend takes its transaction along: never open after a failure.
        auto read_rows = [this] { return admin_->rows(); };
        verify_attempt(s, *w, o, fired, read_rows, false, killer.echo, mark, f, t, k, true);
        if (o.threw || fired) return result::next;
        untouched_statements_ = sent;
        return result::done;
    }

    std::string url_;
    std::unique_ptr<pg_admin> admin_;
    std::string untouched_statements_; // what the commit sends when nothing fails
};

TEST_P(postgres_fault_sweep, a_lost_connection_at_every_statement_leaves_all_or_nothing) {
    findings f("PostgreSQL " + name_of(GetParam()));
    tally t;
    const auto start = std::chrono::steady_clock::now();
    int k = 1;
    result r = result::next;
    for (; k <= max_points && r == result::next; ++k) r = attempt(k, f, t);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::cout << "[ sweep    ] " << name_of(GetParam()) << ": k = 1.." << k - 1 << ", " << t.str()
              << ", " << ms << " ms, statements of the commit:" << untouched_statements_ << "\n";
    f.report("k");
    ASSERT_TRUE(r != result::next)
        << "the sweep did not end within " << max_points << " statements";
    EXPECT_GT(k - 1, 5) << "the commit sent too few statements for a meaningful sweep";
}

INSTANTIATE_TEST_SUITE_P(faults, postgres_fault_sweep,
                         ::testing::Values(sweep_param{insert_strategy::automatic, false},
                                           sweep_param{insert_strategy::reserve_keys, false},
                                           sweep_param{insert_strategy::automatic, true},
                                           sweep_param{insert_strategy::reserve_keys, true}),
                         param_name);

} // namespace
} // namespace tabella::testing
