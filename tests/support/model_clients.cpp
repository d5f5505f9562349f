// The model test's independent clients: sqlite3 and libpq, never tabella.
#include "model_clients.hpp"

#include <sqlite3.h>

#ifdef TABELLA_MODEL_WITH_LIBPQ
#include <libpq-fe.h>
#endif

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>

namespace tabella::testing::model {

sqlite_reader::sqlite_reader(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        sqlite3_close(db_);
        db_ = nullptr;
        return;
    }
    // A file's readers only wait while a writer commits; a memdb database keeps readers
    // out for as long as a writer holds its RESERVED lock, so it is not waited for.
    sqlite3_busy_timeout(db_, path.find("vfs=memdb") == std::string::npos ? 2000 : 0);
}

sqlite_reader::~sqlite_reader() {
    sqlite3_close(db_);
}

std::optional<table> sqlite_reader::rows(bool* busy, std::string* error) {
    *busy = false;
    if (!db_) {
        *error = "the sqlite3 checker connection did not open";
        return std::nullopt;
    }
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v2(db_, "SELECT id, name, lastname, age FROM students", -1, &stmt, nullptr);
    table out;
    while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        auto text = [&](int c) {
            const auto* p = sqlite3_column_text(stmt, c);
            return p ? std::string(reinterpret_cast<const char*>(p),
                                   static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)))
                     : std::string("<NULL>");
        };
        row r{text(1), text(2), std::nullopt};
        if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) r.age = sqlite3_column_int(stmt, 3);
        out[sqlite3_column_int64(stmt, 0)] = std::move(r);
        rc = SQLITE_OK;
    }
    const int ext = sqlite3_extended_errcode(db_);
    const std::string msg = sqlite3_errmsg(db_);
    sqlite3_finalize(stmt); // no read transaction is left open between steps
    if (rc == SQLITE_DONE) return out;
    if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) {
        *busy = true;
        return std::nullopt;
    }
    *error = "sqlite3 checker: " + msg;
    return std::nullopt;
}

namespace sqlite_watch {
namespace {

struct watched {
    std::mutex m;
    std::map<sqlite3*, std::string> last_statement;
    std::string marker;
    sqlite3* db = nullptr;
    bool ended = false;
};

watched& state() {
    static watched w;
    return w;
}

bool is_rollback(const std::string& sql) {
    std::size_t i = 0;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    static constexpr std::string_view word = "rollback";
    if (sql.size() - i < word.size()) return false;
    for (std::size_t j = 0; j < word.size(); ++j)
        if (std::tolower(static_cast<unsigned char>(sql[i + j])) != word[j]) return false;
    return true;
}

int on_trace(unsigned type, void* ctx, void*, void* x) {
    if (type != SQLITE_TRACE_STMT || !x) return 0;
    auto* db = static_cast<sqlite3*>(ctx);
    const std::string sql = static_cast<const char*>(x);
    auto& w = state();
    std::lock_guard lock(w.m);
    w.last_statement[db] = sql;
    if (!w.marker.empty() && sql.find(w.marker) != std::string::npos) w.db = db;
    return 0;
}

void on_rollback(void* ctx) {
    auto* db = static_cast<sqlite3*>(ctx);
    auto& w = state();
    std::lock_guard lock(w.m);
    if (db == w.db && !is_rollback(w.last_statement[db])) w.ended = true;
}

int on_open(sqlite3* db, char**, const sqlite3_api_routines*) {
    {
        auto& w = state();
        std::lock_guard lock(w.m);
        w.last_statement[db].clear(); // a new connection may reuse a closed one's address
        if (w.db == db) w.db = nullptr;
    }
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_trace, db);
    sqlite3_rollback_hook(db, on_rollback, db);
    return SQLITE_OK;
}

} // namespace

void install() {
    static const int once = [] {
        // void(*)(void) is SQLite's generic entry-point type.
        return sqlite3_auto_extension(reinterpret_cast<void (*)(void)>(&on_open));
    }();
    (void)once;
}

std::string new_marker() {
    static std::atomic<int> counter{0};
    auto& w = state();
    std::lock_guard lock(w.m);
    w.marker = "tabella-model-marker-" + std::to_string(counter++);
    w.db = nullptr;
    w.ended = false;
    return "SELECT '" + w.marker + "'";
}

bool watching(const std::string& marker) {
    auto& w = state();
    std::lock_guard lock(w.m);
    return w.db != nullptr && marker.find(w.marker) != std::string::npos;
}

void clear_ended() {
    auto& w = state();
    std::lock_guard lock(w.m);
    w.ended = false;
}

bool ended_by_database() {
    auto& w = state();
    std::lock_guard lock(w.m);
    return w.ended;
}

} // namespace sqlite_watch

#ifdef TABELLA_MODEL_WITH_LIBPQ

pg_client::pg_client(const std::string& dsn, const std::string& options) {
    const char* keys[] = {"dbname", "options", "application_name", nullptr};
    const char* values[] = {dsn.c_str(), options.c_str(), "tabella-model-checker", nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
}

pg_client::~pg_client() {
    PQfinish(static_cast<PGconn*>(conn_));
}

bool pg_client::ok(std::string* error) const {
    auto* c = static_cast<PGconn*>(conn_);
    if (c && PQstatus(c) == CONNECTION_OK) return true;
    *error = std::string("libpq checker: ") + (c ? PQerrorMessage(c) : "out of memory");
    return false;
}

std::optional<table> pg_client::rows(std::string* error) {
    if (!ok(error)) return std::nullopt;
    auto* c = static_cast<PGconn*>(conn_);
    PGresult* res = PQexec(c, "SELECT id, name, lastname, age FROM students");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        *error = std::string("libpq checker: ") + PQerrorMessage(c);
        PQclear(res);
        return std::nullopt;
    }
    table out;
    for (int i = 0; i < PQntuples(res); ++i) {
        row r{PQgetvalue(res, i, 1), PQgetvalue(res, i, 2), std::nullopt};
        if (!PQgetisnull(res, i, 3)) r.age = std::stoi(PQgetvalue(res, i, 3));
        out[std::stoll(PQgetvalue(res, i, 0))] = std::move(r);
    }
    PQclear(res);
    return out;
}

int pg_client::terminate(const std::string& application_name, std::string* error) {
    if (!ok(error)) return -1;
    auto* c = static_cast<PGconn*>(conn_);
    const char* params[] = {application_name.c_str()};
    PGresult* res = PQexecParams(c,
                                 "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                                 "WHERE application_name = $1",
                                 1, nullptr, params, nullptr, nullptr, 0);
    int n = -1;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        n = 0;
        for (int i = 0; i < PQntuples(res); ++i) n += PQgetvalue(res, i, 0)[0] == 't' ? 1 : 0;
    } else {
        *error = std::string("libpq killer: ") + PQerrorMessage(c);
    }
    PQclear(res);
    return n;
}

#endif

} // namespace tabella::testing::model
