// tabella_load_memory: how much memory a session needs on top of the objects it loads.
// Writes N students (default 1,000,000) to a SQLite file, then measures the peak RSS of
// query<student>().all() in a fresh session (change tracking on, then off) against the
// memory the objects themselves occupy. Prints, asserts nothing; the last line is for
// scripts: load_peak_increase_percent=<p> (tracking on).
// Usage: tabella_load_memory [--rows=N]
#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include "load_student.hpp"
#include "rss.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace {

using tabella_bench::mib;
using tabella_bench::reset_peak;
using tabella_bench::status_bytes;

// Peak RSS above the RSS before loading every row in a fresh session.
long long load_peak(tabella::engine& eng, bool track_changes, std::size_t rows) {
    reset_peak();
    const long long before = status_bytes("VmRSS");
    tabella::session s(eng, {.track_changes = track_changes});
    const auto loaded = s.query<tabella_load::student>().all();
    if (loaded.size() != rows) throw std::runtime_error("wrong row count");
    return status_bytes("VmHWM") - before;
}

} // namespace

int main(int argc, char** argv) try {
    std::size_t rows = 1'000'000;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]).rfind("--rows=", 0) == 0) rows = std::stoul(argv[i] + 7);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tabella-load-memory-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:///" + (dir / "students.db").string();
    tabella_load::fill_students(url, rows);
    // The objects: sizeof each (their strings are short enough to live inside them).
    const long long objects = static_cast<long long>(rows * sizeof(tabella_load::student));
    // Each load in a child process of its own: memory a load freed and the allocator kept
    // must not hide the next one's.
    auto measure = [&](bool track_changes) {
        return tabella_bench::in_child("tabella_load_memory", [&] {
            auto own = tabella::create_engine(url);
            return load_peak(own, track_changes, rows);
        });
    };
    const long long tracked = measure(true);
    const long long untracked = measure(false);
    const double percent =
        100.0 * static_cast<double>(tracked - objects) / static_cast<double>(objects);
    std::printf("rows: %zu, objects: %.1f MiB (%zu bytes each)\n", rows, mib(objects),
                sizeof(tabella_load::student));
    std::printf("load peak, change tracking on:  %.1f MiB (+%.0f%% over the objects)\n",
                mib(tracked), percent);
    std::printf("load peak, change tracking off: %.1f MiB (+%.0f%% over the objects)\n",
                mib(untracked),
                100.0 * static_cast<double>(untracked - objects) / static_cast<double>(objects));
    std::printf("load_peak_increase_percent=%.0f\n", percent);
    std::filesystem::remove_all(dir);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "tabella_load_memory: %s\n", e.what());
    return 1;
}
