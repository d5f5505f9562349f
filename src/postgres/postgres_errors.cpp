// libpqxx exceptions to tabella errors: SQLSTATE to class via throw_sql_error.
#include "postgres_errors.hpp"

#include "postgres_conninfo.hpp"
#include "tabella/error.hpp"

namespace tabella::detail {

std::string sqlstate_of(const pqxx::failure& e) {
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return sql->sqlstate();
    // Most specific classes first: they derive from transaction_rollback.
    if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
    if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
    if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) return "40003";
    if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) return "40000";
    return {};
}

void throw_postgres_error(const pqxx::failure& e, const std::string& sql, const url& u) {
    const std::string shown = sql.size() > 200 ? sql.substr(0, 200) + "..." : sql;
    const std::string message =
        "postgresql: " + clean_message(e.what(), u) + " [" + hide_password(shown, u) + "]";
    throw_sql_error(message, sqlstate_of(e), 0, sql);
}

} // namespace tabella::detail
