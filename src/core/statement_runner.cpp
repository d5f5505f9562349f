// The statement runner: echo, limits and live-transaction checks in one place.
#include "tabella/detail/statement_runner.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

namespace tabella::detail {

statement_runner::statement_runner(connection& conn)
    : conn_(conn), driver_(connection_access::driver(conn)), echo_(connection_access::echo(conn)),
      caps_(driver_.capabilities()) {}

void statement_runner::check_before_sending(std::size_t params) const {
    if (params > driver_.parameter_limit())
        throw usage_error(std::to_string(params) + " parameters exceed the connection's limit of " +
                          std::to_string(driver_.parameter_limit()));
    conn_.require_live_transaction();
}

prepared_statement& statement_runner::prepare(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, driver_.prepare(sql)).first;
    return *it->second;
}

std::int64_t statement_runner::run(prepared_statement& stmt, std::span<const param_ref> params,
                                   row_buffer* out) {
    check_before_sending(params.size());
    echo_.line(stmt.sql());
    echo_.params(params);
    return stmt.execute(params, out);
}

std::int64_t statement_runner::run_each(prepared_statement& stmt, std::span<const param_ref> params,
                                        row_sink& sink) {
    check_before_sending(params.size());
    echo_.line(stmt.sql());
    echo_.params(params);
    return stmt.execute_each(params, sink);
}

std::int64_t
statement_runner::run_many(prepared_statement& stmt, std::span<const param_ref> flat,
                           std::size_t width,
                           const std::function<void(std::size_t, const row_buffer&)>& each) {
    check_before_sending(width);
    const std::size_t sets = width ? flat.size() / width : 1;
    echo_.line(stmt.sql());
    if (sets == 1)
        echo_.params(flat);
    else
        echo_.param_sets(flat, width);
    std::int64_t changed = 0;
    for (std::size_t i = 0; i < sets; ++i) {
        row_buffer returned;
        changed += stmt.execute(flat.subspan(i * width, width), &returned);
        if (each) each(i, returned);
    }
    return changed;
}

std::int64_t statement_runner::copy(const std::string& table, std::span<const std::string> columns,
                                    std::span<const param_ref> flat) {
    if (!caps_.copy)
        throw usage_error("insert_strategy::copy: the " + std::string(sql_dialect().name()) +
                          " driver has no COPY that counts the rows it stores");
    conn_.require_live_transaction();
    if (echo_.enabled()) { // no text built when echo is off
        const dialect& d = sql_dialect();
        std::string line = "COPY ";
        d.append_identifier(line, table);
        line += " (";
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c) line += ", ";
            d.append_identifier(line, columns[c]);
        }
        line += ") FROM STDIN";
        echo_.line(line);
        const std::size_t rows = columns.empty() ? 0 : flat.size() / columns.size();
        // Appended piece by piece: `"[" + std::string` trips GCC 12's -Wrestrict at -O2.
        std::string count = "[";
        count += std::to_string(rows);
        count += " rows]";
        echo_.line(count);
    }
    return driver_.copy_rows(table, columns, flat);
}

bool statement_runner::reserve_keys(const std::string& table, const std::string& key_column,
                                    std::size_t count, std::int64_t above,
                                    std::vector<std::int64_t>& out) {
    if (!caps_.reserves_keys) return false;
    conn_.require_live_transaction();
    return driver_.reserve_keys(table, key_column, count, above, out);
}

void statement_runner::reserve_from_sequence(const std::string& sequence, std::size_t count,
                                             std::vector<std::int64_t>& out) {
    if (!caps_.sequences)
        throw usage_error("the " + std::string(sql_dialect().name()) +
                          " driver has no sequences to draw '" + sequence + "' from");
    conn_.require_live_transaction();
    const std::size_t before = out.size();
    if (!driver_.reserve_from_sequence(sequence, count, out) || out.size() - before != count)
        throw error("sequence " + sequence + ": the driver drew " +
                    std::to_string(out.size() - before) + " values for " + std::to_string(count) +
                    " rows");
}

bool statement_runner::transaction_survives_errors() const noexcept {
    return caps_.keeps_transaction_after_error && driver_.is_usable() &&
           driver_.transaction_active();
}

} // namespace tabella::detail
