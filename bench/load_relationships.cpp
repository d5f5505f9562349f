// Loading relationships: books with their authors (ten books an author), through the
// session (query<book>().load(&book::author_id): two SELECTs, every ref pointing at its
// author) against the same object graph read by a raw sqlite3 JOIN loop.
#include "load_cases.hpp"

#include <tabella/session.hpp>
#include <tabella/sqlite.hpp>

#include <benchmark/benchmark.h>
#include <boost/hana/define_struct.hpp>
#include <sqlite3.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tabella_load {

struct author {
    BOOST_HANA_DEFINE_STRUCT(author, (std::optional<std::int64_t>, id), (std::string, name));
};
struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::optional<std::int64_t>, id),
                             (tabella::ref<author>, author_id), (std::string, title));
};

} // namespace tabella_load

template <>
struct tabella::table_traits<tabella_load::author> {
    static constexpr std::string_view name = "authors";
};
template <>
struct tabella::table_traits<tabella_load::book> {
    static constexpr std::string_view name = "books";
};

namespace tabella_load {
namespace {

constexpr std::size_t books_per_author = 10;

/// A SQLite file holding `books` books, written once per size and removed at exit.
const std::string& database_of(std::size_t books) {
    static std::map<std::size_t, std::string> files;
    auto& path = files[books];
    if (!path.empty()) return path;
    path = scratch_directory() + "/library-" + std::to_string(books) + ".db";
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

} // namespace

void register_relationship_cases(std::vector<ratio_pair>& pairs) {
    for (auto* bm : {benchmark::RegisterBenchmark("BM_raw_join", bm_raw_join),
                     benchmark::RegisterBenchmark("BM_session_load", bm_session_load, true),
                     benchmark::RegisterBenchmark("BM_session_books_only", bm_session_load, false)})
        bm->Arg(10'000)->Arg(100'000)->UseRealTime()->Unit(benchmark::kMillisecond);
    pairs.push_back({"BM_session_load", "BM_raw_join", "books with their authors"});
    pairs.push_back(
        {"BM_session_books_only", "BM_raw_join", "books (no authors) against the JOIN"});
}

} // namespace tabella_load
