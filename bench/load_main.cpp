// tabella_load_bench: runs the load cases and prints, after Google Benchmark's table, the
// ratio of each session case to its raw baseline (medians when repeated).
#include "load_cases.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <unistd.h>

namespace tabella_load {
namespace {

class ratio_reporter : public benchmark::ConsoleReporter {
  public:
    explicit ratio_reporter(std::vector<ratio_pair> pairs) : pairs_(std::move(pairs)) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& r : runs) {
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
            const auto it = r.counters.find("items_per_second");
            if (it != r.counters.end()) rates_[r.run_name.str()] = it->second.value;
        }
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        for (const auto& pair : pairs_)
            for (const auto& [name, rate] : rates_) {
                if (!name.starts_with(pair.session + "/")) continue;
                const std::string args = name.substr(pair.session.size() + 1);
                const auto raw = rates_.find(pair.raw + "/" + args);
                if (raw == rates_.end()) continue;
                const std::string rows = args.substr(0, args.find('/'));
                std::printf("%s / %s, %s %s: %.2fx (%.0f vs %.0f rows/s)\n", pair.session.c_str(),
                            pair.raw.c_str(), rows.c_str(), pair.what.c_str(), rate / raw->second,
                            rate, raw->second);
            }
    }

  private:
    std::vector<ratio_pair> pairs_;
    std::map<std::string, double> rates_;
};

} // namespace

const std::string& scratch_directory() {
    static const std::string dir = [] {
        const auto path = std::filesystem::temp_directory_path() /
                          ("tabella-load-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        std::atexit([] { std::filesystem::remove_all(scratch_directory()); });
        return path.string();
    }();
    return dir;
}

} // namespace tabella_load

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::vector<tabella_load::ratio_pair> pairs;
    tabella_load::register_relationship_cases(pairs);
    tabella_load::register_query_cases(pairs);
    tabella_load::register_stream_cases(pairs);
    tabella_load::register_aggregate_cases(pairs);
    tabella_load::ratio_reporter reporter(std::move(pairs));
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
