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

#if defined(TABELLA_TEST_WITH_POSTGRES_DRIVER) || defined(TABELLA_TEST_WITH_MARIADB_DRIVER)
namespace {

// ctest runs test processes in parallel against one server, and every test uses the same
// table names: each url() gets a namespace of its own (a PostgreSQL schema, a MariaDB
// database), dropped when the process exits by the statements this object collects.
class drop_at_exit {
  public:
    explicit drop_at_exit(std::string dsn) : dsn_(std::move(dsn)) {}
    drop_at_exit(const drop_at_exit&) = delete;
    drop_at_exit& operator=(const drop_at_exit&) = delete;
    ~drop_at_exit() {
        try {
            auto conn = create_engine(dsn_).connect();
            for (const auto& sql : statements_) conn.execute_sql(sql);
        } catch (const std::exception&) {
            // The server may be gone already; its data directory goes with it.
        }
    }
    void add(std::string sql) { statements_.push_back(std::move(sql)); }

  private:
    std::string dsn_;
    std::vector<std::string> statements_;
};

// A name no other test process uses: pids repeat across runs, hence the salt.
std::string unique_name() {
    static std::atomic<int> counter{0};
    static const auto salt = std::random_device{}();
    char name[64];
    std::snprintf(name, sizeof name, "t_%d_%d_%08x", static_cast<int>(::getpid()), counter++,
                  static_cast<unsigned>(salt));
    return name;
}

} // namespace
#endif

#ifdef TABELLA_TEST_WITH_POSTGRES_DRIVER
namespace {

// The schema is made the search_path of every connection through libpq's `options`.
std::string isolated_url(const std::string& dsn) {
    if (parse_url(dsn).query.contains("options"))
        ADD_FAILURE() << "TABELLA_TEST_POSTGRES_DSN must not set options=; the tests use it";
    const auto schema = unique_name();
    create_engine(dsn).connect().execute_sql("CREATE SCHEMA " + schema);
    // Made after the first engine, so it is destroyed before tabella's own statics.
    static drop_at_exit cleanup(dsn);
    cleanup.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
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

// A database of its own, with a binary collation so text compares as on the other
// databases.
std::string isolated_mariadb_url(const std::string& dsn) {
    const auto name = unique_name();
    create_engine(dsn).connect().execute_sql("CREATE DATABASE " + name +
                                             " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
    static drop_at_exit cleanup(dsn);
    cleanup.add("DROP DATABASE IF EXISTS " + name);
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
