// SQLite result codes to error classes. SQLSTATEs follow PostgreSQL's codes so that code
// which inspects sqlstate() works on both drivers.
#include "sqlite_errors.hpp"

#include "tabella/error.hpp"

#include <sqlite3.h>

namespace tabella::detail {
namespace {

const char* sqlstate_of(int rc, const std::string& message) {
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
        return "23505";
    case SQLITE_CONSTRAINT_NOTNULL:
        return "23502";
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return "23503";
    case SQLITE_CONSTRAINT_CHECK:
        return "23514";
    case SQLITE_BUSY_SNAPSHOT: // another connection wrote since this transaction read
        return "40001";        // serialization_failure: retry the transaction
    default:
        break;
    }
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return "23000";
    case SQLITE_FULL:
        return "53100"; // disk_full
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "55P03"; // lock_not_available: lock_timeout, retry the transaction
    case SQLITE_READONLY:
        return "25006"; // read_only_sql_transaction
    case SQLITE_TOOBIG:
        return "54000"; // program_limit_exceeded
    case SQLITE_RANGE:
        return "08P01"; // bind index out of range
    case SQLITE_MISMATCH:
        return "42804"; // datatype_mismatch
    case SQLITE_ERROR:
        if (message.find("no such table") != std::string::npos) return "42P01";
        if (message.find("no such column") != std::string::npos ||
            message.find("has no column") != std::string::npos)
            return "42703";
        if (message.find("syntax error") != std::string::npos ||
            message.find("incomplete input") != std::string::npos ||
            message.find("unrecognized token") != std::string::npos)
            return "42601";
        if (message.find("already exists") != std::string::npos) return "42P07";
        return "42000";
    default:
        return "XX000";
    }
}

} // namespace

void throw_sqlite_error(sqlite3* db, int rc, const std::string& sql) {
    const std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int primary = rc & 0xff;
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT ||
        primary == SQLITE_IOERR)
        throw connection_error("sqlite: " + msg);
    const std::string shown = sql.size() > 200 ? sql.substr(0, 200) + "..." : sql;
    throw_sql_error("sqlite: " + msg + " [" + shown + "]", sqlstate_of(rc, msg), rc, sql);
}

} // namespace tabella::detail
