// One engine shared by several threads, each with its own session, inserting at the same
// time: every row arrives and every key is unique and matched to its object.
#include "../support/orm_fixture.hpp"

#include <thread>

namespace tabella::testing {
namespace {

using models::student;

template <class B>
class concurrency : public orm_test<B> {};
using shared_backends = ::testing::Types<sqlite_file, sqlite_memory, postgres, mariadb>;
TYPED_TEST_SUITE(concurrency, shared_backends);

TYPED_TEST(concurrency, threads_with_their_own_sessions_insert_at_the_same_time) {
    constexpr int threads = 4, per_thread = 2000;
    std::vector<std::vector<student>> kept(threads);
    std::vector<std::string> failures(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            try {
                for (int round = 0; round < 4; ++round) { // several transactions each
                    session s(this->eng(), {.page_size = 100});
                    std::vector<student> batch;
                    for (int i = 0; i < per_thread / 4; ++i)
                        batch.push_back(
                            {std::nullopt,
                             "t" + std::to_string(t) + "-" + std::to_string(round * 1000 + i),
                             "thread", t});
                    auto objs = s.add_all(std::move(batch));
                    s.commit();
                    kept[t].insert(kept[t].end(), objs.begin(), objs.end());
                }
            } catch (const std::exception& e) {
                failures[t] = e.what();
            }
        });
    }
    for (auto& w : workers) w.join();
    for (const auto& f : failures) EXPECT_EQ(f, "");
    const auto rows = this->rows();
    EXPECT_EQ(rows.size(), static_cast<std::size_t>(threads * per_thread));
    std::set<std::int64_t> keys;
    for (const auto& objs : kept) {
        for (const auto& o : objs) {
            ASSERT_TRUE(o.id.has_value());
            EXPECT_TRUE(keys.insert(*o.id).second) << "key " << *o.id << " given twice";
            EXPECT_EQ(std::get<0>(rows.at(*o.id)), o.name);
        }
    }
}

TEST(connection_pool, connect_waits_for_a_free_connection_then_times_out_clearly) {
    const auto url = sqlite_file::url();
    engine_options impatient;
    impatient.max_connections = 1;
    impatient.pool_timeout = std::chrono::milliseconds(50);
    auto small = create_engine(url, impatient);
    auto held = small.connect();
    try {
        (void)small.connect();
        ADD_FAILURE() << "expected connection_error";
    } catch (const connection_error& e) {
        EXPECT_NE(std::string(e.what()).find("max_connections"), std::string::npos) << e.what();
    }

    engine_options patient = impatient;
    patient.pool_timeout = std::chrono::milliseconds(10000);
    auto eng = create_engine(url, patient);
    auto first = eng.connect();
    std::thread releaser([conn = std::move(first)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        auto released = std::move(conn);
    });
    auto second = eng.connect(); // waits until the releaser gives its connection back
    releaser.join();
    EXPECT_EQ(second.execute_sql("SELECT 1").scalar<int>(), 1);
}

} // namespace
} // namespace tabella::testing
