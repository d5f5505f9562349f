// The PostgreSQL driver's libpq connection strings and password hiding, without a server.
#include "postgres_conninfo.hpp"

#include <tabella/error.hpp>
#include <tabella/url.hpp>

#include <gtest/gtest.h>

namespace tabella::detail {
namespace {

TEST(postgres_conninfo, every_url_part_and_query_option_becomes_a_quoted_keyword) {
    const auto u = parse_url("postgresql://ann:pw@db.example:5433/college"
                             "?sslmode=require&application_name=my%20app&connect_timeout=3");
    EXPECT_EQ(postgres_conninfo(u),
              "host='db.example' port='5433' user='ann' password='pw' dbname='college' "
              "client_encoding='UTF8' application_name='my app' connect_timeout='3' "
              "sslmode='require'");
}

TEST(postgres_conninfo, quotes_and_backslashes_are_escaped) {
    const auto u = parse_url("postgresql://o%27brien:it%27s%20a%20%5C%20pw@h/d%27b"
                             "?options=-csearch_path%3Dx%20-cstatement_timeout%3D5s");
    EXPECT_EQ(postgres_conninfo(u),
              "host='h' user='o\\'brien' password='it\\'s a \\\\ pw' dbname='d\\'b' "
              "client_encoding='UTF8' options='-csearch_path=x -cstatement_timeout=5s'");
}

TEST(postgres_conninfo, missing_parts_are_left_to_libpq_defaults) {
    EXPECT_EQ(postgres_conninfo(parse_url("postgresql:///college")),
              "dbname='college' client_encoding='UTF8'");
    EXPECT_EQ(postgres_conninfo(parse_url("postgresql://h?client_encoding=LATIN1")),
              "host='h' client_encoding='LATIN1'");
}

TEST(postgres_conninfo, a_query_key_that_is_no_libpq_keyword_is_a_usage_error) {
    for (const char* text : {"postgresql://u:secret@h/db?host%3Devil%20x=1",
                             "postgresql://u:secret@h/db?SSLMODE=disable"}) {
        try {
            (void)postgres_conninfo(parse_url(text));
            ADD_FAILURE() << text << " was accepted";
        } catch (const usage_error& e) {
            EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("u:***@h"), std::string::npos) << e.what();
        }
    }
}

TEST(postgres_conninfo, messages_never_show_the_password) {
    const auto u = parse_url("postgresql://ann:hunter2@h/db?password=other");
    EXPECT_EQ(postgres_url_for_messages(u), "postgresql://ann:***@h/db?password=***");
    EXPECT_EQ(hide_password("bad value \"hunter2\" and other", u), "bad value \"***\" and ***");
    EXPECT_EQ(clean_message("connection failed:\n\tFATAL:  hunter2\n", u),
              "connection failed: FATAL: ***");
}

} // namespace
} // namespace tabella::detail
