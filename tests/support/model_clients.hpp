// What the model test uses besides tabella: the databases' own client libraries (sqlite3,
// libpq, Connector/C) to read the committed rows of `students` and to end the session's
// connection,
// and SQLite hooks that tell whether SQLite itself rolled a transaction back.
#pragma once

#include "model_session.hpp"

#include <optional>
#include <string>

struct sqlite3;

namespace tabella::testing::model {

/// A raw sqlite3 connection to the test's database.
class sqlite_reader {
  public:
    /// `path`: a file, or `file:/name?vfs=memdb` for a named in-memory database.
    explicit sqlite_reader(const std::string& path);
    sqlite_reader(const sqlite_reader&) = delete;
    sqlite_reader& operator=(const sqlite_reader&) = delete;
    ~sqlite_reader();

    /// The committed rows; nullopt with `*busy` set when a writer's lock keeps readers
    /// out, nullopt with `*error` set on any other failure.
    std::optional<table> rows(bool* busy, std::string* error);

  private:
    sqlite3* db_ = nullptr;
};

/// Hooks on every SQLite connection this process opens (sqlite3_auto_extension): the
/// statement each one started last, and whether SQLite rolled back a transaction while a
/// statement other than ROLLBACK ran, i.e. ended the transaction itself (SQLITE_FULL in
/// a statement without a statement journal, an I/O error...).
namespace sqlite_watch {
void install();
/// A statement text; the connection that runs it becomes the watched one.
std::string new_marker();
/// True once a connection has run `marker`.
bool watching(const std::string& marker);
void clear_ended();
bool ended_by_database();
} // namespace sqlite_watch

#ifdef TABELLA_MODEL_WITH_LIBPQ
/// A libpq connection to the test's PostgreSQL database and schema.
class pg_client {
  public:
    /// `dsn`: TABELLA_TEST_POSTGRES_DSN; `options`: the test URL's libpq options
    /// (-csearch_path=<schema>).
    pg_client(const std::string& dsn, const std::string& options);
    pg_client(const pg_client&) = delete;
    pg_client& operator=(const pg_client&) = delete;
    ~pg_client();

    [[nodiscard]] bool ok(std::string* error) const;
    std::optional<table> rows(std::string* error);
    /// Terminates every backend named `application_name`, waiting for each to end;
    /// returns how many there were, or -1 with `*error` set.
    int terminate(const std::string& application_name, std::string* error);

  private:
    void* conn_ = nullptr; // PGconn*, kept out of this header
};
#endif

#ifdef TABELLA_MODEL_WITH_MARIADB
/// A Connector/C connection to the test's MariaDB database (its own database per test).
class mariadb_client {
  public:
    /// `url`: the test's mariadb:// URL.
    explicit mariadb_client(const std::string& url);
    mariadb_client(const mariadb_client&) = delete;
    mariadb_client& operator=(const mariadb_client&) = delete;
    ~mariadb_client();

    [[nodiscard]] bool ok(std::string* error) const;
    std::optional<table> rows(std::string* error);
    /// Kills every other connection to the test's database (the session's), waiting until
    /// each has ended; returns how many, or -1 with `*error` set.
    int kill_others(std::string* error);

  private:
    void* conn_ = nullptr; // MYSQL*, kept out of this header
    std::string error_;
};
#endif

} // namespace tabella::testing::model
