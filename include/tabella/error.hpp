// The one error hierarchy of tabella: the same classes on every driver.
#pragma once

#include "tabella/export.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tabella {

/// Base of every error tabella throws.
class TABELLA_EXPORT error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Cannot connect, or the connection was lost. Messages never contain a password.
class TABELLA_EXPORT connection_error : public error {
  public:
    using error::error;
};

/// The database rejected a statement. Carries the SQLSTATE (PostgreSQL's code, or the
/// closest PostgreSQL code for a SQLite error), the driver's native code and the SQL text.
class TABELLA_EXPORT sql_error : public error {
  public:
    sql_error(const std::string& message, std::string sqlstate, int native_code,
              std::string statement);

    /// Five-character SQLSTATE, e.g. "23505"; empty when the driver gives none.
    [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
    /// The driver's own error code (SQLite extended result code; 0 on PostgreSQL).
    [[nodiscard]] int native_code() const noexcept { return native_code_; }
    /// The SQL text of the statement that failed.
    [[nodiscard]] const std::string& statement() const noexcept { return statement_; }

  private:
    std::string sqlstate_;
    int native_code_;
    std::string statement_;
};

/// An integrity constraint failed (SQLSTATE class 23).
class TABELLA_EXPORT constraint_violation : public sql_error {
  public:
    using sql_error::sql_error;
};
/// UNIQUE or PRIMARY KEY constraint failed (23505).
class TABELLA_EXPORT unique_violation : public constraint_violation {
  public:
    using constraint_violation::constraint_violation;
};
/// FOREIGN KEY constraint failed (23503).
class TABELLA_EXPORT foreign_key_violation : public constraint_violation {
  public:
    using constraint_violation::constraint_violation;
};
/// NOT NULL constraint failed (23502).
class TABELLA_EXPORT not_null_violation : public constraint_violation {
  public:
    using constraint_violation::constraint_violation;
};
/// CHECK constraint failed (23514).
class TABELLA_EXPORT check_violation : public constraint_violation {
  public:
    using constraint_violation::constraint_violation;
};

/// The statement is malformed or names something that does not exist (SQLSTATE class 42).
class TABELLA_EXPORT syntax_error : public sql_error {
  public:
    using sql_error::sql_error;
};

/// The transaction was rolled back by the server and may be retried (class 40).
class TABELLA_EXPORT transaction_rollback : public sql_error {
  public:
    using sql_error::sql_error;
};
/// Serialization failure (40001).
class TABELLA_EXPORT serialization_failure : public transaction_rollback {
  public:
    using transaction_rollback::transaction_rollback;
};
/// Deadlock detected (40P01).
class TABELLA_EXPORT deadlock_detected : public transaction_rollback {
  public:
    using transaction_rollback::transaction_rollback;
};

/// A lock could not be taken in time (SQLite's SQLITE_BUSY, PostgreSQL's lock_not_available
/// 55P03): another connection holds it. Retrying the whole transaction can succeed.
class TABELLA_EXPORT lock_timeout : public transaction_rollback {
  public:
    using transaction_rollback::transaction_rollback;
};

/// An UPDATE or DELETE of an object the session tracks matched no row (or, with a version
/// column, a row another transaction has changed). The flush that found it was rolled back.
class TABELLA_EXPORT stale_data_error : public error {
  public:
    using error::error;
};

/// The library was used wrongly: a bad URL, an unknown column, a closed session...
class TABELLA_EXPORT usage_error : public error {
  public:
    using error::error;
};

/// A value does not fit the C++ type or the column type it was asked for.
class TABELLA_EXPORT conversion_error : public error {
  public:
    using error::error;
};

namespace detail {
/// Throws the sql_error subclass that matches `sqlstate` (class 23, 40, 42...).
[[noreturn]] TABELLA_EXPORT void throw_sql_error(const std::string& message,
                                                 const std::string& sqlstate, int native_code,
                                                 const std::string& statement);
} // namespace detail

} // namespace tabella
