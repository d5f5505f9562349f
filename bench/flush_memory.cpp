// tabella_flush_memory: how much memory a session needs on top of the objects it flushes.
// Builds N students (default 1,000,000), add_all()s them, then measures the peak RSS of
// the flush (commit) against the memory the objects themselves occupy. Prints, asserts
// nothing; the last line is for scripts: flush_peak_increase_percent=<p>.
// Usage: tabella_flush_memory [--rows=N] [--page-size=N] [--url=URL]
//        (default: 1,000,000 rows, the session's default page size, a SQLite file in /tmp)
#include "rss.hpp"
#include "workload.hpp"

#include <tabella/engine.hpp>
#include <tabella/session.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

namespace {

using tabella_bench::mib;
using tabella_bench::reset_peak;
using tabella_bench::status_bytes;

struct options {
    std::size_t rows = 1'000'000;
    std::size_t page_size = 0;
    bool track_changes = true;
    std::string url; // empty: a SQLite file of our own
};

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = arg.substr(arg.find('=') + 1);
        if (arg.rfind("--rows=", 0) == 0)
            o.rows = std::stoul(value);
        else if (arg.rfind("--page-size=", 0) == 0)
            o.page_size = std::stoul(value);
        else if (arg.rfind("--url=", 0) == 0)
            o.url = value;
        else if (arg == "--no-track-changes")
            o.track_changes = false;
        else
            throw std::invalid_argument("unknown argument " + arg +
                                        "; use --rows=N --page-size=N --url=URL");
    }
    return o;
}

} // namespace

int main(int argc, char** argv) {
    using namespace tabella_bench;
    const options opts = parse(argc, argv);
    const std::size_t rows = opts.rows;
    std::optional<bench_database> db;
    std::string url = opts.url;
    if (url.empty()) {
        db.emplace(backend::sqlite);
        url = db->url();
    }
    auto eng = tabella::create_engine(url);
    if (db) {
        auto conn = eng.connect();
        for (const auto& sql : db->recreate_table_sql()) conn.execute_sql(sql);
    } else {
        tabella::create_all<student>(eng); // a URL of the caller's: never drop its tables
    }

    const long long rss_start = status_bytes("VmRSS");
    std::vector<student> objects;
    objects.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i)
        objects.push_back({std::nullopt, "name" + std::to_string(i), "last" + std::to_string(i),
                           static_cast<int>(i % 90), static_cast<double>(i) * 0.5});
    const long long rss_objects = status_bytes("VmRSS");
    const long long object_bytes = rss_objects - rss_start;

    tabella::session s(eng, {.page_size = opts.page_size, .track_changes = opts.track_changes});
    auto added = s.add_all(std::move(objects));
    const long long rss_added = status_bytes("VmRSS");
    const bool peak_reset = reset_peak();
    const long long peak_before = peak_reset ? status_bytes("VmRSS") : status_bytes("VmHWM");

    s.commit();
    const long long peak_after = status_bytes("VmHWM");
    const long long rss_after = status_bytes("VmRSS");
    const bool keys_ok = !added.empty() && added.front().id && added.back().id;

    const long long increase = peak_after - peak_before;
    std::printf(
        "flush memory, %zu students (sizeof %zu bytes), %s, change tracking %s, page size %s\n",
        rows, sizeof(student), url.substr(0, url.find(':')).c_str(),
        opts.track_changes ? "on" : "off",
        opts.page_size ? std::to_string(opts.page_size).c_str() : "default");
    std::printf("  objects (RSS growth building the vector): %8.1f MiB\n", mib(object_bytes));
    std::printf("  add_all bookkeeping (RSS growth):          %8.1f MiB (%.1f%% of the objects)\n",
                mib(rss_added - rss_objects),
                100.0 * static_cast<double>(rss_added - rss_objects) /
                    static_cast<double>(object_bytes));
    std::printf("  flush peak RSS increase (%s):  %8.1f MiB (%.1f%% of the objects)\n",
                peak_reset ? "VmHWM after reset" : "VmHWM difference", mib(increase),
                100.0 * static_cast<double>(increase) / static_cast<double>(object_bytes));
    std::printf("  RSS kept after commit:                     %8.1f MiB (%.1f%% of the objects)\n",
                mib(rss_after - rss_added),
                100.0 * static_cast<double>(rss_after - rss_added) /
                    static_cast<double>(object_bytes));
    std::printf("  keys written back: %s\n", keys_ok ? "yes" : "NO");
    std::printf("flush_peak_increase_percent=%.1f\n",
                100.0 * static_cast<double>(increase) / static_cast<double>(object_bytes));
    return 0;
}
