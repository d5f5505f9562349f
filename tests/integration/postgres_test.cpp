// What only the PostgreSQL driver can show: its value encoding, SQLSTATEs, connection
// failures and lost connections. The behaviour every driver shares is in core_*_test.cpp.
#include "../support/backends.hpp"

#include <tabella/detail/statement_runner.hpp>
#include <tabella/tabella.hpp>

#include <cmath>
#include <limits>

namespace tabella::testing {
namespace {

using namespace std::chrono;

class postgres_driver : public backend_test<postgres> {
  protected:
    void SetUp() override {
        backend_test<postgres>::SetUp();
        if (url_.empty()) return; // skipped, or failed under TABELLA_REQUIRE_POSTGRES=1
        engine_.emplace(make_engine(true));
    }
    tabella::engine& eng() { return *engine_; }

    /// The test database's URL with other user information and query options.
    std::string url_with(const std::string& userinfo, const std::string& query = {}) const {
        const auto u = parse_url(url_);
        return "postgresql://" + userinfo + "@" + u.host + ":" +
               std::to_string(u.port.value_or(5432)) + "/" + u.database +
               (query.empty() ? "" : "?" + query);
    }

    std::optional<tabella::engine> engine_;
};

std::string connect_error(const std::string& url) {
    try {
        (void)create_engine(url).connect();
    } catch (const connection_error& e) {
        return e.what();
    }
    ADD_FAILURE() << "connected to " << url;
    return {};
}

TEST_F(postgres_driver, nul_byte_in_text_is_a_conversion_error_before_anything_is_sent) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE notes (body TEXT)");
    auto tx = conn.begin();
    conn.execute_sql("INSERT INTO notes VALUES ($1)", {value("before")});
    EXPECT_THROW(
        conn.execute_sql("INSERT INTO notes VALUES ($1)", {value(std::string("ab\0cd", 5))}),
        conversion_error);
    // Had the statement reached the server, its error would have aborted the transaction.
    conn.execute_sql("INSERT INTO notes VALUES ($1)", {value("after")});
    tx.commit();
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM notes").scalar<int>(), 2);
}

TEST_F(postgres_driver, blobs_timestamps_booleans_reals_and_big_integers_round_trip) {
    using ct = column_type;
    metadata meta;
    const auto& t =
        meta.add_table("samples", {column("id", ct::integer).primary_key(), column("b", ct::blob),
                                   column("ts", ct::timestamp), column("f", ct::boolean),
                                   column("r", ct::real), column("n", ct::big_integer)});
    meta.create_all(eng());
    blob every_byte;
    for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<std::byte>(i));
    const std::vector<tabella::timestamp> times{
        tabella::timestamp{}, sys_days{2024y / February / 29} + 23h + 59min + 59s + 999999us,
        sys_days{1901y / December / 13} + 20h + 45min + 52s + 1us};
    const std::vector<double> reals{0.1,
                                    1.0 / 3,
                                    5e-324,
                                    std::numeric_limits<double>::max(),
                                    -0.0,
                                    123456789.123456789,
                                    -std::numeric_limits<double>::infinity()};
    const std::vector<std::int64_t> bigs{std::numeric_limits<std::int64_t>::max(),
                                         std::numeric_limits<std::int64_t>::min(), 0};
    std::vector<param_set> rows;
    for (std::size_t i = 0; i < reals.size(); ++i)
        rows.push_back({{"b", i == 0 ? every_byte : blob{}},
                        {"ts", times[i % times.size()]},
                        {"f", i % 2 == 0},
                        {"r", reals[i]},
                        {"n", bigs[i % bigs.size()]}});
    rows.push_back(
        {{"b", nullptr}, {"ts", nullptr}, {"f", nullptr}, {"r", nullptr}, {"n", nullptr}});
    auto conn = eng().connect();
    conn.execute(t.insert(), rows);
    conn.execute_sql("SET TimeZone = 'Asia/Kolkata'"); // +05:30 in the text PostgreSQL sends
    const auto back = conn.execute(t.select().order_by(t.c("id")));
    ASSERT_EQ(back.size(), rows.size());
    for (std::size_t i = 0; i < reals.size(); ++i) {
        EXPECT_EQ(back[i]["b"], value(i == 0 ? every_byte : blob{})) << i;
        EXPECT_EQ(back[i]["ts"], value(times[i % times.size()])) << i;
        EXPECT_EQ(back[i]["f"], value(i % 2 == 0)) << i;
        EXPECT_EQ(back[i]["r"], value(reals[i])) << i;
        EXPECT_EQ(std::signbit(back[i]["r"].as<double>()), std::signbit(reals[i])) << i;
        EXPECT_EQ(back[i]["n"], value(bigs[i % bigs.size()])) << i;
    }
    for (const char* name : {"b", "ts", "f", "r", "n"})
        EXPECT_TRUE(back[reals.size()][name].is_null());
    const auto nan = conn.execute_sql("SELECT $1::float8", {value(std::nan(""))}).scalar<double>();
    EXPECT_TRUE(std::isnan(nan));
}

