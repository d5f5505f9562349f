// SQLite faults: a full database, a locked file, read-only files. Each ends in a typed
// error with nothing lost or half-written.
#include "../support/orm_fixture.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>

namespace tabella::testing {
namespace {

using models::student;

class sqlite_faults : public ::testing::Test {
  protected:
    void SetUp() override {
        url_ = sqlite_file::url();
        path_ = parse_url(url_).database;
        auto eng = create_engine(url_);
        create_all<student>(eng);
    }
    std::int64_t count() {
        return create_engine(url_)
            .connect()
            .execute_sql("SELECT count(*) FROM students")
            .scalar<std::int64_t>();
    }
    static std::vector<student> students(std::size_t n) {
        std::vector<student> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back({std::nullopt, "name" + std::to_string(i), std::string(200, 'x'), 20});
        return out;
    }

    std::string url_;
    std::string path_;
};

TEST_F(sqlite_faults, database_full_mid_flush_rolls_back_and_restores_objects) {
    auto eng = create_engine(url_);
    auto conn = eng.connect();
    conn.execute_sql("PRAGMA max_page_count = 40"); // about 160 KiB: a few chunks fit
    session s(conn, {.page_size = 100});
    auto objs = s.add_all(students(5000));
    try {
        s.flush();
        FAIL() << "expected the database to be full";
    } catch (const sql_error& e) {
        EXPECT_EQ(e.sqlstate(), "53100") << e.what();
        EXPECT_NE(std::string(e.what()).find("full"), std::string::npos) << e.what();
    }
    EXPECT_EQ(count(), 0);
    EXPECT_EQ(s.pending_count(), 5000u);
    for (const auto& o : objs) ASSERT_FALSE(o.id.has_value());
    conn.execute_sql("PRAGMA max_page_count = 1000000");
    s.commit();
    EXPECT_EQ(count(), 5000);
}

TEST_F(sqlite_faults, a_full_database_after_an_earlier_flush_loses_both_and_says_so) {
    auto eng = create_engine(url_);
    auto conn = eng.connect();
    conn.execute_sql("PRAGMA max_page_count = 40");
    session s(conn, {.page_size = 100});
    auto first = s.add_all(students(10));
    s.flush(); // fits
    auto second = s.add_all(students(5000));
    EXPECT_THROW(s.flush(), sql_error);
    // SQLite rolled back the whole transaction: the first flush is gone too, and the
    // session agrees: every object is pending again, generated keys cleared.
    EXPECT_EQ(s.pending_count(), 5010u);
    for (const auto& o : first) EXPECT_FALSE(o.id.has_value());
    conn.execute_sql("PRAGMA max_page_count = 1000000");
    s.commit();
    EXPECT_EQ(count(), 5010);
}

TEST_F(sqlite_faults, a_locked_file_waits_for_the_busy_timeout_then_fails_clearly) {
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
    engine_options opts;
    opts.busy_timeout = std::chrono::milliseconds(300);
    auto eng = create_engine(url_, opts);
    session s(eng);
    auto objs = s.add_all(students(10));
    const auto start = std::chrono::steady_clock::now();
    try {
        s.flush();
        ADD_FAILURE() << "expected the lock to stop the flush";
    } catch (const sql_error& e) {
        EXPECT_EQ(e.sqlstate(), "55P03") << e.what();
        EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
    for (const auto& o : objs) EXPECT_FALSE(o.id.has_value());
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    s.commit(); // the lock is gone: the same objects go in
    EXPECT_EQ(count(), 10);
}

TEST_F(sqlite_faults, a_read_only_database_refuses_writes_with_a_typed_error) {
    {
        session s(create_engine(url_));
        s.add(student{std::nullopt, "kept", "row", 1});
        s.commit();
    }
    auto ro = create_engine(url_ + "?mode=ro");
    EXPECT_EQ(ro.connect().execute_sql("SELECT count(*) FROM students").scalar<int>(), 1);
    session s(ro);
    s.add(student{std::nullopt, "new", "row", 1});
    try {
        s.commit();
        FAIL() << "expected a read-only error";
    } catch (const sql_error& e) {
        EXPECT_EQ(e.sqlstate(), "25006") << e.what();
    }
    EXPECT_EQ(count(), 1);
}

TEST_F(sqlite_faults, a_read_only_file_by_permission) {
    if (::geteuid() == 0)
        GTEST_SKIP() << "root ignores file permissions; ?mode=ro is tested instead";
    std::filesystem::permissions(path_, std::filesystem::perms::owner_read);
    session s(create_engine(url_));
    s.add(student{std::nullopt, "new", "row", 1});
    EXPECT_THROW(s.commit(), error);
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
    EXPECT_EQ(count(), 0);
}

TEST_F(sqlite_faults, missing_directory_and_mode_rw_on_a_missing_file_are_connection_errors) {
    EXPECT_THROW((void)create_engine("sqlite:////no-such-dir-tabella/x.db").connect(),
                 connection_error);
    EXPECT_THROW((void)create_engine(url_ + ".missing?mode=rw").connect(), connection_error);
    EXPECT_FALSE(std::filesystem::exists(path_ + ".missing"));
}

TEST_F(sqlite_faults, constraint_violation_in_the_last_chunk_of_a_large_flush) {
    create_engine(url_).connect().execute_sql("CREATE UNIQUE INDEX u_name ON students (name)");
    session s(create_engine(url_), {.page_size = 1000});
    auto batch = students(20000);
    batch.back().name = batch.front().name;
    auto objs = s.add_all(std::move(batch));
    try {
        s.flush();
        FAIL() << "expected a unique_violation";
    } catch (const unique_violation& e) {
        EXPECT_NE(std::string(e.what()).find("object 20000 of 20000"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(count(), 0);
    for (const auto& o : objs) ASSERT_FALSE(o.id.has_value());
}

} // namespace
} // namespace tabella::testing
