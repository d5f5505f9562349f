// The benchmark workload and the databases it runs on.
#include "workload.hpp"

#include <tabella/dialect.hpp>
#include <tabella/engine.hpp>

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
    return b == backend::sqlite ? "sqlite" : "postgres";
}

std::optional<std::string> postgres_dsn() {
    const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN");
    if (!dsn || !*dsn) return std::nullopt;
    return std::string(dsn);
}

const std::string& postgres_schema() {
    static const std::string name = "tabella_bench_" + std::to_string(::getpid());
    return name;
}

namespace {

std::string required_postgres_dsn() {
    auto dsn = postgres_dsn();
    if (!dsn)
        throw std::runtime_error("TABELLA_TEST_POSTGRES_DSN is not set: PostgreSQL case skipped "
                                 "(scripts/bench starts a throwaway server)");
    if (dsn->rfind("postgres", 0) != 0)
        throw std::runtime_error("TABELLA_TEST_POSTGRES_DSN must be a postgresql:// URI");
    return *dsn;
}

} // namespace

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

bench_database::bench_database(backend b) : kind_(b) {
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
    return {d.drop_table(students_table()), d.create_table(students_table())};
}

std::string bench_database::empty_table_sql() const {
    // SQLite: DELETE without WHERE truncates, and the next rowid is max(rowid) + 1 = 1.
    return kind_ == backend::sqlite ? "DELETE FROM students" : "TRUNCATE students RESTART IDENTITY";
}

} // namespace tabella_bench