TEST_F(postgres_driver, result_columns_are_decoded_by_their_type) {
    auto conn = eng().connect();
    const auto r = conn.execute_sql("SELECT 1::int2 AS a, 2::int4 AS b, 3::int8 AS c, 1.5::float4 "
                                    "AS d, 2.25::numeric AS e, "
                                    "true AS f, '\\x00ff'::bytea AS g, 'txt'::text AS h, NULL::int "
                                    "AS i, DATE '2024-01-02' AS j, "
                                    "'2024-01-02 03:04:05.5+02'::timestamptz AS k, '2024-01-02 "
                                    "03:04:05'::timestamp AS l, "
                                    "'0190a6e2-7c3b-7def-8123-456789abcdef'::uuid AS m")
                       .one();
    EXPECT_EQ(r["a"], value(1));
    EXPECT_EQ(r["b"], value(2));
    EXPECT_EQ(r["c"], value(3));
    EXPECT_EQ(r["d"], value(1.5));
    EXPECT_EQ(r["e"], value(2.25));
    EXPECT_EQ(r["f"], value(true));
    EXPECT_EQ(r["g"], value(blob{std::byte{0}, std::byte{0xff}}));
    EXPECT_EQ(r["h"], value("txt"));
    EXPECT_TRUE(r["i"].is_null());
    EXPECT_EQ(r["j"], value(2024y / January / 2));
    EXPECT_EQ(r["j"].as<std::string>(), "2024-01-02"); // as it read when dates were text
    EXPECT_EQ(r["m"], value(uuid::parse("0190a6e2-7c3b-7def-8123-456789abcdef")));
    EXPECT_EQ(r["m"].as<std::string>(), "0190a6e2-7c3b-7def-8123-456789abcdef");
    EXPECT_EQ(r["k"],
              value(tabella::timestamp{sys_days{2024y / January / 2} + 1h + 4min + 5s + 500ms}));
    EXPECT_EQ(r["l"], value(tabella::timestamp{sys_days{2024y / January / 2} + 3h + 4min + 5s}));
}

