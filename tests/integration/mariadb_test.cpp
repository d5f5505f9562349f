// What only the MariaDB driver can show: its typed errors for each mapped server error, its
// value decoding, a killed connection, a deadlock, and generated keys under
// innodb_autoinc_lock_mode=2 with many concurrent writers.
#include "../support/backends.hpp"

#include <tabella/detail/statement_runner.hpp>
#include <tabella/session.hpp>
#include <tabella/tabella.hpp>

#include <boost/hana/define_struct.hpp>

#include <chrono>
#include <thread>

namespace mariadb_models {
struct tagged {
    BOOST_HANA_DEFINE_STRUCT(tagged, (std::optional<std::int64_t>, id), (std::int64_t, writer),
                             (std::int64_t, seq), (std::string, label));
};
} // namespace mariadb_models
template <>
struct tabella::table_traits<mariadb_models::tagged> {
    static constexpr std::string_view name = "tagged";
};

namespace tabella::testing {
namespace {

class mariadb_driver : public backend_test<mariadb> {
  protected:
    void SetUp() override {
        backend_test<mariadb>::SetUp();
        if (url_.empty()) return; // skipped, or failed under TABELLA_REQUIRE_MARIADB=1
        engine_.emplace(make_engine());
    }
    tabella::engine& eng() { return *engine_; }

    /// Runs `sql` and returns the error it throws, which must be an E.
    template <class E>
    void expect_error(connection& conn, const std::string& sql, int native,
                      const std::string& sqlstate, const std::vector<value>& params = {}) {
        SCOPED_TRACE(sql);
        try {
            conn.execute_sql(sql, params);
            ADD_FAILURE() << "no error";
        } catch (const E& e) {
            EXPECT_EQ(e.native_code(), native) << e.what();
            EXPECT_EQ(e.sqlstate(), sqlstate) << e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "another error: " << e.what();
        }
    }

    std::optional<tabella::engine> engine_;
};

TEST_F(mariadb_driver, every_mapped_server_error_is_its_typed_class) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE parents (id BIGINT PRIMARY KEY, name VARCHAR(20) UNIQUE, "
                     "age BIGINT NOT NULL, CHECK (age >= 0))");
    conn.execute_sql("CREATE TABLE children (id BIGINT PRIMARY KEY, "
                     "parent BIGINT NOT NULL REFERENCES parents (id))");
    conn.execute_sql("INSERT INTO parents VALUES (?, ?, ?)", {1, "a", 30});
    conn.execute_sql("INSERT INTO children VALUES (?, ?)", {1, 1});
    const std::string insert = "INSERT INTO parents VALUES (?, ?, ?)";
    expect_error<unique_violation>(conn, insert, 1062, "23505", {2, "a", 30});
    expect_error<unique_violation>(conn, insert, 1062, "23505", {1, "b", 30});
    expect_error<foreign_key_violation>(conn, "INSERT INTO children VALUES (?, ?)", 1452, "23503",
                                        {2, 99});
    expect_error<foreign_key_violation>(conn, "DELETE FROM parents", 1451, "23503");
    expect_error<not_null_violation>(conn, insert, 1048, "23502", {3, "c", nullptr});
    expect_error<not_null_violation>(conn, "INSERT INTO parents (id, name) VALUES (?, ?)", 1364,
                                     "23502", {3, "c"});
    expect_error<check_violation>(conn, insert, 4025, "23514", {3, "c", -1});
    expect_error<syntax_error>(conn, "SELEC 1", 1064, "42601");
    expect_error<syntax_error>(conn, "SELECT * FROM missing", 1146, "42P01");
    expect_error<syntax_error>(conn, "SELECT missing FROM parents", 1054, "42703");
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM parents").scalar<std::int64_t>(), 1);
}

TEST_F(mariadb_driver, values_round_trip_with_the_kinds_the_orm_maps) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE v (i BIGINT, r DOUBLE, b BOOLEAN, t LONGTEXT, "
                     "x LONGBLOB, ts DATETIME(6), d DECIMAL(10, 2), n BIGINT UNSIGNED)");
    const blob bytes{std::byte{0}, std::byte{0xff}, std::byte{'\''}};
    const timestamp at =
        std::chrono::sys_days(std::chrono::year(2031) / 7 / 9) + std::chrono::microseconds(1);
    conn.execute_sql("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     {std::numeric_limits<std::int64_t>::min(), 0.1, true,
                      std::string("h\xc3\xa9 \xf0\x9f\x98\x80 ' \\"), bytes, at, 2.5, 7});
    conn.execute_sql("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     {nullptr, nullptr, false, "", blob{}, nullptr, nullptr,
                      std::numeric_limits<std::int64_t>::max()});
    const auto res = conn.execute_sql("SELECT * FROM v ORDER BY b DESC");
    const auto& rows = res.rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].get<std::int64_t>(0), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(rows[0].get<double>(1), 0.1);
    EXPECT_EQ(rows[0].get<bool>(2), true); // TINYINT(1): an integer 1
    EXPECT_EQ(rows[0].get<std::string>(3), "h\xc3\xa9 \xf0\x9f\x98\x80 ' \\");
    EXPECT_EQ(rows[0].get<blob>(4), bytes);
    EXPECT_EQ(rows[0].get<std::chrono::system_clock::time_point>(5), at);
    EXPECT_EQ(rows[0].get<double>(6), 2.5);
    EXPECT_EQ(rows[0].get<std::int64_t>(7), 7);
    EXPECT_TRUE(rows[1].get<std::optional<std::int64_t>>(0) == std::nullopt);
    EXPECT_EQ(rows[1].get<bool>(2), false);
    EXPECT_EQ(rows[1].get<std::string>(3), "");
    EXPECT_EQ(rows[1].get<blob>(4), blob{});
    EXPECT_TRUE(rows[1].get<std::optional<double>>(6) == std::nullopt);
    EXPECT_EQ(conn.execute_sql("SELECT sum(i) FROM v WHERE i < 0").scalar<std::int64_t>(),
              std::numeric_limits<std::int64_t>::min()); // an exact DECIMAL: an integer
    // Text columns compare byte by byte, trailing spaces included (utf8mb4_nopad_bin).
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM v WHERE t = ?", {" "}).scalar<std::int64_t>(),
              0);
}

