// tabella_stream_memory: the peak RSS of streaming rows into objects must not grow with the
// row count. Writes N students (default 1,000,000) to a SQLite file (and, with
// TABELLA_TEST_POSTGRES_DSN, to a PostgreSQL schema of this process), then measures, each in
// a child process of its own, the peak RSS above the RSS before of
// query<student>().limit(k).stream(1000) for k = N / 10 and N, beside all() for contrast.
// Prints, asserts nothing. Usage: tabella_stream_memory [--rows=N]
#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include "load_student.hpp"
#include "rss.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using tabella_bench::in_child;
using tabella_bench::mib;
using tabella_bench::reset_peak;
using tabella_bench::status_bytes;
using tabella_load::fill_students;
using tabella_load::student;

// Peak RSS above the RSS before reading `rows` rows in a fresh session.
long long read_peak(const std::string& url, std::size_t rows, bool stream) {
    auto eng = tabella::create_engine(url);
    reset_peak();
    const long long before = status_bytes("VmRSS");
    std::size_t seen = 0;
    {
        tabella::session s(eng);
        auto q = s.query<student>().limit(static_cast<std::int64_t>(rows));
        if (stream) {
            for (const student& st : q.stream(1000)) seen += st.name.empty() ? 0 : 1;
        } else {
            seen = q.all().size();
        }
    }
    if (seen != rows) throw std::runtime_error("wrong row count");
    return status_bytes("VmHWM") - before;
}

void report(const char* database, const std::string& url, std::size_t rows) {
    for (const std::size_t k : {rows / 10, rows}) {
        const long long streamed =
            in_child("tabella_stream_memory", [&] { return read_peak(url, k, true); });
        const long long loaded =
            in_child("tabella_stream_memory", [&] { return read_peak(url, k, false); });
        std::printf("%s, %zu rows: stream(1000) peak +%.1f MiB, all() peak +%.1f MiB\n", database,
                    k, mib(streamed), mib(loaded));
    }
}

} // namespace

int main(int argc, char** argv) try {
    std::size_t rows = 1'000'000;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]).rfind("--rows=", 0) == 0) rows = std::stoul(argv[i] + 7);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tabella-stream-memory-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string sqlite_url = "sqlite:///" + (dir / "students.db").string();
    fill_students(sqlite_url, rows);
    report("SQLite", sqlite_url, rows);
    std::filesystem::remove_all(dir);
    if (const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN"); dsn && *dsn) {
        const std::string schema = "tabella_stream_memory_" + std::to_string(::getpid());
        tabella::create_engine(dsn).connect().execute_sql("CREATE SCHEMA " + schema);
        const std::string base(dsn);
        const std::string url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                                "options=-csearch_path%3D" + schema;
        try {
            fill_students(url, rows);
            report("PostgreSQL", url, rows);
        } catch (...) {
            tabella::create_engine(dsn).connect().execute_sql("DROP SCHEMA " + schema + " CASCADE");
            throw;
        }
        tabella::create_engine(dsn).connect().execute_sql("DROP SCHEMA " + schema + " CASCADE");
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "tabella_stream_memory: %s\n", e.what());
    return 1;
}
