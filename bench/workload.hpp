// The benchmark workload: the students table, the rows every case inserts, and where a
// benchmark run writes them (a SQLite file of its own, this process's PostgreSQL schema, or
// this process's MariaDB database).
#pragma once

#include <tabella/metadata.hpp>
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tabella_bench {

/// The mapped struct of the ORM cases.
struct student {
    BOOST_HANA_DEFINE_STRUCT(student, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::string, lastname), (int, age), (double, score));
};

/// The values of row i, as a program holds them before inserting: name<i>, last<i>,
/// i % 90, i * 0.5.
struct row_values {
    std::string name;
    std::string lastname;
    int age = 0;
    double score = 0;
};

/// Rows 0..count-1, built once per count and kept for the whole run.
[[nodiscard]] const std::vector<row_values>& rows_of(std::size_t count);

/// The same rows as unsaved student objects (no key).
[[nodiscard]] std::vector<student> students_of(std::size_t count);

/// `students(id, name, lastname, age, score)` as Core metadata; the ORM maps the same table.
[[nodiscard]] const tabella::table& students_table();

/// The databases the cases run on.
enum class backend { sqlite, postgres, mariadb };

[[nodiscard]] std::string_view name_of(backend b) noexcept;

/// Where one benchmark run writes. SQLite: a fresh file database (default journal mode)
/// in a temporary directory that the destructor removes. PostgreSQL: the server named by
/// TABELLA_TEST_POSTGRES_DSN, inside a schema of this process (see postgres_schema).
/// MariaDB: the server named by TABELLA_TEST_MARIADB_DSN, in a database of this process
/// (see mariadb_database). Throws std::runtime_error when the server's DSN is not set.
class bench_database {
  public:
    /// `with_trigger`: students gets a trigger that changes nothing (SQLite: AFTER INSERT,
    /// PostgreSQL: BEFORE INSERT returning NEW), so the session cannot reserve its keys.
    explicit bench_database(backend b, bool with_trigger = false);
    bench_database(const bench_database&) = delete;
    bench_database& operator=(const bench_database&) = delete;
    ~bench_database();

    [[nodiscard]] backend kind() const noexcept { return kind_; }
    /// The URL for tabella::create_engine.
    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    /// SQLite: the database file. PostgreSQL: a libpq connection URI. MariaDB: url() (its
    /// parts from tabella::parse_url).
    [[nodiscard]] const std::string& native_target() const noexcept { return native_; }
    /// DROP TABLE IF EXISTS students; CREATE TABLE students (...), in this dialect.
    [[nodiscard]] std::vector<std::string> recreate_table_sql() const;
    /// Empties students so the next insert starts from an empty table and key 1.
    [[nodiscard]] std::string empty_table_sql() const;

  private:
    backend kind_;
    bool with_trigger_;
    std::filesystem::path dir_;
    std::string url_;
    std::string native_;
};

/// The PostgreSQL DSN from TABELLA_TEST_POSTGRES_DSN, or nullopt when unset.
[[nodiscard]] std::optional<std::string> postgres_dsn();

/// The schema the PostgreSQL cases write into, so that a DSN pointing at a real database
/// never sees its own `students` table touched. Created by create_postgres_schema() and
/// dropped by drop_postgres_schema() (both with tabella's driver).
[[nodiscard]] const std::string& postgres_schema();
void create_postgres_schema();
void drop_postgres_schema() noexcept;

/// The MariaDB DSN from TABELLA_TEST_MARIADB_DSN, or nullopt when unset.
[[nodiscard]] std::optional<std::string> mariadb_dsn();

/// The database the MariaDB cases write into (MariaDB's schemas are databases), for the
/// same reason as postgres_schema. Created by create_mariadb_database() and dropped by
/// drop_mariadb_database() (both with tabella's driver).
[[nodiscard]] const std::string& mariadb_database();
void create_mariadb_database();
void drop_mariadb_database() noexcept;

} // namespace tabella_bench

template <>
struct tabella::table_traits<tabella_bench::student> {
    static constexpr std::string_view name = "students";
};
