// The MariaDB driver's error mapping, with no server: each mapped error number gives the
// same class as the matching error on the other drivers.
#include "mariadb_errors.hpp"

#include <tabella/error.hpp>

#include <gtest/gtest.h>

namespace tabella::detail {
namespace {

template <class E>
void expect_class(unsigned code, const char* server_state, const char* sqlstate) {
    SCOPED_TRACE(code);
    try {
        throw_mariadb_error(code, server_state, "message", "SQL");
    } catch (const E& e) {
        EXPECT_EQ(e.sqlstate(), sqlstate);
        EXPECT_EQ(e.native_code(), static_cast<int>(code));
        EXPECT_EQ(e.statement(), "SQL");
        EXPECT_STREQ(e.what(), "mariadb: message [SQL]");
        return;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "another class: " << e.what();
    }
}

TEST(mariadb_errors, server_errors_map_to_the_typed_classes) {
    expect_class<unique_violation>(1062, "23000", "23505");
    expect_class<unique_violation>(1586, "23000", "23505");
    expect_class<foreign_key_violation>(1451, "23000", "23503");
    expect_class<foreign_key_violation>(1452, "23000", "23503");
    expect_class<foreign_key_violation>(1216, "23000", "23503");
    expect_class<foreign_key_violation>(1217, "23000", "23503");
    expect_class<not_null_violation>(1048, "23000", "23502");
    expect_class<not_null_violation>(1364, "HY000", "23502");
    expect_class<check_violation>(3819, "HY000", "23514");
    expect_class<check_violation>(4025, "23000", "23514");
    expect_class<deadlock_detected>(1213, "40001", "40P01"); // not a serialization_failure
    expect_class<lock_timeout>(1205, "HY000", "55P03");
    expect_class<syntax_error>(1064, "42000", "42601");
    expect_class<syntax_error>(1146, "42S02", "42P01");
    expect_class<constraint_violation>(1557, "23000", "23000"); // another class-23 error
    expect_class<sql_error>(1406, "22001", "22001");            // data too long
    expect_class<sql_error>(1105, "HY000", "XX000");
}

TEST(mariadb_errors, lost_connections_and_ended_transactions_are_known) {
    for (const unsigned code : {2006u, 2013u, 2055u, 1927u, 4031u})
        EXPECT_TRUE(mariadb_connection_lost(code)) << code;
    EXPECT_FALSE(mariadb_connection_lost(1213));
    EXPECT_TRUE(mariadb_ends_transaction(1213, false));
    EXPECT_FALSE(mariadb_ends_transaction(1205, false)); // only the statement
    EXPECT_TRUE(mariadb_ends_transaction(1205, true));   // innodb_rollback_on_timeout
    EXPECT_FALSE(mariadb_ends_transaction(1062, true));
}

} // namespace
} // namespace tabella::detail
