// The PostgreSQL driver's connection and statements (libpqxx 6.4), shared by the files that
// implement them: postgres_driver.cpp (connection) and postgres_cursor.cpp (streaming).
#pragma once

#include "postgres_values.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/url.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tabella::detail {

inline constexpr std::size_t max_parameters = 65535; // the wire protocol counts them in 16 bits

class pg_connection final : public driver_connection {
  public:
    /// Connects to `u`; throws connection_error (never showing the password).
    explicit pg_connection(const url& u);
    pg_connection(const pg_connection&) = delete;
    pg_connection& operator=(const pg_connection&) = delete;
    ~pg_connection() override = default;

    const dialect& sql_dialect() const noexcept override;
    std::size_t parameter_limit() const override { return limit_; }
    void set_parameter_limit(std::size_t limit) override {
        limit_ = std::min(limit, max_parameters);
    }
    std::unique_ptr<prepared_statement> prepare(std::string sql) override;
    void execute_simple(const std::string& sql) override;
    driver_capabilities capabilities() const noexcept override {
        // RETURNING's row order is not documented: generated keys are reserved instead.
        return {.keeps_transaction_after_error = false,
                .returning = true,
                .returning_in_values_order = false,
                .reserves_keys = true,
                .copy = counts_rows_,
                .checks_foreign_keys_per_row = false,
                .sequences = true};
    }
    // A sequence never hands a value out twice: `above` needs no check.
    bool reserve_keys(const std::string& table, const std::string& key_column, std::size_t count,
                      std::int64_t above, std::vector<std::int64_t>& out) override;
    bool reserve_from_sequence(const std::string& sequence, std::size_t count,
                               std::vector<std::int64_t>& out) override;
    std::int64_t copy_rows(const std::string& table, std::span<const std::string> columns,
                           std::span<const param_ref> flat) override;
    bool is_usable() const noexcept override { return !lost_ && conn_->is_open(); }
    // The server rolls back the transaction of a connection it lost.
    bool transaction_active() const noexcept override { return is_usable(); }

    /// Runs `sql` once with `params`. `name` is the statement's server-side name, given
    /// (and the statement prepared) at its second execution; the first runs unnamed.
    pqxx::result run(const std::string& sql, std::string& name, std::span<const param_ref> params,
                     bool first);
    /// Drops the server-side statement `name` (no-op for "").
    void forget(const std::string& name) noexcept;
    /// Runs `sql` with `params` (unprepared), failures mapped as every statement's are.
    pqxx::result run_once(const std::string& sql, std::span<const param_ref> params);
    /// Echoes a statement a cursor runs on its own (FETCH, CLOSE).
    void echo_own(std::string_view sql) const { echo_statement(sql); }
    /// A name for a new server-side cursor, unique on this connection.
    [[nodiscard]] std::string next_cursor_name() {
        return "tabella_cursor_" + std::to_string(++cursor_count_);
    }

  private:
    template <class F>
    pqxx::result guarded(const std::string& sql, F&& work);
    [[noreturn]] void lose(const char* why);
    void set_up_session();
    void deallocate_orphans() noexcept;
    /// Rows inserted into `table` in this transaction so far.
    std::int64_t inserted_rows(const std::string& table);

    url url_;
    std::unique_ptr<pqxx::connection> conn_;
    // tabella sends BEGIN / COMMIT / SAVEPOINT itself: a nontransaction runs every
    // statement as it is, without libpqxx's own transaction around it.
    pqxx::nontransaction tx_;
    std::size_t limit_ = max_parameters;
    std::uint64_t statement_count_ = 0;
    std::uint64_t cursor_count_ = 0;
    std::vector<std::string> orphans_; // prepared statements whose DEALLOCATE failed
    bool lost_ = false;
    std::unique_ptr<prepared_statement> reserve_statement_; // prepared once per connection
    std::unique_ptr<prepared_statement> sequence_statement_;
    std::unique_ptr<prepared_statement> inserted_statement_;
    bool counts_rows_ = true; ///< track_counts is on: COPY's rows can be counted
};

class pg_statement final : public prepared_statement {
  public:
    pg_statement(pg_connection& conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}
    pg_statement(const pg_statement&) = delete;
    pg_statement& operator=(const pg_statement&) = delete;
    ~pg_statement() override { conn_.forget(name_); }

    std::int64_t execute(std::span<const param_ref> params, row_buffer* out) override {
        const pqxx::result r = conn_.run(sql_, name_, params, executions_++ == 0);
        if (out) read_postgres_rows(r, *out);
        return static_cast<std::int64_t>(r.affected_rows());
    }
    /// libpq hands over the whole result; its rows are decoded a batch at a time.
    std::int64_t execute_batched(std::span<const param_ref> params, row_buffer& buffer,
                                 std::size_t batch,
                                 const std::function<void(row_buffer&)>& sink) override {
        const pqxx::result r = conn_.run(sql_, name_, params, executions_++ == 0);
        buffer.cells.clear();
        read_postgres_rows(r, buffer, batch, sink);
        return static_cast<std::int64_t>(r.affected_rows());
    }
    std::int64_t execute_each(std::span<const param_ref> params, row_sink& sink) override {
        const pqxx::result r = conn_.run(sql_, name_, params, executions_++ == 0);
        read_postgres_rows(r, sink);
        return static_cast<std::int64_t>(r.affected_rows());
    }
    /// A server-side cursor (DECLARE ... CURSOR, FETCH FORWARD n) in the open transaction.
    std::unique_ptr<row_cursor> open(std::span<const param_ref> params) override;
    const std::string& sql() const noexcept override { return sql_; }

  private:
    pg_connection& conn_;
    std::string sql_;
    std::string name_;
    std::size_t executions_ = 0;
};

} // namespace tabella::detail
