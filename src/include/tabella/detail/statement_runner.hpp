// The one path by which Core and the ORM send statements to a driver.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/detail/echo.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tabella::detail {

/// The call gate to a connection's internals, for Core and the ORM only (as libpqxx's
/// gates): the driver, the echo log and control statements leave the public API.
class connection_access {
  public:
    [[nodiscard]] static driver_connection& driver(connection& c) noexcept { return *c.driver_; }
    [[nodiscard]] static const driver_connection& driver(const connection& c) noexcept {
        return *c.driver_;
    }
    [[nodiscard]] static const echo_log& echo(const connection& c) noexcept { return c.echo(); }
    /// Runs BEGIN / COMMIT / ROLLBACK / SAVEPOINT or other text outside the implicit
    /// transaction of execute_sql, with echo.
    static void run_control(connection& c, const std::string& sql) { c.run_control(sql); }
    /// The count of transactions `c` has begun, the open one included.
    [[nodiscard]] static std::uint64_t transactions_begun(const connection& c) noexcept {
        return c.transactions_begun_;
    }
    static void set_inserted_keys(result& r, std::vector<row> keys) {
        r.set_inserted_keys(std::move(keys));
    }
};

/// connection::execute_sql without the result: the rows stay flat in `out` (the ORM's
/// load path reads, and moves from, its cells). Returns the count of rows changed.
std::int64_t execute_rows(connection& conn, std::string_view sql, const std::vector<value>& params,
                          row_buffer& out);
/// The same, handing each row to `sink` as the driver reads it, never holding the whole
/// result where the driver can help it.
std::int64_t execute_each(connection& conn, std::string_view sql, const std::vector<value>& params,
                          row_sink& sink);
/// The same with a statement prepared on `conn` (and kept) by the caller.
std::int64_t execute_each(connection& conn, prepared_statement& stmt,
                          std::span<const param_ref> params, row_sink& sink);

/// Sends statements for one unit of work (a flush, an insert): every statement is echoed
/// exactly as sent, refused inside a transaction the database has ended, kept within the
/// parameter limit, and prepared once per distinct text while the runner lives.
class statement_runner {
  public:
    explicit statement_runner(connection& conn);

    [[nodiscard]] connection& conn() const noexcept { return conn_; }
    [[nodiscard]] const dialect& sql_dialect() const noexcept { return driver_.sql_dialect(); }
    [[nodiscard]] const driver_capabilities& capabilities() const noexcept { return caps_; }
    [[nodiscard]] std::size_t parameter_limit() const { return driver_.parameter_limit(); }
    [[nodiscard]] const echo_log& echo() const noexcept { return echo_; }

    /// The statement for `sql`, prepared at its first use by this runner.
    [[nodiscard]] prepared_statement& prepare(const std::string& sql);
    /// Runs `stmt` once with `params`, appending the rows it returns to `out`. Returns the
    /// count of rows it changed.
    std::int64_t run(prepared_statement& stmt, std::span<const param_ref> params,
                     row_buffer* out = nullptr);
    /// Runs `stmt` once with `params`, handing each row it returns to `sink` as it is read
    /// (prepared_statement::execute_each).
    std::int64_t run_each(prepared_statement& stmt, std::span<const param_ref> params,
                          row_sink& sink);
    /// Runs `stmt` once per `width`-wide set of `flat` (executemany), echoed as one
    /// statement with its parameter sets; `each` sees every set's index and returned rows.
    std::int64_t run_many(prepared_statement& stmt, std::span<const param_ref> flat,
                          std::size_t width,
                          const std::function<void(std::size_t, const row_buffer&)>& each);
    /// Sends rows with COPY (capabilities().copy), echoing the columns and the row count.
    /// Returns the count of rows the database stored.
    std::int64_t copy(const std::string& table, std::span<const std::string> columns,
                      std::span<const param_ref> flat);
    /// See driver_connection::reserve_keys (its statements are echoed by the driver).
    bool reserve_keys(const std::string& table, const std::string& key_column, std::size_t count,
                      std::int64_t above, std::vector<std::int64_t>& out);
    /// See driver_connection::reserve_from_sequence; throws usage_error where the driver has
    /// no sequences, and error when it hands out fewer than `count` values.
    void reserve_from_sequence(const std::string& sequence, std::size_t count,
                               std::vector<std::int64_t>& out);
    /// True when a failed statement has left the transaction open and usable.
    [[nodiscard]] bool transaction_survives_errors() const noexcept;

  private:
    void check_before_sending(std::size_t params) const;

    connection& conn_;
    driver_connection& driver_;
    const echo_log& echo_;
    driver_capabilities caps_;
    std::map<std::string, std::unique_ptr<prepared_statement>, std::less<>> statements_;
};

} // namespace tabella::detail
