// The model test's MariaDB checker on Connector/C: reads the committed rows of `students`
// and kills the session's connection, never through tabella.
#include "model_clients.hpp"

#include <tabella/url.hpp>

#include <mysql.h>

#include <chrono>
#include <thread>

namespace tabella::testing::model {
namespace {

MYSQL* handle(void* conn) {
    return static_cast<MYSQL*>(conn);
}

// The rows of a query's first column, as text; nullopt on an error.
std::optional<std::vector<std::string>> column(MYSQL* db, const char* sql) {
    if (mysql_query(db, sql) != 0) return std::nullopt;
    MYSQL_RES* res = mysql_store_result(db);
    if (!res) return std::nullopt;
    std::vector<std::string> out;
    while (MYSQL_ROW r = mysql_fetch_row(res)) out.emplace_back(r[0] ? r[0] : "");
    mysql_free_result(res);
    return out;
}

} // namespace

mariadb_client::mariadb_client(const std::string& text) {
    const url u = parse_url(text);
    MYSQL* db = mysql_init(nullptr);
    const char* pass = u.password.empty() ? nullptr : u.password.c_str();
    if (db && mysql_real_connect(db, u.host.c_str(), u.user.c_str(), pass, u.database.c_str(),
                                 static_cast<unsigned>(u.port.value_or(3306)), nullptr, 0)) {
        conn_ = db;
        return;
    }
    error_ = std::string("mariadb checker: ") + (db ? mysql_error(db) : "out of memory");
    mysql_close(db);
}

mariadb_client::~mariadb_client() {
    mysql_close(handle(conn_));
}

bool mariadb_client::ok(std::string* error) const {
    if (conn_) return true;
    *error = error_;
    return false;
}

std::optional<table> mariadb_client::rows(std::string* error) {
    if (!ok(error)) return std::nullopt;
    MYSQL* db = handle(conn_);
    MYSQL_RES* res = nullptr;
    if (mysql_query(db, "SELECT id, name, lastname, age FROM students") != 0 ||
        !(res = mysql_store_result(db))) {
        *error = std::string("mariadb checker: ") + mysql_error(db);
        return std::nullopt;
    }
    table out;
    while (MYSQL_ROW r = mysql_fetch_row(res)) {
        row v{r[1], r[2], std::nullopt};
        if (r[3]) v.age = std::stoi(r[3]);
        out[std::stoll(r[0])] = std::move(v);
    }
    mysql_free_result(res);
    return out;
}

// Each test has a database of its own: every other connection to it is the session's (or
// one closing after an earlier seed, which may go too).
int mariadb_client::kill_others(std::string* error) {
    if (!ok(error)) return -1;
    MYSQL* db = handle(conn_);
    const char* others = "SELECT ID FROM information_schema.PROCESSLIST "
                         "WHERE DB = DATABASE() AND ID <> CONNECTION_ID()";
    const auto ids = column(db, others);
    if (!ids) {
        *error = std::string("mariadb killer: ") + mysql_error(db);
        return -1;
    }
    int killed = 0;
    for (const auto& id : *ids) // ids the server gave: digits
        killed += mysql_query(db, ("KILL CONNECTION " + id).c_str()) == 0 ? 1 : 0;
    for (int i = 0; i < 1000; ++i) { // until they are gone
        const auto left = column(db, others);
        if (!left || left->empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return killed;
}

} // namespace tabella::testing::model
