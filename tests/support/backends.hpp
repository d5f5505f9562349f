// The databases every behaviour test runs against. A test suite is written once and
// instantiated for each backend (typed GoogleTest fixtures).
#pragma once

#include <tabella/dialect.hpp>
#include <tabella/engine.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace tabella::testing {

/// A SQLite database file in a fresh temporary directory.
struct sqlite_file {
    static constexpr const char* name = "sqlite_file";
    static std::string url();
};

/// An in-memory SQLite database.
struct sqlite_memory {
    static constexpr const char* name = "sqlite_memory";
    static std::string url() { return "sqlite://"; }
};

/// The PostgreSQL server named by TABELLA_TEST_POSTGRES_DSN (skipped when unset, failed
/// when TABELLA_REQUIRE_POSTGRES=1).
struct postgres {
    static constexpr const char* name = "postgres";
    static std::string url();
};

/// The MariaDB server named by TABELLA_TEST_MARIADB_DSN (skipped when unset, failed when
/// TABELLA_REQUIRE_MARIADB=1). Each url() names a database of its own.
struct mariadb {
    static constexpr const char* name = "mariadb";
    static std::string url();
};

/// Base fixture: an engine on the backend, tables dropped before and after each test.
template <class Backend>
class backend_test : public ::testing::Test {
  protected:
    void SetUp() override {
        url_ = Backend::url();
        if (url_.empty()) GTEST_SKIP() << Backend::name << ": no database configured";
    }

    /// An engine on this test's database; echo lines are appended to echo_lines_.
    tabella::engine make_engine(bool echo = false) {
        tabella::engine_options opts;
        opts.echo = echo;
        opts.echo_sink = [this](std::string_view line) { echo_lines_.emplace_back(line); };
        return tabella::create_engine(url_, std::move(opts));
    }

    /// Drops `tables` (children first) on a fresh connection.
    void drop_tables(tabella::engine& eng, const std::vector<std::string>& tables);

    std::string url_;
    std::vector<std::string> echo_lines_;
};

template <class Backend>
void backend_test<Backend>::drop_tables(tabella::engine& eng,
                                        const std::vector<std::string>& tables) {
    auto conn = eng.connect();
    for (const auto& t : tables)
        conn.execute_sql("DROP TABLE IF EXISTS " + conn.dialect().quote_identifier(t));
}

using all_backends = ::testing::Types<sqlite_file, sqlite_memory, postgres, mariadb>;

} // namespace tabella::testing
