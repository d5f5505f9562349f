// A connection: executes statements, autocommits outside an explicit transaction.
#pragma once

#include "tabella/export.hpp"
#include "tabella/result.hpp"
#include "tabella/statement.hpp"
#include "tabella/stream.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace tabella {

class dialect;
class transaction;

namespace detail {
class engine_state;
class driver_connection;
class echo_log;
class connection_access;
} // namespace detail

/// One database connection, taken from an engine's pool and returned to it on destruction
/// (rolled back first if a transaction is open). Outside an explicit transaction every
/// execute() runs in its own transaction and commits. Not thread-safe.
class TABELLA_EXPORT connection {
  public:
    connection(std::shared_ptr<detail::engine_state> engine,
               std::unique_ptr<detail::driver_connection> driver);
    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;
    ~connection();

    /// Executes a one-row INSERT (result has inserted_primary_key()) or a multi-VALUES
    /// INSERT (split into several statements past the parameter limit, all or nothing).
    result execute(const insert_statement& stmt);
    /// executemany: the INSERT once per parameter set, reusing one prepared statement;
    /// the result has inserted_primary_key_rows(). All or nothing.
    result execute(const insert_statement& stmt, const std::vector<param_set>& rows);
    /// Executes a SELECT.
    result execute(const select_statement& stmt);
    /// Runs an UPDATE: rowcount() is the count of rows changed; with returning(), the
    /// rows as they are after the update.
    result execute(const update_statement& stmt);
    /// Runs a DELETE: rowcount() is the count of rows deleted; with returning(), the rows
    /// as they were.
    result execute(const delete_statement& stmt);
    /// Executes literal SQL with bound parameters (placeholders in the dialect's style).
    result execute_sql(std::string_view sql, const std::vector<value>& params = {});
    /// Streams the rows of a SELECT, read from the database `batch` rows at a time (see
    /// row_stream): `for (const row& r : conn.stream(students.select(), 1000))`. Throws
    /// usage_error when `batch` is 0; the statement is echoed when it is sent.
    [[nodiscard]] row_stream stream(const select_statement& stmt, std::size_t batch);
    /// The same for literal SQL with bound parameters.
    [[nodiscard]] row_stream stream_sql(std::string_view sql, std::vector<value> params,
                                        std::size_t batch);

    /// Starts a transaction; commit() it, or it rolls back when it goes out of scope.
    /// Inside a transaction, starts a SAVEPOINT instead.
    [[nodiscard]] transaction begin();
    /// Like begin(), for a transaction that will write: on SQLite it takes the write lock at
    /// once (BEGIN IMMEDIATE), so concurrent writers queue on the busy timeout.
    [[nodiscard]] transaction begin_write();
    [[nodiscard]] bool in_transaction() const noexcept { return depth_ > 0; }

    [[nodiscard]] const tabella::dialect& dialect() const noexcept;
    /// The bound-parameter limit statements are chunked to.
    [[nodiscard]] std::size_t parameter_limit() const;
    /// Lowers the parameter limit of this connection (the database enforces it too where
    /// it can), e.g. to see chunking with small data.
    void set_parameter_limit(std::size_t limit);

    /// Throws transaction_rollback when the database has ended the open transaction on
    /// its own: nothing more may be sent in it.
    void require_live_transaction() const;
    /// False once the connection is known to be broken (lost to the server): the pool
    /// drops it when it is returned.
    [[nodiscard]] bool is_usable() const noexcept;
    /// False when the database has ended the open transaction on its own after an error.
    [[nodiscard]] bool transaction_active() const noexcept;

  private:
    friend class transaction;
    friend class detail::connection_access; // the internal gate (statement_runner.hpp)
    [[nodiscard]] const detail::echo_log& echo() const noexcept;
    /// Runs BEGIN / COMMIT / ROLLBACK / SAVEPOINT text, with echo.
    void run_control(const std::string& sql);
    template <class F>
    auto autocommit(F&& work);

    std::shared_ptr<detail::engine_state> engine_;
    std::unique_ptr<detail::driver_connection> driver_;
    int depth_ = 0;
    /// Counts the transactions begun (not SAVEPOINTs): a stream knows its transaction ended.
    std::uint64_t transactions_begun_ = 0;
};

/// An open transaction (or SAVEPOINT when nested). Rolls back on destruction unless
/// committed. Move-only.
class TABELLA_EXPORT transaction {
  public:
    transaction(transaction&& other) noexcept;
    transaction& operator=(transaction&&) = delete;
    ~transaction();

    void commit();
    void rollback();
    [[nodiscard]] bool is_active() const noexcept { return conn_ != nullptr; }

  private:
    friend class connection;
    transaction(connection& conn, int level, bool for_write);
    void finish(bool commit);

    connection* conn_;
    int level_;
};

} // namespace tabella
