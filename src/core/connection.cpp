// Connections and transactions: autocommit, BEGIN / COMMIT / SAVEPOINT, SELECT and SQL text.
#include "tabella/connection.hpp"

#include "engine_state.hpp"
#include "execute_util.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

namespace tabella {
namespace {

std::string savepoint_name(int level) {
    return "tabella_" + std::to_string(level);
}

} // namespace

connection::connection(std::shared_ptr<detail::engine_state> engine,
                       std::unique_ptr<detail::driver_connection> driver)
    : engine_(std::move(engine)), driver_(std::move(driver)) {}

connection::connection(connection&& other) noexcept
    : engine_(std::move(other.engine_)), driver_(std::move(other.driver_)),
      depth_(std::exchange(other.depth_, 0)), transactions_begun_(other.transactions_begun_) {}

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        this->~connection();
        new (this) connection(std::move(other));
    }
    return *this;
}

connection::~connection() {
    if (!driver_) return;
    if (depth_ > 0) {
        try {
            run_control(std::string(dialect().rollback_sql()));
        } catch (...) {
            // The connection is broken; the pool drops it below.
        }
        depth_ = 0;
    }
    engine_->release(std::move(driver_));
}

const tabella::dialect& connection::dialect() const noexcept {
    return driver_->sql_dialect();
}
std::size_t connection::parameter_limit() const {
    return driver_->parameter_limit();
}
void connection::set_parameter_limit(std::size_t limit) {
    driver_->set_parameter_limit(limit);
}
const detail::echo_log& connection::echo() const noexcept {
    return engine_->echo();
}

bool connection::is_usable() const noexcept {
    return driver_ && driver_->is_usable();
}
bool connection::transaction_active() const noexcept {
    return driver_ && driver_->transaction_active();
}

void connection::require_live_transaction() const {
    // SQLite ends a transaction on its own after some errors (a full disk, an I/O error):
    // a statement sent now would run outside it, in autocommit. Never.
    if (depth_ > 0 && driver_->is_usable() && !driver_->transaction_active())
        throw transaction_rollback("the database ended this transaction after an earlier "
                                   "error; nothing more is sent in it: roll it back",
                                   "40000", 0, "");
}

void connection::run_control(const std::string& sql) {
    require_live_transaction();
    echo().line(sql);
    driver_->execute_simple(sql);
}

transaction connection::begin() {
    return transaction(*this, depth_ + 1, false);
}
transaction connection::begin_write() {
    return transaction(*this, depth_ + 1, true);
}

result connection::execute(const select_statement& stmt) {
    const auto compiled = detail::compile_select(stmt, dialect());
    return execute_sql(compiled.sql, compiled.params);
}

result connection::execute(const update_statement& stmt) {
    const auto compiled = detail::compile_update(stmt, dialect());
    return execute_sql(compiled.sql, compiled.params);
}

result connection::execute(const delete_statement& stmt) {
    const auto compiled = detail::compile_delete(stmt, dialect());
    return execute_sql(compiled.sql, compiled.params);
}

result connection::execute_sql(std::string_view sql, const std::vector<value>& params) {
    detail::row_buffer rows;
    const std::int64_t changed = detail::execute_rows(*this, sql, params, rows);
    return detail::to_result(std::move(rows), changed);
}

namespace detail {

namespace {

// Runs `sql` atomically (an implicit transaction outside one) with `send`.
template <class Send>
std::int64_t run_sql(connection& conn, std::string_view sql, const std::vector<value>& params,
                     Send&& send) {
    statement_runner runner(conn);
    std::vector<param_ref> refs;
    refs.reserve(params.size());
    for (const auto& p : params) refs.push_back(p.ref());
    if (refs.size() > conn.parameter_limit()) // before the implicit BEGIN
        throw usage_error(std::to_string(refs.size()) +
                          " parameters exceed the connection's limit of " +
                          std::to_string(conn.parameter_limit()));
    auto& stmt = runner.prepare(std::string(sql));
    std::int64_t changed = 0;
    run_atomically(conn, [&] { changed = send(runner, stmt, refs); });
    return changed;
}

} // namespace

std::int64_t execute_rows(connection& conn, std::string_view sql, const std::vector<value>& params,
                          row_buffer& out) {
    return run_sql(conn, sql, params,
                   [&](statement_runner& run, prepared_statement& stmt,
                       std::span<const param_ref> refs) { return run.run(stmt, refs, &out); });
}

std::int64_t execute_each(connection& conn, std::string_view sql, const std::vector<value>& params,
                          row_sink& sink) {
    return run_sql(conn, sql, params,
                   [&](statement_runner& run, prepared_statement& stmt,
                       std::span<const param_ref> refs) { return run.run_each(stmt, refs, sink); });
}

std::int64_t execute_each(connection& conn, prepared_statement& stmt,
                          std::span<const param_ref> params, row_sink& sink) {
    statement_runner runner(conn);
    std::int64_t changed = 0;
    run_atomically(conn, [&] { changed = runner.run_each(stmt, params, sink); });
    return changed;
}

} // namespace detail

transaction::transaction(connection& conn, int level, bool for_write)
    : conn_(&conn), level_(level) {
    conn.run_control(level == 1 ? std::string(conn.dialect().begin_sql(for_write))
                                : conn.dialect().savepoint_sql(savepoint_name(level)));
    conn.depth_ = level;
    if (level == 1) ++conn.transactions_begun_;
}

transaction::transaction(transaction&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), level_(other.level_) {}

transaction::~transaction() {
    if (!conn_) return;
    try {
        finish(false);
    } catch (...) {
        // Rolling back a broken connection fails; the connection is dropped by its pool.
    }
}

void transaction::commit() {
    finish(true);
}
void transaction::rollback() {
    finish(false);
}

void transaction::finish(bool commit) {
    if (!conn_) throw usage_error("the transaction is already finished");
    if (conn_->depth_ < level_) { // the database ended it already (see below)
        conn_ = nullptr;
        if (commit)
            throw transaction_rollback("the database rolled this transaction back after an "
                                       "earlier error; nothing was committed",
                                       "40000", 0, "COMMIT");
        return;
    }
    if (conn_->depth_ != level_)
        throw usage_error("finish the inner transaction (savepoint) before the outer one");
    connection& conn = *std::exchange(conn_, nullptr);
    conn.depth_ = level_ - 1;
    if (!commit && !conn.driver_->transaction_active()) {
        conn.depth_ = 0; // the database rolled everything back already
        return;
    }
    const tabella::dialect& d = conn.dialect();
    const std::string sp = savepoint_name(level_);
    if (level_ == 1) {
        if (!commit) return conn.run_control(std::string(d.rollback_sql()));
        try {
            conn.run_control(std::string(d.commit_sql()));
        } catch (...) {
            // A failed COMMIT can leave the transaction open (SQLite, a deferred
            // constraint); end it, but send nothing into one the database ended itself.
            try {
                if (conn.driver_->is_usable() && conn.driver_->transaction_active())
                    conn.run_control(std::string(d.rollback_sql()));
            } catch (...) {
            }
            throw;
        }
    } else if (commit) {
        conn.run_control(d.release_savepoint_sql(sp));
    } else {
        conn.run_control(d.rollback_to_savepoint_sql(sp));
        conn.run_control(d.release_savepoint_sql(sp));
    }
}

} // namespace tabella
