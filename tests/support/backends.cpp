// Backend URLs for the behaviour suite.
#include "backends.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <unistd.h>

namespace tabella::testing {

std::string sqlite_file::url() {
    static std::atomic<int> counter{0};
    const auto dir =
        std::filesystem::temp_directory_path() / ("tabella-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / ("db" + std::to_string(counter++) + ".sqlite");
    std::filesystem::remove(file);
    return "sqlite:///" + file.string(); // absolute path: sqlite:////tmp/...
}

#ifdef TABELLA_TEST_WITH_POSTGRES_DRIVER
namespace {

// ctest runs test processes in parallel against one database, and every test uses the
// same table names: each postgres::url() gets a schema of its own, made the search_path
// of every connection through libpq's `options`. The schemas of a process are dropped
// when it exits.
class schema_cleanup {
  public:
    explicit schema_cleanup(std::string dsn) : dsn_(std::move(dsn)) {}
    schema_cleanup(const schema_cleanup&) = delete;
    schema_cleanup& operator=(const schema_cleanup&) = delete;
    ~schema_cleanup() {
        try {
            auto conn = create_engine(dsn_).connect();
            for (const auto& schema : schemas_)
                conn.execute_sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (const std::exception&) {
            // The server may be gone already; its data directory goes with it.
        }
    }
    void add(std::string schema) { schemas_.push_back(std::move(schema)); }

  private:
    std::string dsn_;
    std::vector<std::string> schemas_;
};

std::string create_schema(const std::string& dsn) {
    static std::atomic<int> counter{0};
    static const auto salt = std::random_device{}(); // pids repeat across runs
    char name[64];
    std::snprintf(name, sizeof name, "t_%d_%d_%08x", static_cast<int>(::getpid()), counter++,
                  static_cast<unsigned>(salt));
    create_engine(dsn).connect().execute_sql(std::string("CREATE SCHEMA ") + name);
    return name;
}

std::string isolated_url(const std::string& dsn) {
    if (parse_url(dsn).query.contains("options"))
        ADD_FAILURE() << "TABELLA_TEST_POSTGRES_DSN must not set options=; the tests use it";
    // Made after the first engine, so it is destroyed before tabella's own statics.
    const auto schema = create_schema(dsn);
    static schema_cleanup cleanup(dsn);
    cleanup.add(schema);
    // url.cpp percent-decodes query values: options=-csearch_path=<schema>.
    return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema;
}

} // namespace
#endif

std::string postgres::url() {
    const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN");
    const char* required = std::getenv("TABELLA_REQUIRE_POSTGRES");
    const bool must = required && std::string(required) == "1";
#ifdef TABELLA_TEST_WITH_POSTGRES_DRIVER
    if (dsn && *dsn) return isolated_url(dsn);
    if (must)
        ADD_FAILURE() << "TABELLA_REQUIRE_POSTGRES=1 but TABELLA_TEST_POSTGRES_DSN is not set";
#else
    (void)dsn;
    if (must) ADD_FAILURE() << "TABELLA_REQUIRE_POSTGRES=1 but this build has no PostgreSQL driver";
#endif
    return {};
}

#ifdef TABELLA_TEST_WITH_MARIADB_DRIVER
namespace {

// As with PostgreSQL's schemas: each mariadb::url() gets a database of its own (binary
// collation, so text compares as on the other databases), dropped when the process exits.
class database_cleanup {
  public:
    explicit database_cleanup(std::string dsn) : dsn_(std::move(dsn)) {}
    database_cleanup(const database_cleanup&) = delete;
    database_cleanup& operator=(const database_cleanup&) = delete;
    ~database_cleanup() {
        try {
            auto conn = create_engine(dsn_).connect();
            for (const auto& db : databases_) conn.execute_sql("DROP DATABASE IF EXISTS " + db);
        } catch (const std::exception&) {
            // The server may be gone already; its data directory goes with it.
        }
    }
    void add(std::string db) { databases_.push_back(std::move(db)); }

  private:
    std::string dsn_;
    std::vector<std::string> databases_;
};

std::string isolated_mariadb_url(const std::string& dsn) {
    static std::atomic<int> counter{0};
    static const auto salt = std::random_device{}();
    char name[64];
    std::snprintf(name, sizeof name, "t_%d_%d_%08x", static_cast<int>(::getpid()), counter++,
                  static_cast<unsigned>(salt));
    create_engine(dsn).connect().execute_sql(std::string("CREATE DATABASE ") + name +
                                             " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
    static database_cleanup cleanup(dsn);
    cleanup.add(name);
    // mariadb://user@host:port/<database>[?options]: replace the database.
    const auto query = std::min(dsn.find('?'), dsn.size());
    const auto path = std::min(dsn.find('/', dsn.find("://") + 3), query);
    const std::string options = dsn.substr(query);
    return dsn.substr(0, path) + "/" + name + options;
}

} // namespace
#endif

std::string mariadb::url() {
    const char* dsn = std::getenv("TABELLA_TEST_MARIADB_DSN");
    const char* required = std::getenv("TABELLA_REQUIRE_MARIADB");
    const bool must = required && std::string(required) == "1";
#ifdef TABELLA_TEST_WITH_MARIADB_DRIVER
    if (dsn && *dsn) return isolated_mariadb_url(dsn);
    if (must) ADD_FAILURE() << "TABELLA_REQUIRE_MARIADB=1 but TABELLA_TEST_MARIADB_DSN is not set";
#else
    (void)dsn;
    if (must) ADD_FAILURE() << "TABELLA_REQUIRE_MARIADB=1 but this build has no MariaDB driver";
#endif
    return {};
}

} // namespace tabella::testing

// LeakSanitizer (the asan preset) reads these. libpqxx 6.4 leaks one PGresult per lost
// connection: connection_base::make_result asks for the client encoding, which throws
// broken_connection, before the result it was given is owned by anything.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:PQmakeEmptyPGresult\n";
}