TEST_F(postgres_driver, years_1_to_9999_are_read_in_any_time_zone_and_the_rest_lazily_refused) {
    auto conn = eng().connect();
    const timestamp first = sys_days{1y / January / 1} + 0us;
    const timestamp last = sys_days{9999y / December / 31} + 23h + 59min + 59s + 999999us;
    // West of Greenwich the first microsecond is printed in 1 BC, with the local mean
    // time's offset in seconds ("0001-12-31 19:03:58-04:56:02 BC").
    for (const char* zone : {"UTC", "America/New_York", "Asia/Kolkata"}) {
        SCOPED_TRACE(zone);
        conn.execute_sql(std::string("SET TimeZone = '") + zone + "'");
        const auto r = conn.execute_sql("SELECT $1::timestamptz AS a, $2::timestamptz AS b, "
                                        "$3::date AS c, $4::date AS d",
                                        {value(first), value(last), value(1y / January / 1),
                                         value(9999y / December / 31)})
                           .one();
        EXPECT_EQ(r["a"], value(first));
        EXPECT_EQ(r["b"], value(last));
        EXPECT_EQ(r["c"], value(1y / January / 1));
        EXPECT_EQ(r["d"], value(9999y / December / 31));
    }
    conn.execute_sql("SET TimeZone = 'UTC'");
    // Values tabella cannot hold: the row is read; converting the cell throws, saying why.
    const auto r = conn.execute_sql("SELECT 1 AS id, 'infinity'::timestamptz AS a, "
                                    "'-infinity'::timestamp AS b, 'infinity'::date AS c, "
                                    "'0001-12-31 BC'::date AS d, '10000-01-01'::timestamptz AS e")
                       .one();
    EXPECT_EQ(r.get<std::int64_t>("id"), 1);
    for (const char* name : {"a", "b", "c", "d", "e"}) {
        SCOPED_TRACE(name);
        std::string message;
        try {
            if (std::string_view(name) == "c" || std::string_view(name) == "d")
                (void)r[name].as<year_month_day>();
            else
                (void)r[name].as<tabella::timestamp>();
        } catch (const conversion_error& e) {
            message = e.what();
        }
        EXPECT_NE(message.find("years 1 to 9999"), std::string::npos) << message;
        EXPECT_THROW((void)r[name].as<std::chrono::system_clock::time_point>(), conversion_error);
    }
    EXPECT_NE(r["a"].as<std::string>().find("infinity"), std::string::npos);
    // Sent out of range: refused before anything is sent, naming the parameter.
    try {
        (void)conn.execute_sql("SELECT $1::timestamptz", {value(first - 1us)});
        ADD_FAILURE() << "sent";
    } catch (const conversion_error& e) {
        EXPECT_NE(std::string(e.what()).find("parameter 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)conn.execute_sql("SELECT $1::date", {value(10000y / January / 1)}),
                 conversion_error);
}

TEST_F(postgres_driver, sqlstates_map_to_the_error_classes) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
    conn.execute_sql(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent, "
        "note TEXT NOT NULL, qty INTEGER CHECK (qty > 0))");
    conn.execute_sql("INSERT INTO parent VALUES (1)");
    const auto sqlstate_of = [&](const std::string& sql) -> std::string {
        try {
            conn.execute_sql(sql);
        } catch (const sql_error& e) {
            EXPECT_EQ(e.statement(), sql);
            EXPECT_NE(std::string(e.what()).find(sql), std::string::npos) << e.what();
            return e.sqlstate();
        }
        return "no error";
    };
    EXPECT_EQ(sqlstate_of("INSERT INTO parent VALUES (1)"), "23505");
    EXPECT_EQ(sqlstate_of("INSERT INTO child VALUES (1, 99, 'x', 1)"), "23503");
    EXPECT_EQ(sqlstate_of("INSERT INTO child VALUES (1, 1, NULL, 1)"), "23502");
    EXPECT_EQ(sqlstate_of("INSERT INTO child VALUES (1, 1, 'x', 0)"), "23514");
    EXPECT_EQ(sqlstate_of("SELEC 1"), "42601");
    EXPECT_THROW(conn.execute_sql("INSERT INTO parent VALUES (1)"), unique_violation);
    EXPECT_THROW(conn.execute_sql("INSERT INTO child VALUES (1, 99, 'x', 1)"),
                 foreign_key_violation);
    EXPECT_THROW(conn.execute_sql("INSERT INTO child VALUES (1, 1, NULL, 1)"), not_null_violation);
    EXPECT_THROW(conn.execute_sql("INSERT INTO child VALUES (1, 1, 'x', 0)"), check_violation);
    EXPECT_THROW(conn.execute_sql("SELECT 1/0"), sql_error);
}

TEST_F(postgres_driver, a_concurrent_update_under_repeatable_read_is_a_serialization_failure) {
    auto a = eng().connect();
    auto b = eng().connect();
    a.execute_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)");
    a.execute_sql("INSERT INTO counter VALUES (1, 0)");
    auto tx = a.begin();
    a.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    EXPECT_EQ(a.execute_sql("SELECT n FROM counter").scalar<int>(), 0);
    b.execute_sql("UPDATE counter SET n = n + 1");
    try {
        a.execute_sql("UPDATE counter SET n = n + 1");
        FAIL() << "expected serialization_failure";
    } catch (const serialization_failure& e) {
        EXPECT_EQ(e.sqlstate(), "40001");
    }
}

