// ORM cases: a session adds every object and commits (one flush), per insert strategy,
// and at a few page sizes (rows per INSERT statement).
#include "cases.hpp"
#include "runner.hpp"

#include <tabella/session.hpp>

#include <optional>
#include <span>
#include <vector>

namespace tabella_bench {
namespace {

struct strategy_case {
    const char* name;
    tabella::insert_strategy strategy;
};

// One line per strategy a session can be asked for; BM_session_flush is the default.
constexpr strategy_case strategy_cases[] = {
    {"BM_session_flush", tabella::insert_strategy::automatic},
    {"BM_session_flush_reserve_keys", tabella::insert_strategy::reserve_keys},
    {"BM_session_flush_row_by_row", tabella::insert_strategy::row_by_row},
    {"BM_session_flush_copy", tabella::insert_strategy::copy},
    {"BM_session_flush_returning", tabella::insert_strategy::returning},
};

// Whether a session on `b` accepts the strategy (the others are usage errors there).
bool selectable(tabella::insert_strategy s, backend b) noexcept {
    switch (s) {
    case tabella::insert_strategy::reserve_keys: // AUTO_INCREMENT values cannot be reserved
        return b != backend::mariadb;
    case tabella::insert_strategy::copy:
        return b == backend::postgres;
    case tabella::insert_strategy::returning: // automatic picks it only on MariaDB
        return b == backend::mariadb;
    case tabella::insert_strategy::automatic:
    case tabella::insert_strategy::row_by_row:
        return true;
    }
    return false;
}

// BM_session_flush_paged/<driver>/<rows>/<page size>: rows per INSERT statement (0: the
// session's default, as many as the parameter limit allows), for a small and a large flush.
const std::vector<std::vector<std::int64_t>> paged_rows_and_pages = {{1'000, 100'000},
                                                                     {100, 500, 2'000, 0}};

// Timed: the session, add_all and commit. Building the objects is the program's own work
// and is not timed; dropping the session (freeing the objects) is not timed either.
void bm_session_flush(benchmark::State& state, backend b, tabella::session_options options,
                      bool with_trigger = false) {
    guarded(state, [&] {
        const bench_database db(b, with_trigger);
        tabella_probe probe(db);
        const auto rows = static_cast<std::size_t>(state.range(0));
        std::vector<student> objects;
        std::optional<tabella::session> session;
        std::span<student> added;
        run_case(state, probe,
                 {.prepare = [&] { objects = students_of(rows); },
                  .insert =
                      [&] {
                          session.emplace(probe.engine(), options);
                          added = session->add_all(std::move(objects));
                          session->commit();
                      },
                  .keys = [&]() -> inserted_keys {
                      std::vector<std::int64_t> keys;
                      keys.reserve(added.size());
                      for (const auto& s : added) keys.push_back(s.id.value_or(0));
                      return keys;
                  },
                  .cleanup = [&] { session.reset(); }});
    });
}

} // namespace

void register_orm_cases(backend b) {
    for (const auto& c : strategy_cases)
        if (selectable(c.strategy, b))
            add_case(c.name, b, all_row_counts, [b, s = c.strategy](benchmark::State& state) {
                bm_session_flush(state, b, {.strategy = s});
            });
    const std::string name = "BM_session_flush_paged/" + std::string(name_of(b));
    auto* paged = benchmark::RegisterBenchmark(name.c_str(), [b](benchmark::State& state) {
        bm_session_flush(state, b, {.page_size = static_cast<std::size_t>(state.range(1))});
    });
    paged->ArgsProduct(paged_rows_and_pages)->UseRealTime()->Unit(benchmark::kMillisecond);
    // A table whose keys cannot be reserved (a trigger on it): the batched INSERT ...
    // RETURNING the session picks, against one INSERT ... RETURNING per row.
    if (b == backend::mariadb) return; // no key is ever reserved there: the cases above
    static constexpr std::array<std::int64_t, 2> unreservable_rows = {1'000, 10'000};
    add_case("BM_unreservable_session_flush", b, unreservable_rows,
             [b](benchmark::State& state) { bm_session_flush(state, b, {}, true); });
    add_case("BM_unreservable_session_flush_row_by_row", b, unreservable_rows,
             [b](benchmark::State& state) {
                 bm_session_flush(state, b, {.strategy = tabella::insert_strategy::row_by_row},
                                  true);
             });
}

} // namespace tabella_bench
