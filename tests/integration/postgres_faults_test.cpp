// PostgreSQL faults during ORM work: a backend terminated mid-flush, the server stopped
// between two flushes, a statement timeout. Each ends in a typed error with nothing from
// the failed flush committed and every object as before. (Run serially: one test stops
// the shared server.)
#include "../support/orm_fixture.hpp"

#include <atomic>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace tabella::testing {
namespace {

using models::student;

class postgres_faults : public orm_test<postgres> {
  protected:
    std::int64_t count_rows() {
        return eng().connect().execute_sql("SELECT count(*) FROM students").scalar<std::int64_t>();
    }
    static void expect_untouched(std::span<const student> objs) {
        for (const auto& o : objs) ASSERT_FALSE(o.id.has_value());
    }
    /// Runs a server program (pg_ctl) as the server's owner; false when this run did not
    /// start the server itself (a developer's own server is never stopped).
    static bool server_ctl(const std::string& action) {
        const char* dir = std::getenv("TABELLA_PG_DIR");
        const char* bin = std::getenv("TABELLA_PG_BIN");
        if (!dir || !bin) return false;
        const std::string owner = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
        const std::string cmd = owner + bin + "/pg_ctl -D " + dir + "/data -l " + dir +
                                "/server.log -w -t 60 -m fast " + action + " >/dev/null";
        return std::system(cmd.c_str()) == 0;
    }
};

TEST_F(postgres_faults, a_backend_terminated_mid_flush_is_a_connection_error_and_loses_nothing) {
    const std::string name = "tabella-victim-" + std::to_string(::getpid());
    auto victim_engine = create_engine(url_ + "&application_name=" + name);
    session s(victim_engine, {.page_size = 500});
    auto objs = s.add_all(make_students(200000));
    std::atomic<bool> done{false};
    std::atomic<int> terminated{0};
    std::thread killer([&] {
        auto conn = eng().connect();
        // Bounded: at most 20 s of polling, every 5 ms, for the flush's backend at work.
        for (int i = 0; i < 4000 && !done && terminated == 0; ++i) {
            terminated =
                conn.execute_sql("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM "
                                 "pg_stat_activity WHERE application_name = $1 AND "
                                 "(query LIKE 'INSERT%' OR query LIKE 'COPY%')) AS t",
                                 {name})
                    .scalar<int>();
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    bool lost = false;
    try {
        s.flush();
    } catch (const connection_error& e) {
        lost = true;
        EXPECT_NE(std::string(e.what()).find("lost"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected connection_error, got: " << e.what();
    }
    done = true;
    killer.join();
    ASSERT_TRUE(lost) << "the flush finished before its backend could be terminated";
    EXPECT_EQ(count_rows(), 0);
    EXPECT_EQ(s.pending_count(), objs.size());
    expect_untouched(objs);
    session fresh(victim_engine); // the engine hands out a new, working connection
    fresh.add(student{std::nullopt, "after", "loss", 1});
    fresh.commit();
    EXPECT_EQ(count_rows(), 1);
    s.commit(); // and the failed session itself recovers with a new connection
    EXPECT_EQ(count_rows(), 200001);
}

TEST_F(postgres_faults, the_server_stopped_between_two_flushes_fails_clearly_then_works_again) {
    session s(eng());
    s.add_all(make_students(10));
    s.commit();
    if (!server_ctl("stop")) GTEST_SKIP() << "not a throwaway server of this run (TABELLA_PG_DIR)";
    auto second = s.add_all(make_students(10, 100));
    EXPECT_THROW(s.flush(), connection_error);
    expect_untouched(second);
    EXPECT_THROW((void)eng().connect(), connection_error);
    ASSERT_TRUE(server_ctl("start"));
    s.commit();
    EXPECT_EQ(count_rows(), 20);
}

TEST_F(postgres_faults, a_statement_timeout_fails_the_flush_and_loses_nothing) {
    auto conn = eng().connect();
    conn.execute_sql(
        "CREATE FUNCTION slow_insert() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.05); "
        "RETURN NEW; END $$ LANGUAGE plpgsql");
    conn.execute_sql("CREATE TRIGGER slow BEFORE INSERT ON students FOR EACH ROW EXECUTE FUNCTION "
                     "slow_insert()");
    conn.execute_sql("SET statement_timeout = 100");
    session s(conn, {.page_size = 50});
    // Keys set by the application: rows go out 50 to a statement (keys of a table with a
    // trigger are never reserved), and 50 rows of the slow trigger outlast the timeout.
    auto batch = make_students(200);
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].id = static_cast<std::int64_t>(i + 1);
    auto objs = s.add_all(std::move(batch));
    try {
        s.flush();
        FAIL() << "expected the statement timeout";
    } catch (const sql_error& e) {
        EXPECT_EQ(e.sqlstate(), "57014") << e.what();
    }
    for (std::size_t i = 0; i < objs.size(); ++i)
        EXPECT_EQ(s.state_of(objs[i]), object_state::pending);
    conn.execute_sql("SET statement_timeout = 0");
    conn.execute_sql("DROP TRIGGER slow ON students");
    s.commit();
    EXPECT_EQ(count_rows(), 200);
}

} // namespace
} // namespace tabella::testing
