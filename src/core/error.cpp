// Error construction and the mapping from SQLSTATE to the error classes.
#include "tabella/error.hpp"

#include <string_view>

namespace tabella {

sql_error::sql_error(const std::string& message, std::string sqlstate, int native_code,
                     std::string statement)
    : error(message), sqlstate_(std::move(sqlstate)), native_code_(native_code),
      statement_(std::move(statement)) {}

namespace detail {

void throw_sql_error(const std::string& message, const std::string& sqlstate, int native_code,
                     const std::string& statement) {
    const std::string_view s = sqlstate;
    if (s == "23505") throw unique_violation(message, sqlstate, native_code, statement);
    if (s == "23503") throw foreign_key_violation(message, sqlstate, native_code, statement);
    if (s == "23502") throw not_null_violation(message, sqlstate, native_code, statement);
    if (s == "23514") throw check_violation(message, sqlstate, native_code, statement);
    if (s.starts_with("23")) throw constraint_violation(message, sqlstate, native_code, statement);
    if (s == "40001") throw serialization_failure(message, sqlstate, native_code, statement);
    if (s == "40P01") throw deadlock_detected(message, sqlstate, native_code, statement);
    if (s == "55P03") throw lock_timeout(message, sqlstate, native_code, statement);
    if (s.starts_with("40")) throw transaction_rollback(message, sqlstate, native_code, statement);
    if (s.starts_with("42")) throw syntax_error(message, sqlstate, native_code, statement);
    throw sql_error(message, sqlstate, native_code, statement);
}

} // namespace detail
} // namespace tabella