TEST_F(mariadb_driver, years_1_to_9999_dates_and_uuids_and_zero_dates_read_lazily) {
    using namespace std::chrono;
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE tv (k INT, ts DATETIME(6), d DATE, u BINARY(16))");
    const timestamp first = sys_days{year(1) / 1 / 1} + microseconds(0);
    const timestamp last = sys_days{year(9999) / 12 / 31} + hours(23) + minutes(59) + seconds(59) +
                           microseconds(999999);
    const auto u = uuid::parse("0190a6e2-7c3b-7def-8123-456789abcdef");
    conn.execute_sql("INSERT INTO tv VALUES (1, ?, ?, ?), (2, ?, ?, NULL)",
                     {first, year(1) / 1 / 1, u, last, year(9999) / 12 / 31});
    const auto res = conn.execute_sql("SELECT ts, d, u, CAST(ts AS CHAR), CAST(d AS CHAR) FROM "
                                      "tv ORDER BY k");
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[0][0], value(first));
    EXPECT_EQ(res[0][1], value(year(1) / 1 / 1)); // DATE: a date, no longer a timestamp
    EXPECT_EQ(res[0].get<uuid>(2), u);            // BINARY(16): 16 bytes
    EXPECT_EQ(res[0].get<std::string>(3), "0001-01-01 00:00:00.000000");
    EXPECT_EQ(res[0].get<std::string>(4), "0001-01-01");
    EXPECT_EQ(res[1][0], value(last));
    EXPECT_EQ(res[1][1], value(year(9999) / 12 / 31));
    EXPECT_EQ(res[1].get<std::string>(3), "9999-12-31 23:59:59.999999");
    // Out of range: refused before it is sent, naming the parameter.
    try {
        conn.execute_sql("INSERT INTO tv (k, ts) VALUES (3, ?)", {first - microseconds(1)});
        ADD_FAILURE() << "sent";
    } catch (const conversion_error& e) {
        EXPECT_NE(std::string(e.what()).find("parameter 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(conn.execute_sql("INSERT INTO tv (k, d) VALUES (3, ?)", {year(10000) / 1 / 1}),
                 conversion_error);
    // A zero date (only a lax sql_mode stores one) is read; converting it throws.
    conn.execute_sql("SET SESSION sql_mode = ''");
    conn.execute_sql("INSERT INTO tv VALUES (4, '0000-00-00 00:00:00', '0000-00-00', NULL)");
    const auto zero = conn.execute_sql("SELECT k, ts, d FROM tv WHERE k = 4").one();
    EXPECT_EQ(zero.get<std::int64_t>(0), 4);
    EXPECT_THROW((void)zero.get<timestamp>(1), conversion_error);
    EXPECT_THROW((void)zero.get<year_month_day>(2), conversion_error);
    EXPECT_EQ(zero.get<std::string>(2), "0000-00-00");
}

TEST_F(mariadb_driver, urls_name_options_and_never_show_the_password) {
    const auto u = parse_url(url_);
    const std::string where = u.host + ":" + std::to_string(u.port.value_or(3306)) + "/";
    EXPECT_NO_THROW(
        (void)create_engine("mariadb://" + u.user + "@" + where + u.database).connect());
    try {
        (void)create_engine("mariadb://nobody:s3cret-pw@" + where + u.database).connect();
        ADD_FAILURE() << "connected without a valid user";
    } catch (const connection_error& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cret-pw"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)create_engine(url_ + "?sslmode=require").connect(), usage_error);
    EXPECT_THROW((void)create_engine("mysql://" + u.user + "@" + where + u.database), usage_error);
}

TEST_F(mariadb_driver, a_killed_connection_is_a_connection_error_and_unusable) {
    auto victim = eng().connect();
    auto tx = victim.begin();
    const auto id = victim.execute_sql("SELECT CONNECTION_ID()").scalar<std::int64_t>();
    create_engine(url_).connect().execute_sql("KILL CONNECTION " + std::to_string(id));
    EXPECT_THROW(victim.execute_sql("SELECT 1"), connection_error);
    EXPECT_FALSE(victim.is_usable());
    EXPECT_FALSE(victim.transaction_active());
    EXPECT_THROW(victim.execute_sql("SELECT 1"), connection_error); // lost for good
    EXPECT_NO_THROW(tx.rollback());                                 // sends nothing
    EXPECT_EQ(eng().connect().execute_sql("SELECT 1").scalar<std::int64_t>(), 1);
}

TEST_F(mariadb_driver, a_deadlock_is_deadlock_detected_and_ends_the_transaction) {
    {
        auto conn = eng().connect();
        conn.execute_sql("CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance BIGINT)");
        conn.execute_sql("INSERT INTO accounts VALUES (1, 0), (2, 0)");
    }
    auto a = eng().connect();
    auto b = eng().connect();
    auto ta = a.begin();
    auto tb = b.begin();
    const std::string update = "UPDATE accounts SET balance = balance + 1 WHERE id = ?";
    a.execute_sql(update, {1});
    b.execute_sql(update, {2});
    std::exception_ptr a_failed;
    std::thread waiter([&] {
        try {
            a.execute_sql(update, {2}); // waits for b
        } catch (...) {
            a_failed = std::current_exception();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::exception_ptr b_failed;
    try {
        b.execute_sql(update, {1}); // the cycle: InnoDB rolls one transaction back
    } catch (...) {
        b_failed = std::current_exception();
    }
    if (!b_failed) tb.rollback(); // b won: release a
    waiter.join();
    ASSERT_NE(!a_failed, !b_failed) << "exactly one transaction is the victim";
    connection& victim = a_failed ? a : b;
    try {
        std::rethrow_exception(a_failed ? a_failed : b_failed);
    } catch (const deadlock_detected& e) {
        EXPECT_EQ(e.native_code(), 1213);
        EXPECT_EQ(e.sqlstate(), "40P01");
    }
    EXPECT_TRUE(victim.is_usable());
    EXPECT_FALSE(victim.transaction_active());
    EXPECT_THROW(victim.execute_sql("SELECT 1"), transaction_rollback); // nothing more sent
    (a_failed ? ta : tb).rollback();
    EXPECT_TRUE(victim.transaction_active() || !victim.in_transaction());
    EXPECT_EQ(victim.execute_sql("SELECT count(*) FROM accounts").scalar<std::int64_t>(), 2);
}

TEST_F(mariadb_driver, a_failed_statement_keeps_the_transaction) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE k (id BIGINT PRIMARY KEY)");
    auto tx = conn.begin();
    conn.execute_sql("INSERT INTO k VALUES (?)", {1});
    EXPECT_THROW(conn.execute_sql("INSERT INTO k VALUES (?)", {1}), unique_violation);
    EXPECT_TRUE(
        detail::connection_access::driver(conn).capabilities().keeps_transaction_after_error);
    EXPECT_TRUE(conn.transaction_active());
    conn.execute_sql("INSERT INTO k VALUES (?)", {2});
    tx.commit();
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM k").scalar<std::int64_t>(), 2);
}

// Under innodb_autoinc_lock_mode=2 the keys of concurrent inserts interleave: every key
// must still reach its own object. Each object's row is read back by its key and must hold
// that object's values.
TEST_F(mariadb_driver, generated_keys_reach_their_objects_under_concurrent_writers) {
    EXPECT_EQ(eng().connect().execute_sql("SELECT @@innodb_autoinc_lock_mode").scalar<int>(), 2)
        << "start the server with scripts/mariadb";
    create_all<mariadb_models::tagged>(eng());
    constexpr int writers = 4, objects = 3000;
    std::vector<std::vector<mariadb_models::tagged>> made(writers);
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            try {
                session s(eng(), {.page_size = 250});
                std::vector<mariadb_models::tagged> batch;
                for (int i = 0; i < objects; ++i)
                    batch.push_back({.writer = w, .seq = i, .label = "w" + std::to_string(w)});
                auto span = s.add_all(std::move(batch));
                for (int attempt = 0;; ++attempt) {
                    try {
                        s.commit();
                        break;
                    } catch (const transaction_rollback&) { // a deadlock: the commit is redone
                        if (attempt == 20) throw;
                    }
                }
                made[w].assign(span.begin(), span.end());
            } catch (const std::exception& e) { // gtest records it; no terminate
                ADD_FAILURE() << "writer " << w << ": " << e.what();
            }
        });
    for (auto& t : threads) t.join();
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> rows;
    auto conn = eng().connect();
    for (const auto& r : conn.execute_sql("SELECT id, writer, seq FROM tagged"))
        rows[r.get<std::int64_t>(0)] = {r.get<std::int64_t>(1), r.get<std::int64_t>(2)};
    ASSERT_EQ(rows.size(), std::size_t{writers * objects});
    int switches = 0; // keys in order whose writers differ: the writers' keys interleave
    for (auto it = rows.begin(); std::next(it) != rows.end(); ++it)
        switches += it->second.first != std::next(it)->second.first;
    EXPECT_GT(switches, writers) << "the writers never ran at the same time";
    for (const auto& batch : made)
        for (const auto& o : batch) {
            ASSERT_TRUE(o.id.has_value());
            ASSERT_EQ(rows.at(*o.id), std::make_pair(o.writer, o.seq)) << "key " << *o.id;
        }
}

// Evidence for a batched flush: a multi-row INSERT ... RETURNING returns its rows in
// VALUES order, with explicit keys out of order (descending) and generated keys among them,
// while other connections insert into the same table.
TEST_F(mariadb_driver, returning_rows_come_in_values_order_under_concurrent_writers) {
    eng().connect().execute_sql("CREATE TABLE ordered (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                                "label VARCHAR(40) NOT NULL)");
    constexpr int writers = 4, statements = 100, rows = 100;
    std::atomic<int> wrong{0}, deadlocks{0};
    // Explicit keys below every generated one: under innodb_autoinc_lock_mode=2 an explicit
    // key above the counter can collide with a concurrent statement's generated keys
    // (observed: "Duplicate entry" on PRIMARY), which is not what this test is about.
    std::atomic<std::int64_t> explicit_key{-1};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            try {
                auto conn = eng().connect();
                std::string sql = "INSERT INTO ordered (id, label) VALUES (?, ?)";
                for (int r = 1; r < rows; ++r) sql += ", (?, ?)";
                sql += " RETURNING id, label";
                for (int st = 0; st < statements; ++st) {
                    std::vector<value> params;
                    for (int r = 0; r < rows; ++r) {
                        // Every third row brings a key, counting down: not the insertion order.
                        if (r % 3 == 0)
                            params.emplace_back(explicit_key.fetch_sub(1));
                        else
                            params.emplace_back(nullptr);
                        params.emplace_back("w" + std::to_string(w) + "-" + std::to_string(r));
                    }
                    std::optional<result> res;
                    while (!res) {
                        try {
                            res = conn.execute_sql(sql, params);
                        } catch (const deadlock_detected&) {
                            // Explicit keys interleave in the index: InnoDB's gap locks can
                            // deadlock; the statement is retried, as callers do.
                            ++deadlocks;
                        }
                    }
                    const auto& back = res->rows();
                    for (int r = 0; r < rows; ++r)
                        if (back.size() != rows ||
                            back[r].get<std::string>(1) != params[2 * r + 1].as<std::string>() ||
                            (r % 3 == 0 &&
                             back[r].get<std::int64_t>(0) != params[2 * r].as<std::int64_t>()))
                            ++wrong;
                }
            } catch (const std::exception& e) { // gtest records it; no terminate
                ADD_FAILURE() << "writer " << w << ": " << e.what();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0) << deadlocks.load() << " deadlocks retried";
    RecordProperty("deadlocks", deadlocks.load());
    EXPECT_EQ(eng().connect().execute_sql("SELECT count(*) FROM ordered").scalar<std::int64_t>(),
              writers * statements * rows);
}

} // namespace
} // namespace tabella::testing
