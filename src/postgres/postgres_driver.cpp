// The PostgreSQL driver on libpqxx 6.4: connections and statements with bound parameters.
#include "postgres_connection.hpp"
#include "postgres_conninfo.hpp"
#include "postgres_errors.hpp"
#include "postgres_keys.hpp"
#include "postgres_register.hpp"
#include "postgres_values.hpp"
#include "tabella/detail/driver.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"
#include "tabella/postgres.hpp"
#include "tabella/url.hpp"

#include <pqxx/prepared_statement>
#include <pqxx/tablewriter>

#include <algorithm>
#include <stdexcept>

namespace tabella::detail {
namespace {

std::unique_ptr<pqxx::connection> open_connection(const url& u) {
    const std::string conninfo = postgres_conninfo(u);
    try {
        return std::make_unique<pqxx::connection>(conninfo);
    } catch (const pqxx::failure& e) {
        throw connection_error("cannot connect to '" + postgres_url_for_messages(u) +
                               "': " + clean_message(e.what(), u));
    }
}

} // namespace

pg_connection::pg_connection(const url& u) : url_(u), conn_(open_connection(u)), tx_(*conn_) {
    set_up_session();
}

const dialect& pg_connection::sql_dialect() const noexcept {
    return postgresql_dialect();
}

void pg_connection::execute_simple(const std::string& sql) {
    (void)guarded(sql, [&] { return tx_.exec(sql); });
    deallocate_orphans();
}

pqxx::result pg_connection::run_once(const std::string& sql, std::span<const param_ref> params) {
    check_postgres_params(params);
    const auto values = pqxx::prepare::make_dynamic_params(params.begin(), params.end());
    return guarded(sql, [&] { return tx_.exec_params(sql, values); });
}

std::unique_ptr<prepared_statement> pg_connection::prepare(std::string sql) {
    return std::make_unique<pg_statement>(*this, std::move(sql));
}

// A statement run once costs one round trip (PQexecParams, nothing to deallocate); one run
// again is prepared under a unique name at its second execution and reused from then on.
pqxx::result pg_connection::run(const std::string& sql, std::string& name,
                                std::span<const param_ref> params, bool first) {
    if (params.size() > limit_)
        throw usage_error("statement binds " + std::to_string(params.size()) +
                          " parameters, more than the connection's limit of " +
                          std::to_string(limit_) + " [" + sql.substr(0, 200) + "]");
    check_postgres_params(params);
    const auto values = pqxx::prepare::make_dynamic_params(params.begin(), params.end());
    return guarded(sql, [&] {
        if (first) return tx_.exec_params(sql, values);
        if (name.empty()) {
            name = "tabella_" + std::to_string(++statement_count_);
            conn_->prepare(name, sql);
        }
        return tx_.exec_prepared(name, values);
    });
}

// nextval hands each value out once, whatever other sessions do, so the keys are ours. A
// key without a sequence has nothing to reserve from, and explicit keys may not reach the
// table as sent (explicit_keys_are_kept): then no rows come back, and the caller falls back
// to RETURNING. (Explicit keys that rows brought themselves do not move the sequence:
// PostgreSQL's rule, not changed here.)
bool pg_connection::reserve_keys(const std::string& table, const std::string& key_column,
                                 std::size_t count, std::int64_t, std::vector<std::int64_t>& out) {
    if (count == 0) return true;
    // pg_get_serial_sequence reads its first argument as SQL text: quoted when needed.
    const std::string relation = postgresql_dialect().quote_identifier(table);
    const param_ref params[] = {param_ref::of_text(relation), param_ref::of_text(key_column),
                                param_ref::of_integer(static_cast<std::int64_t>(count))};
    row_buffer keys;
    if (!reserve_statement_)
        reserve_statement_ = std::make_unique<pg_statement>(*this, reserve_keys_sql());
    echo_statement(reserve_statement_->sql(), params);
    reserve_statement_->execute(params, &keys);
    if (!read_reserved_keys(keys, count, out)) return false;
    echo_statement("-- " + table + "." + key_column + ": keys reserved from sequence " +
                   keys.cells[3].as<std::string>());
    return true;
}

bool pg_connection::reserve_from_sequence(const std::string& sequence, std::size_t count,
                                          std::vector<std::int64_t>& out) {
    if (count == 0) return true;
    // The regclass cast reads SQL text: the name is quoted when needed.
    const std::string name = postgresql_dialect().quote_identifier(sequence);
    const param_ref params[] = {param_ref::of_text(name),
                                param_ref::of_integer(static_cast<std::int64_t>(count))};
    row_buffer keys;
    if (!sequence_statement_)
        sequence_statement_ = std::make_unique<pg_statement>(*this, reserve_from_sequence_sql());
    echo_statement(sequence_statement_->sql(), params);
    sequence_statement_->execute(params, &keys);
    return read_reserved_keys(keys, count, out);
}

// COPY FROM STDIN. libpqxx 6.4's stream_to takes only tuples, so the rows are written as
// lines of COPY's text format through tablewriter, each value converted by the same
// string_traits<param_ref> as a bound parameter, then escaped.
std::int64_t pg_connection::copy_rows(const std::string& table,
                                      std::span<const std::string> columns,
                                      std::span<const param_ref> flat) {
    const dialect& d = postgresql_dialect();
    std::vector<std::string> quoted;
    for (const auto& c : columns) quoted.push_back(d.quote_identifier(c));
    const std::string sql = "COPY " + d.quote_identifier(table) + " FROM STDIN";
    check_postgres_params(flat);
    const std::size_t width = columns.size();
    const std::int64_t before = inserted_rows(table);
    (void)guarded(sql, [&] {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        pqxx::tablewriter writer(tx_, d.quote_identifier(table), quoted.begin(), quoted.end());
#pragma GCC diagnostic pop
        std::string line;
        for (std::size_t i = 0; i + width <= flat.size(); i += width) {
            line.clear();
            for (std::size_t c = 0; c < width; ++c) {
                if (c) line += '\t';
                append_copy_field(line, flat[i + c]);
            }
            writer.write_raw_line(line);
        }
        writer.complete();
        return pqxx::result();
    });
    return inserted_rows(table) - before;
}

// libpqxx 6.4 drops COPY's command tag, so the rows COPY stored are counted by the
// server's per-transaction statistics of the table (rows a trigger skipped are not
// counted). Needs track_counts, checked when the connection opens.
std::int64_t pg_connection::inserted_rows(const std::string& table) {
    if (!inserted_statement_)
        inserted_statement_ = std::make_unique<pg_statement>(
            *this, "SELECT pg_stat_get_xact_tuples_inserted($1::text::regclass)");
    const std::string relation = postgresql_dialect().quote_identifier(table);
    const param_ref params[] = {param_ref::of_text(relation)};
    row_buffer count;
    echo_statement(inserted_statement_->sql(), params);
    (void)inserted_statement_->execute(params, &count);
    return count.cells.at(0).as<std::int64_t>();
}

void pg_connection::forget(const std::string& name) noexcept {
    if (name.empty() || !is_usable()) return; // a lost session took its statements along
    try {
        conn_->unprepare(name);
    } catch (...) {
        // DEALLOCATE is refused inside a failed transaction; retried once it has ended.
        try {
            orphans_.push_back(name);
        } catch (...) {
        }
    }
}

void pg_connection::deallocate_orphans() noexcept {
    try {
        while (!orphans_.empty()) {
            conn_->unprepare(orphans_.back());
            orphans_.pop_back();
        }
    } catch (...) {
        // Still inside a failed transaction (or the connection is gone): later, or never.
    }
}

template <class F>
pqxx::result pg_connection::guarded(const std::string& sql, F&& work) {
    if (lost_)
        throw connection_error("the connection to '" + postgres_url_for_messages(url_) +
                               "' was lost earlier; take a new connection from the engine");
    try {
        return work();
    } catch (const pqxx::broken_connection& e) {
        lose(e.what());
    } catch (const pqxx::failure& e) {
        // E.g. FATAL admin_shutdown: the server answered, then closed the connection
        // (libpqxx may not have noticed the close yet, e.g. in the middle of a COPY).
        const std::string state = sqlstate_of(e);
        if (!conn_->is_open() || state.starts_with("57P") || state.starts_with("08"))
            lose(e.what());
        throw_postgres_error(e, sql, url_);
    } catch (const std::logic_error& e) { // libpqxx's usage_error, argument_error...
        throw usage_error("postgresql: " + clean_message(e.what(), url_) + " [" +
                          sql.substr(0, 200) + "]");
    }
}

void pg_connection::lose(const char* why) {
    lost_ = true;
    throw connection_error("lost the connection to '" + postgres_url_for_messages(url_) +
                           "': " + clean_message(why, url_));
}

void pg_connection::set_up_session() {
    // After a lost connection libpqxx would reconnect silently on the next statement,
    // dropping the session (an open transaction included) without a word. Never.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    try {
        // Exact reals (servers before 12 round to 15 digits unless asked) and ISO dates,
        // the only date style the result decoder reads.
        (void)tx_.exec("SET extra_float_digits = 3; SET DateStyle = 'ISO'");
        counts_rows_ = tx_.exec("SELECT current_setting('track_counts')::bool")[0][0].as<bool>();
    } catch (const pqxx::failure& e) {
        throw connection_error("cannot set up the session on '" + postgres_url_for_messages(url_) +
                               "': " + clean_message(e.what(), url_));
    }
}

std::unique_ptr<driver_connection> open_postgres(const url& u, const engine_options&) {
    return std::make_unique<pg_connection>(u);
}

} // namespace tabella::detail