TEST_F(postgres_driver, unreachable_server_is_a_connection_error_without_the_password) {
    const auto u = parse_url(url_);
    const std::string closed_port = "postgresql://ann:s3cr3t-pw@" + u.host + ":1/db";
    auto msg = connect_error(closed_port);
    EXPECT_EQ(msg.find("s3cr3t-pw"), std::string::npos) << msg;
    EXPECT_NE(msg.find("postgresql://ann:***@" + u.host + ":1/db"), std::string::npos) << msg;
    msg = connect_error(closed_port + "?password=s3cr3t-pw");
    EXPECT_EQ(msg.find("s3cr3t-pw"), std::string::npos) << msg;
}

TEST_F(postgres_driver, wrong_user_is_a_connection_error_without_the_password) {
    const auto msg = connect_error(url_with("no_such_role_tabella:s3cr3t-pw"));
    EXPECT_EQ(msg.find("s3cr3t-pw"), std::string::npos) << msg;
    EXPECT_NE(msg.find("no_such_role_tabella"), std::string::npos) << msg;
    // libpq quotes bad option values back: the password is hidden there too.
    const auto echoed = connect_error(url_with("ann:s3cr3t-pw", "sslmode=s3cr3t-pw"));
    EXPECT_EQ(echoed.find("s3cr3t-pw"), std::string::npos) << echoed;
}

TEST_F(postgres_driver, url_values_with_quotes_and_spaces_reach_libpq_intact) {
    const auto u = parse_url(url_);
    // The test server trusts every local user: the password is only parsed, never checked.
    auto other =
        create_engine(url_with(u.user + ":it%27s%20a%20%5C%20pw",
                               "application_name=tabella%20'test'%20%5C&connect_timeout=5"));
    auto conn = other.connect();
    EXPECT_EQ(conn.execute_sql("SELECT current_setting('application_name')").scalar<std::string>(),
              "tabella 'test' \\");
}

TEST_F(postgres_driver, a_terminated_backend_is_a_connection_error_and_the_engine_reconnects) {
    auto victim = eng().connect();
    const auto pid = victim.execute_sql("SELECT pg_backend_pid()").scalar<std::int64_t>();
    {
        auto killer = create_engine(url_).connect();
        ASSERT_TRUE(killer.execute_sql("SELECT pg_terminate_backend($1, 10000)", {value(pid)})
                        .scalar<bool>());
    }
    EXPECT_THROW(victim.execute_sql("SELECT 1"), connection_error);
    EXPECT_FALSE(victim.is_usable());
    EXPECT_THROW(victim.execute_sql("SELECT 1"), connection_error); // no silent reconnect
    { auto returned = std::move(victim); }                          // the pool drops it
    auto fresh = eng().connect();
    EXPECT_NE(fresh.execute_sql("SELECT pg_backend_pid()").scalar<std::int64_t>(), pid);
    EXPECT_EQ(fresh.execute_sql("SELECT 1").scalar<int>(), 1);
}

TEST_F(postgres_driver, a_connection_lost_inside_a_transaction_fails_every_statement) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE t (x INTEGER)");
    const auto pid = conn.execute_sql("SELECT pg_backend_pid()").scalar<std::int64_t>();
    {
        auto tx = conn.begin();
        conn.execute_sql("INSERT INTO t VALUES (1)");
        create_engine(url_).connect().execute_sql("SELECT pg_terminate_backend($1, 10000)",
                                                  {value(pid)});
        EXPECT_THROW(conn.execute_sql("INSERT INTO t VALUES (2)"), connection_error);
        EXPECT_FALSE(conn.transaction_active()); // the server rolled it back
        EXPECT_THROW(tx.commit(), connection_error);
    }
    { auto returned = std::move(conn); }
    EXPECT_EQ(eng().connect().execute_sql("SELECT count(*) FROM t").scalar<int>(), 0);
}

