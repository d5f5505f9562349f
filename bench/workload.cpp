// The benchmark workload and the databases it runs on.
#include "workload.hpp"

#include <tabella/dialect.hpp>
#include <tabella/engine.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <unistd.h>

namespace tabella_bench {

const std::vector<row_values>& rows_of(std::size_t count) {
    static std::map<std::size_t, std::vector<row_values>> cache;
    auto& rows = cache[count];
    if (rows.size() != count) {
        rows.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            rows.push_back({"name" + std::to_string(i), "last" + std::to_string(i),
                            static_cast<int>(i % 90), static_cast<double>(i) * 0.5});
    }
    return rows;
}

std::vector<student> students_of(std::size_t count) {
    std::vector<student> out;
    out.reserve(count);
    for (const auto& r : rows_of(count))
        out.push_back({std::nullopt, r.name, r.lastname, r.age, r.score});
    return out;
}

const tabella::table& students_table() {
    static const tabella::metadata meta = [] {
        using enum tabella::column_type;
        tabella::metadata m;
        m.add_table("students", {tabella::column("id", integer).primary_key(),
                                 tabella::column("name", string).not_null(),
                                 tabella::column("lastname", string),
                                 tabella::column("age", integer), tabella::column("score", real)});
        return m;
    }();
    return meta.get_table("students");
}

std::string_view name_of(backend b) noexcept {
    switch (b) {
    case backend::sqlite:
        return "sqlite";
    case backend::postgres:
        return "postgres";
    case backend::mariadb:
        return "mariadb";
    }
    return "?";
}

namespace {

std::optional<std::string> dsn_from(const char* variable) {
    const char* dsn = std::getenv(variable);
    if (!dsn || !*dsn) return std::nullopt;
    return std::string(dsn);
}

std::string required_dsn(const char* variable, std::string_view scheme, std::string_view server) {
    auto dsn = dsn_from(variable);
    if (!dsn)
        throw std::runtime_error(std::string(variable) + " is not set: " + std::string(server) +
                                 " case skipped (scripts/bench starts a throwaway server)");
    if (dsn->rfind(scheme, 0) != 0)
        throw std::runtime_error(std::string(variable) + " must be a " + std::string(scheme) +
                                 "... URL");
    return *dsn;
}

std::string required_postgres_dsn() {
    return required_dsn("TABELLA_TEST_POSTGRES_DSN", "postgres", "PostgreSQL");
}

std::string required_mariadb_dsn() {
    return required_dsn("TABELLA_TEST_MARIADB_DSN", "mariadb", "MariaDB");
}

// The DSN with its database (the path after host and port) replaced by `database`; the
// query (?socket=/path...) is kept, and a '/' inside it is not taken for the path.
std::string with_database(const std::string& dsn, const std::string& database) {
    const auto query = dsn.find('?');
    const auto path = dsn.find('/', dsn.find("://") + 3);
    const auto authority_end = std::min(path, query);
    return dsn.substr(0, authority_end) + "/" + database +
           (query == std::string::npos ? "" : dsn.substr(query));
}

const std::string& process_name() {
    static const std::string name = "tabella_bench_" + std::to_string(::getpid());
    return name;
}

} // namespace

std::optional<std::string> postgres_dsn() {
    return dsn_from("TABELLA_TEST_POSTGRES_DSN");
}

const std::string& postgres_schema() {
    return process_name();
}

void create_postgres_schema() {
    auto conn = tabella::create_engine(required_postgres_dsn()).connect();
    conn.execute_sql("CREATE SCHEMA IF NOT EXISTS " + postgres_schema());
}

void drop_postgres_schema() noexcept {
    try {
        if (!postgres_dsn()) return;
        auto conn = tabella::create_engine(*postgres_dsn()).connect();
        conn.execute_sql("DROP SCHEMA IF EXISTS " + postgres_schema() + " CASCADE");
    } catch (const std::exception&) {
        // The server may be gone already; a throwaway one takes the schema along.
    }
}

std::optional<std::string> mariadb_dsn() {
    return dsn_from("TABELLA_TEST_MARIADB_DSN");
}

const std::string& mariadb_database() {
    return process_name();
}

void create_mariadb_database() {
    auto conn = tabella::create_engine(required_mariadb_dsn()).connect();
    conn.execute_sql("CREATE DATABASE IF NOT EXISTS " + mariadb_database());
}

void drop_mariadb_database() noexcept {
    try {
        if (!mariadb_dsn()) return;
        auto conn = tabella::create_engine(*mariadb_dsn()).connect();
        conn.execute_sql("DROP DATABASE IF EXISTS " + mariadb_database());
    } catch (const std::exception&) {
        // The server may be gone already; a throwaway one takes the database along.
    }
}

bench_database::bench_database(backend b, bool with_trigger)
    : kind_(b), with_trigger_(with_trigger) {
    if (b == backend::sqlite) {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("tabella-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        native_ = (dir_ / "bench.db").string();
        url_ = "sqlite:///" + native_; // absolute path: sqlite:////tmp/...
        return;
    }
    if (b == backend::mariadb) {
        url_ = with_database(required_mariadb_dsn(), mariadb_database());
        native_ = url_;
        return;
    }
    const std::string dsn = required_postgres_dsn();
    // libpq and tabella both percent-decode URI query values: options=-csearch_path=<schema>.
    url_ = dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           postgres_schema();
    native_ = url_;
}

bench_database::~bench_database() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> bench_database::recreate_table_sql() const {
    const tabella::dialect& d = tabella::create_engine(url_).dialect();
    std::vector<std::string> sql{d.drop_table(students_table()), d.create_table(students_table())};
    if (!with_trigger_) return sql;
    if (kind_ == backend::sqlite) {
        sql.emplace_back("CREATE TRIGGER students_seen AFTER INSERT ON students BEGIN SELECT 1; "
                         "END");
    } else if (kind_ == backend::postgres) {
        sql.emplace_back("CREATE OR REPLACE FUNCTION students_seen() RETURNS trigger LANGUAGE "
                         "plpgsql AS $$ BEGIN RETURN NEW; END $$");
        sql.emplace_back("CREATE TRIGGER students_seen BEFORE INSERT ON students FOR EACH ROW "
                         "EXECUTE FUNCTION students_seen()");
    }
    return sql;
}

std::string bench_database::empty_table_sql() const {
    switch (kind_) {
    case backend::sqlite: // DELETE without WHERE truncates; the next rowid is max(rowid) + 1
        return "DELETE FROM students";
    case backend::postgres:
        return "TRUNCATE students RESTART IDENTITY";
    case backend::mariadb: // InnoDB's TRUNCATE recreates the table: AUTO_INCREMENT from 1
        return "TRUNCATE TABLE students";
    }
    return "DELETE FROM students";
}

} // namespace tabella_bench
