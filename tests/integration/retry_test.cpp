// run_transaction: the work is committed once, retried on conflicts with a fresh session,
// rethrown at once on any other error, and concurrent read-modify-writes end in a state
// that a serial order gives.
#include "../support/backend_traits.hpp"
#include "../support/orm_fixture.hpp"

#include <tabella/retry.hpp>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>

namespace tabella::testing {
namespace {

struct counter {
    BOOST_HANA_DEFINE_STRUCT(counter, (std::int64_t, id), (std::int64_t, value));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::counter> {
    static constexpr std::string_view name = "counters";
};

namespace tabella::testing {
namespace {

using models::student;

template <class B>
class retry : public orm_test<B> {
  protected:
    using traits = backend_traits<B>;

    void SetUp() override {
        orm_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<counter>(this->eng());
        create_all<counter>(this->eng());
        session s(this->eng());
        s.add(counter{.id = 1, .value = 0});
        s.commit();
    }
    void TearDown() override {
        if (this->engine_) drop_all<counter>(this->eng());
        orm_test<B>::TearDown();
    }
    std::int64_t stored_value() {
        return this->eng()
            .connect()
            .execute_sql("SELECT value FROM counters WHERE id = 1")
            .template scalar<std::int64_t>();
    }
};
using retry_backends = ::testing::Types<sqlite_file, sqlite_memory, postgres, mariadb>;
TYPED_TEST_SUITE(retry, retry_backends);

TYPED_TEST(retry, the_work_is_committed_once_and_its_result_returned) {
    int attempts = 0;
    const auto id = run_transaction(this->eng(), [&](session& s) {
        ++attempts;
        auto& bob = s.add(student{std::nullopt, "Bob", "Once", 30});
        s.flush();
        return *bob.id;
    });
    EXPECT_EQ(attempts, 1);
    const auto rows = this->rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.begin()->first, id);
}

TYPED_TEST(retry, another_error_is_rethrown_at_once_and_nothing_is_written) {
    int attempts = 0;
    EXPECT_THROW(run_transaction(this->eng(),
                                 [&](session& s) {
                                     ++attempts;
                                     s.add(student{std::nullopt, "Ann", "Never", 1});
                                     s.flush();
                                     throw std::runtime_error("the work changed its mind");
                                 }),
                 std::runtime_error);
    EXPECT_EQ(attempts, 1);
    EXPECT_TRUE(this->rows().empty());
}

TYPED_TEST(retry, conflicts_are_retried_and_failed_attempts_write_nothing) {
    int attempts = 0, retries = 0;
    run_transaction(
        this->eng(),
        [&](session& s) {
            ++attempts;
            s.add(student{std::nullopt, "try" + std::to_string(attempts), "Retry", attempts});
            s.flush(); // sent, then rolled back with its attempt
            if (attempts == 1) throw serialization_failure("conflict", "40001", 0, "");
            if (attempts == 2) throw deadlock_detected("deadlock", "40P01", 0, "");
        },
        {.max_attempts = 3,
         .first_backoff = std::chrono::milliseconds(1),
         .on_retry = [&](int, const transaction_rollback&) { ++retries; }});
    EXPECT_EQ(attempts, 3);
    EXPECT_EQ(retries, 2);
    const auto rows = this->rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(std::get<0>(rows.begin()->second), "try3");

    // Out of attempts: the last conflict is rethrown, and nothing is written.
    attempts = 0;
    EXPECT_THROW(
        run_transaction(this->eng(),
                        [&](session& s) {
                            ++attempts;
                            s.add(student{std::nullopt, "lost", "Retry", 0});
                            s.flush();
                            throw lock_timeout("busy", "55P03", 0, "");
                        },
                        {.max_attempts = 2, .first_backoff = std::chrono::milliseconds(1)}),
        lock_timeout);
    EXPECT_EQ(attempts, 2);
    EXPECT_EQ(this->rows().size(), 1u);
    EXPECT_THROW(run_transaction(this->eng(), [](session&) {}, {.max_attempts = 0}), usage_error);
}

TYPED_TEST(retry, concurrent_increments_end_as_a_serial_order_gives) {
    const std::string url = TestFixture::traits::serializable_url(this->url_);
    if (url.empty()) GTEST_SKIP() << "no serializable isolation configured for this backend";
    engine eng = url == this->url_ ? this->eng() : create_engine(url);
    constexpr int threads = 2, per_thread = 40;
    std::atomic<int> retries{0};
    std::vector<std::string> failures(threads);
    // Where transactions run side by side, the first increments of both threads read the
    // counter before either writes: a real conflict, which the database must report.
    std::latch both_read(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            try {
                for (int i = 0; i < per_thread; ++i) {
                    bool first = i == 0;
                    run_transaction(
                        eng,
                        [&](session& s) {
                            counter* c = s.get<counter>(1);
                            if (!c) throw std::logic_error("no counter row");
                            if (first && TestFixture::traits::conflicting_reads) {
                                first = false;
                                both_read.arrive_and_wait();
                            }
                            c->value += 1;
                        },
                        {.max_attempts = 100,
                         .on_retry = [&](int, const transaction_rollback&) { ++retries; }});
                }
            } catch (const std::exception& e) {
                failures[static_cast<std::size_t>(t)] = e.what();
            }
        });
    }
    for (auto& w : workers) w.join();
    for (const auto& f : failures) EXPECT_EQ(f, "");
    EXPECT_EQ(this->stored_value(), threads * per_thread); // no lost update
    if (TestFixture::traits::conflicting_reads) {
        EXPECT_GT(retries.load(), 0); // the conflict was real, and retried
    }
}

} // namespace
} // namespace tabella::testing