TEST_F(postgres_driver, parameter_limit_is_65535_and_a_lower_limit_is_enforced) {
    auto conn = eng().connect();
    EXPECT_EQ(conn.parameter_limit(), 65535u);
    conn.execute_sql("CREATE TABLE wide (a INTEGER, b INTEGER, c INTEGER)");
    std::vector<param_set> rows;
    for (int i = 0; i < 30000; ++i) rows.push_back({{"a", i}, {"b", 1}, {"c", 2}});
    metadata meta;
    const auto& wide = meta.add_table("wide", {column("a", column_type::integer),
                                               column("b", column_type::integer),
                                               column("c", column_type::integer)});
    echo_lines_.clear();
    EXPECT_EQ(conn.execute(wide.insert().values(rows)).rowcount(), 30000);
    int inserts = 0;
    for (const auto& line : echo_lines_) inserts += line.starts_with("INSERT INTO") ? 1 : 0;
    EXPECT_EQ(inserts, 2); // 21845 rows (65535 parameters), then the rest

    conn.set_parameter_limit(3);
    EXPECT_THROW(conn.execute_sql("SELECT $1::int + $2 + $3 + $4", {1, 2, 3, 4}), usage_error);
    EXPECT_EQ(conn.execute_sql("SELECT $1::int + $2 + $3", {1, 2, 3}).scalar<int>(), 6);
    conn.set_parameter_limit(100000);
    EXPECT_EQ(conn.parameter_limit(), 65535u);
}

TEST_F(postgres_driver, keys_come_back_with_returning) {
    auto conn = eng().connect();
    const auto caps = detail::connection_access::driver(conn).capabilities();
    EXPECT_TRUE(caps.returning);
    EXPECT_TRUE(caps.reserves_keys);
    EXPECT_FALSE(caps.keeps_transaction_after_error);
    conn.execute_sql(
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x INTEGER)");
    EXPECT_EQ(conn.execute_sql("INSERT INTO t (x) VALUES ($1), ($2) RETURNING id", {5, 6}).size(),
              2u);
    EXPECT_EQ(conn.execute_sql("UPDATE t SET x = x + 1").rowcount(), 2);
}

TEST_F(postgres_driver, keys_are_reserved_from_the_key_sequence_when_there_is_one) {
    auto conn = eng().connect();
    conn.execute_sql(
        "CREATE TABLE \"Order\" (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)");
    conn.execute_sql("CREATE TABLE plain (id BIGINT PRIMARY KEY)");
    conn.execute_sql("CREATE TABLE fixed (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY)");
    auto tx = conn.begin();
    std::vector<std::int64_t> keys;
    auto& driver = detail::connection_access::driver(conn);
    ASSERT_TRUE(driver.reserve_keys("Order", "id", 3, 0, keys));
    ASSERT_TRUE(driver.reserve_keys("Order", "id", 2, 0, keys));
    EXPECT_EQ(keys, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    keys.clear();
    EXPECT_FALSE(driver.reserve_keys("plain", "id", 3, 0, keys));
    EXPECT_FALSE(driver.reserve_keys("fixed", "id", 3, 0, keys));
    EXPECT_TRUE(keys.empty());
    tx.commit();
    // The next generated key follows the reserved ones.
    EXPECT_EQ(conn.execute_sql("INSERT INTO \"Order\" DEFAULT VALUES RETURNING id").scalar<int>(),
              6);
}

TEST_F(postgres_driver, prepared_statements_are_deallocated_also_after_a_failed_transaction) {
    auto conn = eng().connect();
    conn.execute_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    metadata meta;
    const auto& t = meta.add_table("t", {column("id", column_type::integer).primary_key(false)});
    std::vector<param_set> rows;
    for (int i = 0; i < 20; ++i) rows.push_back({{"id", i == 15 ? 3 : i}});
    EXPECT_THROW(conn.execute(t.insert(), rows), unique_violation);
    rows[15] = {{"id", 15}};
    EXPECT_EQ(conn.execute(t.insert(), rows).rowcount(), 20);
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM pg_prepared_statements").scalar<int>(), 0);
}

} // namespace
} // namespace tabella::testing
