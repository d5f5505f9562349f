// tabella_load_bench: 100,000 books loaded with their 10,000 authors, through the session
// (query<book>().load(&book::author_id): two SELECTs, every ref pointing at its author)
// against the same object graph read by a raw sqlite3 JOIN loop; prints the ratio of the
// two from the same run.
#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include <benchmark/benchmark.h>
#include <boost/hana/define_struct.hpp>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

namespace lb {

struct author {
    BOOST_HANA_DEFINE_STRUCT(author, (std::optional<std::int64_t>, id), (std::string, name));
};
struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::optional<std::int64_t>, id),
                             (tabella::ref<author>, author_id), (std::string, title));
};

} // namespace lb

template <>
struct tabella::table_traits<lb::author> {
    static constexpr std::string_view name = "authors";
};
template <>
struct tabella::table_traits<lb::book> {
    static constexpr std::string_view name = "books";
};

namespace lb {
namespace {

constexpr std::size_t books_per_author = 10;

/// A SQLite file holding `books` books, written once per size and removed at exit.
const std::string& database_of(std::size_t books) {
    static std::map<std::size_t, std::string> files;
    auto& path = files[books];
    if (!path.empty()) return path;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tabella-load-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    path = (dir / ("library-" + std::to_string(books) + ".db")).string();
    auto eng = tabella::create_engine("sqlite:///" + path);
    tabella::create_all<author, book>(eng);
    tabella::session s(eng);
    std::vector<author> as(books / books_per_author);
    for (std::size_t i = 0; i < as.size(); ++i) as[i].name = "author" + std::to_string(i);
    auto kept = s.add_all(std::move(as));
    std::vector<book> bs;
    bs.reserve(books);
    for (std::size_t i = 0; i < books; ++i)
        bs.push_back(book{std::nullopt, kept[i % kept.size()], "book" + std::to_string(i)});
    s.add_all(std::move(bs));
    s.commit();
    std::atexit([] {
        std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                    ("tabella-load-bench-" + std::to_string(::getpid())));
    });
    return path;
}

// `with_authors` false: the books alone, to tell the cost of load() from the load path's.
void bm_session_load(benchmark::State& state, bool with_authors) {
    const auto books = static_cast<std::size_t>(state.range(0));
    auto eng = tabella::create_engine("sqlite:///" + database_of(books));
    for (auto _ : state) {
        std::optional<tabella::session> s(std::in_place, eng);
        auto q = s->query<book>();
        auto loaded = with_authors ? q.load(&book::author_id).all() : q.all();
        if (loaded.size() != books || (with_authors && !loaded.back()->author_id.get()))
            state.SkipWithError("wrong result");
        benchmark::DoNotOptimize(loaded.data());
        state.PauseTiming(); // freeing the objects is not loading them
        s.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * books));
}

struct raw_author {
    std::int64_t id;
    std::string name;
};
struct raw_book {
    std::int64_t id;
    std::int64_t author_id;
    std::string title;
    const raw_author* author;
};

// What a careful program does with the C API: one JOIN, each author made once (a map by
// key), each book pointing at its author.
void bm_raw_join(benchmark::State& state) {
    const auto books = static_cast<std::size_t>(state.range(0));
    sqlite3* db = nullptr;
    sqlite3_open_v2(database_of(books).c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    const char* sql = "SELECT b.id, b.author_id, b.title, a.name FROM books b "
                      "JOIN authors a ON a.id = b.author_id";
    for (auto _ : state) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
        std::vector<raw_book> out;
        std::unordered_map<std::int64_t, raw_author> authors;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            const std::int64_t author_id = sqlite3_column_int64(stmt, 1);
            auto [it, fresh] = authors.try_emplace(author_id);
            if (fresh)
                it->second = {author_id,
                              reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))};
            out.push_back({sqlite3_column_int64(stmt, 0), author_id,
                           reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2)),
                           &it->second});
        }
        sqlite3_finalize(stmt);
        if (out.size() != books) state.SkipWithError("wrong result");
        benchmark::DoNotOptimize(out.data());
        state.PauseTiming();
        out = {};
        authors = {};
        state.ResumeTiming();
    }
    sqlite3_close_v2(db);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * books));
}

/// Prints each case as the console does, then the session's rate over the raw one.
class ratio_reporter : public benchmark::ConsoleReporter {
  public:
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
        for (const auto& [name, rate] : rates_) {
            if (!name.starts_with("BM_session_load/")) continue;
            const auto raw = rates_.find("BM_raw_join/" + name.substr(16));
            if (raw == rates_.end()) continue;
            const std::string rows = name.substr(16, name.find('/', 16) - 16);
            std::printf("session load / raw JOIN, %s books: %.2fx (%.0f vs %.0f rows/s)\n",
                        rows.c_str(), rate / raw->second, rate, raw->second);
            const auto alone = rates_.find("BM_session_books_only/" + name.substr(16));
            if (alone != rates_.end())
                std::printf("session load, books alone (no authors): %.0f rows/s\n", alone->second);
        }
    }

  private:
    std::map<std::string, double> rates_;
};

} // namespace
} // namespace lb

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    for (auto* bm :
         {benchmark::RegisterBenchmark("BM_raw_join", lb::bm_raw_join),
          benchmark::RegisterBenchmark("BM_session_load", lb::bm_session_load, true),
          benchmark::RegisterBenchmark("BM_session_books_only", lb::bm_session_load, false)})
        bm->Arg(10'000)->Arg(100'000)->UseRealTime()->Unit(benchmark::kMillisecond);
    lb::ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
