// MariaDB error numbers to error classes. SQLSTATEs follow PostgreSQL's codes (the server's
// own are too coarse: 23000 for every constraint, 40001 for a deadlock).
#include "mariadb_errors.hpp"

#include "tabella/error.hpp"

namespace tabella::detail {
namespace {

// Server error numbers (include/mysqld_error.h) and client ones (errmsg.h).
enum : unsigned {
    er_dup_key = 1022,
    er_bad_null = 1048,
    er_table_exists = 1050,
    er_bad_field = 1054,
    er_dup_entry = 1062,
    er_parse = 1064,
    er_no_such_table = 1146,
    er_lock_wait_timeout = 1205,
    er_lock_deadlock = 1213,
    er_no_referenced_row = 1216,
    er_row_is_referenced = 1217,
    er_sp_does_not_exist = 1305,
    er_no_default_for_field = 1364,
    er_row_is_referenced_2 = 1451,
    er_no_referenced_row_2 = 1452,
    er_dup_entry_with_key_name = 1586,
    er_connection_killed = 1927,
    er_check_constraint_violated = 3819, // MySQL's number; MariaDB says 4025
    er_constraint_failed = 4025,
    er_client_interaction_timeout = 4031,
    cr_server_gone = 2006,
    cr_server_lost = 2013,
    cr_server_lost_extended = 2055,
};

const char* postgres_sqlstate(unsigned code) noexcept {
    switch (code) {
    case er_dup_key:
    case er_dup_entry:
    case er_dup_entry_with_key_name:
        return "23505";
    case er_no_referenced_row:
    case er_row_is_referenced:
    case er_row_is_referenced_2:
    case er_no_referenced_row_2:
        return "23503";
    case er_bad_null:
    case er_no_default_for_field:
        return "23502";
    case er_check_constraint_violated:
    case er_constraint_failed:
        return "23514";
    case er_lock_deadlock:
        return "40P01";
    case er_lock_wait_timeout:
        return "55P03"; // lock_not_available: lock_timeout, as SQLITE_BUSY
    case er_parse:
        return "42601";
    case er_no_such_table:
        return "42P01";
    case er_bad_field:
        return "42703";
    case er_table_exists:
        return "42P07";
    default:
        return nullptr;
    }
}

} // namespace

bool mariadb_connection_lost(unsigned code) noexcept {
    return code == cr_server_gone || code == cr_server_lost || code == cr_server_lost_extended ||
           code == er_connection_killed || code == er_client_interaction_timeout;
}

bool mariadb_ends_transaction(unsigned code, bool rollback_on_timeout) noexcept {
    return code == er_lock_deadlock || (code == er_lock_wait_timeout && rollback_on_timeout);
}

std::string mariadb_sqlstate(unsigned code, std::string_view sqlstate, std::string_view message) {
    if (const char* mapped = postgres_sqlstate(code)) return mapped;
    // 1305 names a missing SAVEPOINT as well as a missing FUNCTION or PROCEDURE.
    if (code == er_sp_does_not_exist && message.starts_with("SAVEPOINT"))
        return "3B001"; // invalid_savepoint_specification
    // The server's codes for what is left are its own: a class-23 number not listed above
    // is still a constraint violation, class 42 still a syntax error. HY000 says nothing.
    if (sqlstate == "HY000" || sqlstate.size() != 5) return "XX000";
    return std::string(sqlstate);
}

void throw_mariadb_error(unsigned code, std::string_view sqlstate, std::string_view message,
                         const std::string& sql) {
    const std::string shown = sql.size() > 200 ? sql.substr(0, 200) + "..." : sql;
    throw_sql_error("mariadb: " + std::string(message) + " [" + shown + "]",
                    mariadb_sqlstate(code, sqlstate, message), static_cast<int>(code), sql);
}

} // namespace tabella::detail
