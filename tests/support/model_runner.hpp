// One seed of the randomized session test: a random sequence of session operations and
// injected faults, each followed by a comparison of the database (read with its own
// client library) and of every object the test holds with the model of docs/session.md.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace tabella::testing::model {

enum class backend_kind { sqlite_file, sqlite_memory, postgres, mariadb };

struct run_config {
    backend_kind backend = backend_kind::sqlite_file;
    /// The seed's database: a fresh file, `sqlite://?memdb=/<name>`, or the test's schema
    /// or (MariaDB) database.
    std::string url;
    /// postgres: TABELLA_TEST_POSTGRES_DSN, for the libpq checker.
    std::string postgres_dsn;
    std::uint64_t seed = 1;
    int steps = 60;
    /// Operations left out (TABELLA_MODEL_SKIP), by the names of operation_names().
    std::set<std::string> skip;
};

struct run_result {
    bool failed = false;
    /// On failure: the seed, what broke which rule, the numbered operations, the last SQL.
    std::string report;
    /// One line: operations and faults run.
    std::string summary;
    /// The numbered operations, one a line.
    std::string operations;
};

[[nodiscard]] run_result run_seed(const run_config& cfg);

/// The operations the generator picks from.
[[nodiscard]] std::vector<std::string> operation_names();

} // namespace tabella::testing::model
