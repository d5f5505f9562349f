// The MariaDB driver on Connector/C: connections and the session settings tabella relies on.
#include "mariadb_driver.hpp"

#include "mariadb_link.hpp"
#include "mariadb_statement.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"
#include "tabella/mariadb.hpp"

#include <algorithm>
#include <map>

namespace tabella::detail {
namespace {

constexpr std::size_t max_parameters = 65535; // the binary protocol counts them in 16 bits

// Errors are errors: strict mode for every table, no zero dates, no silent engine swap.
// NO_AUTO_VALUE_ON_ZERO stores an explicit key 0 as 0 (not a generated key), and
// SIMULTANEOUS_ASSIGNMENT makes `SET a = b, b = a` swap as standard SQL does. String
// literals in SQL text follow the standard (no backslash escapes); values are bound anyway.
constexpr const char* session_sql_mode =
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO,SIMULTANEOUS_ASSIGNMENT,NO_BACKSLASH_ESCAPES";

class mariadb_connection final : public driver_connection {
  public:
    mariadb_connection(const url& u, const engine_options& opts) : link_(u) {
        set_up_session(opts);
    }

    const dialect& sql_dialect() const noexcept override { return mariadb_dialect(); }
    std::size_t parameter_limit() const override { return limit_; }
    void set_parameter_limit(std::size_t limit) override {
        limit_ = std::min(limit, max_parameters);
    }
    std::unique_ptr<prepared_statement> prepare(std::string sql) override {
        return std::make_unique<mariadb_statement>(link_, std::move(sql));
    }
    void execute_simple(const std::string& sql) override { (void)link_.run_text(sql, nullptr); }
    // No reserve_keys: AUTO_INCREMENT values cannot be reserved ahead of the rows, and
    // LAST_INSERT_ID arithmetic is wrong under innodb_autoinc_lock_mode=2 (a multi-row
    // INSERT's keys may interleave with other sessions'). Keys come back with RETURNING,
    // whose rows come in VALUES order (observed, not documented: the flush checks each
    // returned row against the row sent). InnoDB rolls back the failed statement only,
    // except after a deadlock, and checks foreign keys row by row.
    driver_capabilities capabilities() const noexcept override {
        return {.keeps_transaction_after_error = true,
                .returning = true,
                .returning_in_values_order = true,
                .reserves_keys = false,
                .copy = false,
                .checks_foreign_keys_per_row = true,
                .sequences = true};
    }
    bool reserve_from_sequence(const std::string& sequence, std::size_t count,
                               std::vector<std::int64_t>& out) override;
    bool transaction_active() const noexcept override {
        return !link_.lost() && !link_.ended_by_server();
    }
    bool is_usable() const noexcept override { return !link_.lost(); }

  private:
    void set_up_session(const engine_options& opts);

    mariadb_link link_;
    std::size_t limit_ = max_parameters;
    // Statements that draw from a sequence, by the sequence's name (it is in their text).
    std::map<std::string, std::unique_ptr<mariadb_statement>, std::less<>> draws_;
};

// A block of values in one round trip: NEXTVAL over the Sequence engine's virtual table
// seq_1_to_65536 (an engine built into MariaDB since 10.0), the rows cut by a bound `seq <=
// ?` that the engine reads as a range, so NEXTVAL runs exactly `count` times (checked on
// 10.11). Not a recursive CTE (max_recursive_iterations is 1000 by default), and no
// aggregate over the values (it would call NEXTVAL again per aggregate).
bool mariadb_connection::reserve_from_sequence(const std::string& sequence, std::size_t count,
                                               std::vector<std::int64_t>& out) {
    constexpr std::size_t block = 65536;
    auto it = draws_.find(sequence);
    if (it == draws_.end()) {
        const std::string sql = "SELECT NEXTVAL(" + mariadb_dialect().quote_identifier(sequence) +
                                ") FROM seq_1_to_65536 WHERE seq <= ?";
        it = draws_.emplace(sequence, std::make_unique<mariadb_statement>(link_, sql)).first;
    }
    for (std::size_t done = 0; done < count; done += block) {
        const param_ref params[] = {
            param_ref::of_integer(static_cast<std::int64_t>(std::min(block, count - done)))};
        echo_statement(it->second->sql(), params);
        row_buffer values;
        (void)it->second->execute(params, &values);
        for (const auto& v : values.cells) out.push_back(v.as<std::int64_t>());
    }
    return true;
}

void mariadb_connection::set_up_session(const engine_options& opts) {
    // A lock wait gives up after the engine's busy timeout, as on SQLite (whole seconds).
    // Text compares byte by byte, trailing spaces included, as the dialect's columns do.
    const auto wait = std::max<std::int64_t>(1, (opts.busy_timeout.count() + 999) / 1000);
    const std::string settings = std::string("SET SESSION sql_mode = '") + session_sql_mode +
                                 "', time_zone = '+00:00', autocommit = 1, "
                                 "collation_connection = 'utf8mb4_nopad_bin', "
                                 "innodb_lock_wait_timeout = " +
                                 std::to_string(wait);
    row_buffer rollback_on_timeout;
    try {
        (void)link_.run_text(settings, nullptr);
        (void)link_.run_text("SELECT @@innodb_rollback_on_timeout", &rollback_on_timeout);
    } catch (const error& e) {
        throw connection_error("cannot set up the session on '" + link_.where().masked() +
                               "': " + e.what());
    }
    const auto& cells = rollback_on_timeout.cells;
    link_.set_rollback_on_timeout(cells.size() == 1 && cells[0] == value("1"));
}

} // namespace

std::unique_ptr<driver_connection> open_mariadb(const url& u, const engine_options& opts) {
    return std::make_unique<mariadb_connection>(u, opts);
}

} // namespace tabella::detail
