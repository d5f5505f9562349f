// A model-based randomized test of the session against docs/session.md. Each seed runs a
// random sequence of add / add_all (generated keys, new preset keys, keys of existing rows:
// a unique_violation that must fail its flush atomically, row switches), member and key
// changes, remove, expunge, flush, commit, rollback, nested transactions, queries, get, and
// injected faults (PostgreSQL: the session's backend terminated from another connection;
// MariaDB: the session's connection killed; SQLite: a full database). After every step
// the committed rows, read with sqlite3, libpq or Connector/C (never tabella), and the
// state and members of every object the test holds are compared with the model
// (tests/support/model_session.hpp), which applies the contract's rules, and get() of
// every held row must return its object without flushing (the identity map). The first
// step that differs fails the seed with its numbered operations.
//
// Where docs/session.md leaves the outcome open the generator does not go (the model's
// ambiguity() and may_*() say why): get() of a removed, unflushed object; commit() or
// rollback() with nested transactions open; a lost transaction with nested transactions
// open or with objects inserted and removed in it; key changes of objects inserted in the
// open transaction; collisions whose outcome depends on the order of statements in a
// flush; expunge of a row written in the open transaction (a later load of that row would
// make rollback's "untouched objects are left alone" and "every persistent object holds
// what its row holds" disagree). A key change onto a tracked row may be refused with
// usage_error before anything is sent (as orm_keys_test allows) instead of the database's
// unique_violation; a COMMIT lost with nothing to flush may follow either the rollback
// rule or the lost-transaction rule. Everything else is checked exactly.
//
// Environment:
//   TABELLA_MODEL_SEED=<n>     replay seed n alone (or, with TABELLA_MODEL_SEEDS, the first)
//   TABELLA_MODEL_SEEDS=<k>    run k seeds (default: seeds 1..20, then the regression seeds)
//   TABELLA_MODEL_STEPS=<n>    operations a seed (default 80)
//   TABELLA_MODEL_SKIP=a,b     leave operations out (names: model::operation_names())
//   TABELLA_MODEL_VERBOSE=1    print a summary line per seed (2: and its operations)
//
// sqlite_memory runs on a named memdb database (`sqlite://?memdb=/<name>`, a documented
// URL option), which the sqlite3 checker opens by the same name. A memdb writer keeps
// readers out while it holds its RESERVED lock, so there the committed rows can only be
// read when the session has no open write transaction; steps where they cannot be read
// are counted and skipped, and after every commit and rollback a read must succeed.
#include "../support/backends.hpp"
#include "../support/model_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace tabella::testing {
namespace {

std::optional<std::uint64_t> env_number(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    return std::stoull(v);
}

std::set<std::string> env_skip() {
    std::set<std::string> out;
    const char* v = std::getenv("TABELLA_MODEL_SKIP");
    std::stringstream in(v ? v : "");
    for (std::string name; std::getline(in, name, ',');)
        if (!name.empty()) out.insert(name);
    return out;
}

template <class B>
class orm_model : public backend_test<B> {
  protected:
    static model::backend_kind kind() {
        if constexpr (std::is_same_v<B, sqlite_file>) return model::backend_kind::sqlite_file;
        if constexpr (std::is_same_v<B, sqlite_memory>) return model::backend_kind::sqlite_memory;
        if constexpr (std::is_same_v<B, mariadb>) return model::backend_kind::mariadb;
        return model::backend_kind::postgres;
    }
    /// The database of one seed: a fresh file, a fresh memdb, or this test's schema (the
    /// runner drops and creates the table).
    std::string seed_url() const {
        if constexpr (std::is_same_v<B, sqlite_file>) return sqlite_file::url();
        if constexpr (std::is_same_v<B, sqlite_memory>) {
            static int counter = 0;
            return "sqlite://?memdb=/tabella-model-" + std::to_string(::getpid()) + "-" +
                   std::to_string(counter++);
        }
        return this->url_;
    }
};

using model_backends = ::testing::Types<sqlite_file, sqlite_memory, postgres, mariadb>;
TYPED_TEST_SUITE(orm_model, model_backends);

/// Seeds of longer runs that found a defect, with their step counts; run after the fixed
/// seeds on every backend (a seed's operations depend only on it and on the keys the
/// database generates).
struct regression_seed {
    std::uint64_t seed;
    int steps;
};
constexpr regression_seed regression_seeds[] = {
    // The identity map lost a row's key when a rollback or a lost transaction put a
    // row-switched row back into the map next to a row loaded in the transaction.
    {77072, 200},  // postgres: after the backend was killed
    {100978, 150}, // postgres
    {100997, 150}, // sqlite: get() returned an object detached by a nested rollback
    // The model once required a row switch's removed object to hold its loaded key.
    {100343, 150},
    {100603, 150},
};

TYPED_TEST(orm_model, random_operations_and_faults_follow_the_session_contract) {
    const auto one = env_number("TABELLA_MODEL_SEED");
    const auto seeds = env_number("TABELLA_MODEL_SEEDS").value_or(one ? 1 : 20);
    const auto first = one.value_or(1);
    const int steps = static_cast<int>(env_number("TABELLA_MODEL_STEPS").value_or(80));
    const auto verbose = env_number("TABELLA_MODEL_VERBOSE").value_or(0);
    const auto skip = env_skip();
    for (const auto& name : skip) {
        const auto known = model::operation_names();
        if (std::find(known.begin(), known.end(), name) == known.end())
            ADD_FAILURE() << "TABELLA_MODEL_SKIP: no operation named " << name;
    }
    const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN");
    const auto start = std::chrono::steady_clock::now();
    std::vector<regression_seed> runs;
    for (std::uint64_t seed = first; seed < first + seeds; ++seed) runs.push_back({seed, steps});
    const bool fixed_set = !one && !env_number("TABELLA_MODEL_SEEDS");
    if (fixed_set)
        runs.insert(runs.end(), std::begin(regression_seeds), std::end(regression_seeds));
    int failed = 0;
    for (const auto& [seed, seed_steps] : runs) {
        model::run_config cfg;
        cfg.backend = this->kind();
        cfg.url = this->seed_url();
        cfg.postgres_dsn = dsn ? dsn : "";
        cfg.seed = seed;
        cfg.steps = seed_steps;
        cfg.skip = skip;
        const auto res = model::run_seed(cfg);
        if (verbose) std::cout << res.summary << '\n' << (verbose > 1 ? res.operations : "");
        if (res.failed) {
            ++failed;
            ADD_FAILURE()
                << res.report << "\nreplay: TABELLA_MODEL_SEED=" << seed
                << " TABELLA_MODEL_STEPS=" << seed_steps << " tabella_model_tests --gtest_filter='"
                << ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name()
                << ".*'";
        }
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << TypeParam::name << ": " << seeds << " seeds x " << steps << " steps from seed "
              << first << (fixed_set ? " and the regression seeds" : "") << ", " << failed
              << " failed, " << took.count() << " s\n";
}

} // namespace
} // namespace tabella::testing
