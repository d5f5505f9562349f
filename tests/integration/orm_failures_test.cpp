// Failures the database decides (docs/session.md, "A failed flush", "Commit and
// rollback"): a transaction the database ended itself (a full disk), a COMMIT refused by a
// deferred constraint, lock contention with a concurrent writer. Nothing of the failed work
// may be committed, and the session's objects must agree with the database afterwards.
#include "../support/correctness_fixture.hpp"

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

namespace tabella::testing {
namespace {

using models::late_child;
using models::student;

template <class B>
class orm_failures : public correctness_test<B> {};
TYPED_TEST_SUITE(orm_failures, all_backends);

TYPED_TEST(orm_failures, nothing_of_a_transaction_the_database_ended_is_committed) {
    using traits = typename TestFixture::traits;
    if (!traits::can_fill_database) GTEST_SKIP() << "no way to fill this database from a test";
    for (const auto strategy : {insert_strategy::automatic, insert_strategy::row_by_row}) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        this->exec({"DELETE FROM students"});
        this->seed_students({101, 102});
        auto conn = this->eng().connect();
        traits::limit_growth(conn, 40); // about 160 KiB more: a chunk or two
        session s(conn, {.strategy = strategy});
        student* gone = s.get<student>(101);
        student* changed = s.get<student>(102);
        ASSERT_TRUE(gone && changed);
        s.remove(*gone);
        changed->lastname = "changed";
        s.flush(); // fits: the transaction holds a DELETE and an UPDATE

        auto batch = this->make_students(20000);
        for (auto& o : batch) o.lastname = std::string(200, 'x');
        auto objs = s.add_all(std::move(batch));
        EXPECT_THROW(s.flush(), sql_error); // full
        // SQLite decides whether a full disk ends the whole transaction (a multi-row
        // statement) or only the statement (one row at a time). Either way not one row of
        // the failed flush is there, not even of a replay after the transaction ended, and
        // nothing is committed.
        const bool transaction_survived = this->count_on(conn, "students") == 1;
        if (!transaction_survived) {
            EXPECT_EQ(this->count_on(conn, "students"), 2);
        }
        if (!transaction_survived || traits::reads_beside_a_writer) {
            EXPECT_EQ(this->count("students"), 2);
            EXPECT_EQ(this->student_rows().at(102), this->seeded(102));
        }
        EXPECT_EQ(s.pending_count(), 20000u);
        for (const auto& o : objs) ASSERT_FALSE(o.id.has_value());
        // The transaction survived: the session is as before the failed flush. It ended:
        // the session is back where it stood at the last commit, with the work to do.
        EXPECT_EQ(s.state_of(*gone),
                  transaction_survived ? object_state::deleted : object_state::persistent);
        EXPECT_EQ(changed->lastname, "changed");

        traits::lift_growth_limit(conn);
        s.commit(); // redoes the whole transaction
        EXPECT_EQ(this->count("students"), 20001);
        const auto rows = this->student_rows();
        EXPECT_FALSE(rows.contains(101));
        EXPECT_EQ(std::get<1>(rows.at(102)), "changed");
        this->expect_students_stored(objs);
    }
}

TYPED_TEST(orm_failures, a_failed_commit_follows_the_rollback_rule) {
    const std::string reference = TestFixture::traits::deferred_reference;
    if (reference.empty()) GTEST_SKIP() << "no constraint of this backend is checked at COMMIT";
    this->exec({std::string("CREATE TABLE late_children (id ") +
                TestFixture::traits::generated_key + ", student_id BIGINT NOT NULL " + reference +
                ", note TEXT NOT NULL)"});
    this->seed_students({101});
    session s(this->eng());
    student* a = s.get<student>(101);
    ASSERT_NE(a, nullptr);
    a->name = "changed with the orphan";
    late_child& orphan =
        s.add(late_child{.student_id = tabella::ref<student>(999999), .note = "orphan"});
    EXPECT_THROW(s.commit(), constraint_violation); // the deferred key is checked at COMMIT
    EXPECT_EQ(s.state_of(orphan), object_state::detached);
    EXPECT_FALSE(orphan.id.has_value());
    EXPECT_EQ(a->name, "name101"); // reloaded: what the row holds
    EXPECT_NO_THROW(s.rollback());
    EXPECT_EQ(this->count("late_children"), 0);
    EXPECT_EQ(this->student_rows().at(101), this->seeded(101));

    late_child& good = s.add(late_child{.student_id = *a, .note = "fine"});
    a->lastname = "second try";
    this->echo_lines_.clear();
    s.commit();
    EXPECT_EQ(this->echoed("UPDATE late_children"), 0u);
    ASSERT_TRUE(good.id.has_value());
    EXPECT_EQ(this->count("late_children"), 1);
    EXPECT_EQ(this->count("late_children", "student_id = 101 AND note = 'fine' AND id = " +
                                               std::to_string(*good.id)),
              1);
    EXPECT_EQ(this->student_rows().at(101),
              (typename TestFixture::student_row{"name101", "second try", 30}));
}

TYPED_TEST(orm_failures, a_callers_transaction_under_a_concurrent_writer_can_be_retried) {
    using traits = typename TestFixture::traits;
    std::vector<std::string> modes{"default journal"};
    if constexpr (traits::has_wal) modes.emplace_back("WAL");
    for (const auto& mode : modes) {
        SCOPED_TRACE(mode);
        if (mode == "WAL") {
            auto conn = this->other();
            traits::enable_wal(conn);
        }
        this->exec({"DELETE FROM students"});
        std::atomic<int> written{0};
        // Another connection commits inserts in a loop until the rounds are done, holding
        // its write lock 2 ms of every 5: the caller's transactions run into it.
        std::jthread writer([&, url = traits::independent_url(this->eng(), this->url_)](
                                const std::stop_token& stop) {
            auto conn = create_engine(url).connect();
            while (!stop.stop_requested()) {
                try {
                    auto tx = conn.begin_write();
                    conn.execute_sql(
                        "INSERT INTO students (name, lastname) VALUES ('w', 'writer')");
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    tx.commit();
                    ++written;
                } catch (const error&) { // the writer's own lock waits do not matter here
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(3));
            }
        });
        for (int i = 0; i < 5000 && written.load() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ASSERT_GT(written.load(), 0) << "the writer never got a row in";

        constexpr int rounds = 20, attempts = 50;
        int retries = 0;
        std::minstd_rand backoff(7); // retries wait a random while, as callers should
        for (int round = 0; round < rounds; ++round) {
            bool done = false;
            for (int attempt = 0; attempt < attempts && !done; ++attempt) {
                try {
                    auto conn = this->eng().connect();
                    auto tx = conn.begin(); // deferred on SQLite: a read lock first
                    (void)conn.execute_sql("SELECT count(*) FROM students")
                        .template scalar<std::int64_t>();
                    // A moment with only a read lock: the writer may commit in between.
                    std::this_thread::sleep_for(std::chrono::microseconds(500));
                    session s(conn);
                    s.add_all(std::vector<student>{
                        {.name = "round" + std::to_string(round), .lastname = "caller"},
                        {.name = "round" + std::to_string(round), .lastname = "caller"}});
                    s.commit();
                    tx.commit();
                    done = true;
                } catch (const transaction_rollback& e) { // lock_timeout, serialization_failure
                    ++retries;
                    if (e.native_code() == traits::busy_snapshot_code) {
                        EXPECT_NE(dynamic_cast<const serialization_failure*>(&e), nullptr)
                            << e.what();
                    }
                    std::this_thread::sleep_for(std::chrono::microseconds(backoff() % 4000));
                } catch (const std::exception& e) {
                    FAIL() << "round " << round << ": not a transaction_rollback: " << e.what();
                }
            }
            ASSERT_TRUE(done) << "round " << round << " failed " << attempts << " times";
        }
        writer.request_stop();
        writer.join();
        this->RecordProperty(mode == "WAL" ? "retries_wal" : "retries", retries);
        EXPECT_EQ(this->count("students", "lastname = 'caller'"), 2 * rounds)
            << retries << " retries";
    }
}

} // namespace
} // namespace tabella::testing
