// URL parsing: every supported form, decoding, options, and errors that hide passwords.
#include <tabella/engine.hpp>
#include <tabella/error.hpp>
#include <tabella/mariadb.hpp>
#include <tabella/postgres.hpp>
#include <tabella/sqlite.hpp>
#include <tabella/url.hpp>

#include <gtest/gtest.h>

namespace tabella {
namespace {

// A driver's URL rules (aliases, options, in-memory) apply once it is registered;
// create_engine registers the drivers a program links, here called by hand.
class registered_drivers : public ::testing::Environment {
  public:
    void SetUp() override {
        sqlite::register_driver();
        postgres::register_driver();
        mariadb::register_driver();
    }
};
[[maybe_unused]] const auto* const drivers =
    ::testing::AddGlobalTestEnvironment(new registered_drivers);

TEST(url, a_scheme_without_a_linked_driver_parses_and_cannot_be_opened) {
    EXPECT_EQ(parse_url("oracle://u:pw1@h/db").scheme, "oracle");
    EXPECT_FALSE(parse_url("oracle://h/db").is_memory());
    try {
        (void)create_engine("oracle://u:pw1@h/db");
        ADD_FAILURE() << "opened a URL no driver serves";
    } catch (const usage_error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.find("pw1"), std::string::npos) << msg;
        EXPECT_NE(msg.find("no driver for 'oracle'"), std::string::npos) << msg;
    }
}

TEST(url, sqlite_relative_absolute_and_memory) {
    EXPECT_EQ(parse_url("sqlite:///college.db").database, "college.db");
    EXPECT_EQ(parse_url("sqlite:///data/college.db").database, "data/college.db");
    EXPECT_EQ(parse_url("sqlite:////var/lib/college.db").database, "/var/lib/college.db");
    EXPECT_TRUE(parse_url("sqlite://").is_memory());
    EXPECT_TRUE(parse_url("sqlite:///:memory:").is_memory());
    EXPECT_FALSE(parse_url("sqlite:///x.db").is_memory());
}

TEST(url, mariadb_parts) {
    const url u = parse_url("mariadb://scott:tiger@db.example:3307/college?socket=%2Ftmp%2Fs");
    EXPECT_EQ(u.scheme, "mariadb");
    EXPECT_EQ(u.user, "scott");
    EXPECT_EQ(u.password, "tiger");
    EXPECT_EQ(u.port, 3307);
    EXPECT_EQ(u.database, "college");
    EXPECT_EQ(u.query.at("socket"), "/tmp/s");
    EXPECT_EQ(parse_url("mariadb+connector://h/db").scheme, "mariadb");
    EXPECT_EQ(u.masked(), "mariadb://scott:***@db.example:3307/college?socket=/tmp/s");
    EXPECT_THROW((void)parse_url("mariadb://h/db/x"), usage_error);
}

TEST(url, postgresql_parts) {
    const url u = parse_url("postgresql://scott:tiger@db.example:5433/college?sslmode=disable");
    EXPECT_EQ(u.scheme, "postgresql");
    EXPECT_EQ(u.user, "scott");
    EXPECT_EQ(u.password, "tiger");
    EXPECT_EQ(u.host, "db.example");
    EXPECT_EQ(u.port, 5433);
    EXPECT_EQ(u.database, "college");
    EXPECT_EQ(u.query.at("sslmode"), "disable");
    EXPECT_EQ(parse_url("postgres://h/db").scheme, "postgresql");
    EXPECT_EQ(parse_url("postgresql+pqxx://h/db").scheme, "postgresql");
    EXPECT_FALSE(parse_url("postgresql://h/db").port.has_value());
}

TEST(url, percent_decoding_in_user_password_and_options) {
    const url u =
        parse_url("postgresql://us%40er:p%3As%2Fs%40w@[::1]:5432/db?application_name=a%20b");
    EXPECT_EQ(u.user, "us@er");
    EXPECT_EQ(u.password, "p:s/s@w");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.query.at("application_name"), "a b");
}

TEST(url, masked_never_shows_the_password) {
    const url u = parse_url("postgresql://scott:tiger@localhost:5432/college");
    EXPECT_EQ(u.masked(), "postgresql://scott:***@localhost:5432/college");
    EXPECT_EQ(parse_url("sqlite:///college.db").masked(), "sqlite:///college.db");
    EXPECT_EQ(parse_url("sqlite://").masked(), "sqlite://");
    EXPECT_EQ(parse_url("postgresql://h/db?password=tiger&sslmode=disable").masked(),
              "postgresql://h/db?password=***&sslmode=disable");
}

TEST(url, malformed_urls_throw_usage_error_with_masked_password) {
    const char* bad[] = {
        "",
        "college.db",
        "sqlite:/x.db",
        "sqlite://u:pw1@host/x.db",
        "postgresql://u:pw1@h:0/db",
        "postgresql://u:pw1@h:65536/db",
        "postgresql://u:pw1@h:5x/db",
        "postgresql://u:pw1%g1@h/db",
        "postgresql://u:pw1@[::1/db",
        "postgresql://u:pw1@h/a/b",
        "postgresql://u:pw1@h/db?=x",
        "sqlite:///x.db?mode=wat",
        "sqlite:///x.db?journal=wal",
    };
    for (const char* text : bad) {
        try {
            (void)parse_url(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const usage_error& e) {
            const std::string msg = e.what();
            EXPECT_EQ(msg.find("pw1"), std::string::npos) << msg;
            EXPECT_NE(msg.find("invalid database URL"), std::string::npos) << msg;
        }
    }
}

} // namespace
} // namespace tabella
