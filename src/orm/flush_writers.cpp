// INSERT writers of a flush. Statements are prepared at most twice per shape (full chunk
// and remainder); only one chunk of parameters is held at a time.
#include "flush_writers.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

std::vector<std::string> column_names(const entity_mapping& m, bool with_key) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < m.column_count(); ++c)
        if (with_key || c != m.key_index) out.push_back(m.table.columns()[c].name());
    return out;
}

} // namespace

std::string object_position(const table_runtime& t, std::uint32_t entry, std::size_t total) {
    // The rank among the pending objects in the order they were added (the flush may send
    // them in another order), counted only when a message needs it.
    std::size_t rank = 1;
    for (std::uint32_t e = 0; e < entry; ++e) rank += t.states[e] == object_state::pending;
    return " at object " + std::to_string(rank) + " of " + std::to_string(total) + " pending";
}

keyed_writer::keyed_writer(connection& conn, table_runtime& t)
    : conn_(conn), t_(t), columns_(column_names(*t.map, true)) {}

void keyed_writer::bind_rows(std::span<const std::uint32_t> entries) {
    const std::size_t width = columns_.size();
    params_.resize(entries.size() * width);
    for (std::size_t r = 0; r < entries.size(); ++r)
        t_.map->bind_row(t_.objects[entries[r]], &params_[r * width]);
}

chunk_writer::chunk_writer(connection& conn, table_runtime& t, std::size_t page_size)
    : keyed_writer(conn, t),
      per_statement_(rows_per_statement(
          columns_.size(), conn.parameter_limit(),
          page_size ? page_size : conn.dialect().preferred_rows_per_statement())) {
    params_.reserve(per_statement_ * columns_.size());
}

void chunk_writer::write(std::span<const std::uint32_t> entries, std::size_t total) {
    bind_rows(entries);
    // Full chunks share one statement; each level adds at most one remainder shape.
    auto& stmt = statements_[entries.size()];
    if (!stmt)
        stmt = conn_.driver().prepare(
            conn_.dialect().insert(t_.map->table.name(), columns_, entries.size()));
    try {
        execute_checked(conn_, *stmt, params_, static_cast<std::int64_t>(entries.size()), *t_.map,
                        row_check::insert);
    } catch (const sql_error&) {
        const auto failed = locate_failure(entries);
        rethrow_with_context(*t_.map, "inserting into",
                             failed ? object_position(t_, entries[*failed], total) : "");
    }
}

// Where the database keeps the transaction usable after a failed statement, replay the
// chunk row by row, inside a SAVEPOINT that is rolled back, to find the object it
// rejects. Never where the database ended the transaction: the replay would commit.
std::optional<std::size_t> chunk_writer::locate_failure(std::span<const std::uint32_t> entries) {
    auto& driver = conn_.driver();
    if (entries.size() < 2 || !driver.keeps_transaction_after_error() ||
        !driver.transaction_active())
        return std::nullopt;
    std::optional<std::size_t> found;
    try {
        auto probe = conn_.begin();
        auto single = driver.prepare(conn_.dialect().insert(t_.map->table.name(), columns_, 1));
        const std::size_t width = columns_.size();
        for (std::size_t r = 0; r < entries.size() && !found; ++r) {
            const auto row = std::span<const param_ref>(params_).subspan(r * width, width);
            try {
                conn_.echo().line(single->sql());
                conn_.echo().params(row);
                (void)single->execute(row, nullptr);
            } catch (const sql_error&) {
                found = r;
            }
        }
        probe.rollback();
    } catch (const error&) {
        return std::nullopt;
    }
    return found;
}

void copy_writer::write(std::span<const std::uint32_t> entries, std::size_t) {
    bind_rows(entries);
    const auto& table = t_.map->table.name();
    require_live_transaction(conn_);
    if (conn_.echo().enabled()) { // no text built when echo is off
        std::string line = "COPY ";
        line += conn_.dialect().quote_identifier(table);
        line += " (";
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (c) line += ", ";
            line += conn_.dialect().quote_identifier(columns_[c]);
        }
        line += ") FROM STDIN";
        conn_.echo().line(line);
        conn_.echo().line("[" + std::to_string(entries.size()) + " rows]");
    }
    std::optional<std::int64_t> written;
    try {
        written = conn_.driver().copy_rows(table, columns_, params_);
    } catch (const sql_error&) {
        rethrow_with_context(*t_.map, "copying into", "");
    }
    if (!written)
        throw usage_error("insert_strategy::copy: the " + std::string(conn_.dialect().name()) +
                          " driver has no COPY");
    if (*written != static_cast<std::int64_t>(entries.size()))
        throw sql_error("flush of " + table + " (" + t_.map->struct_name + "): COPY stored " +
                            std::to_string(*written) + " rows of " +
                            std::to_string(entries.size()) +
                            " (does a trigger or rule drop or redirect rows?)",
                        "", 0, "COPY");
}

row_by_row_writer::row_by_row_writer(connection& conn, table_runtime& t) : conn_(conn), t_(t) {
    const auto& m = *t.map;
    std::string sql = conn.dialect().insert(m.table.name(), column_names(m, false), 1);
    sql += conn.dialect().returning(m.table.columns()[m.key_index].name());
    stmt_ = conn.driver().prepare(std::move(sql));
}

void row_by_row_writer::write(std::uint32_t entry, std::size_t total) {
    const auto& m = *t_.map;
    param_ref all[64];
    m.bind_row(t_.objects[entry], all);
    std::copy(all + m.key_index + 1, all + m.column_count(), all + m.key_index);
    const std::span<const param_ref> params(all, m.column_count() - 1);
    row_buffer returned;
    try {
        execute_checked(conn_, *stmt_, params, 1, m, row_check::insert, &returned);
    } catch (const sql_error&) {
        rethrow_with_context(m, "inserting into", object_position(t_, entry, total));
    }
    if (returned.cells.size() != 1 || returned.cells[0].is_null())
        throw usage_error("flush of " + m.table.name() + ": the database stored no key for a " +
                          m.struct_name + object_position(t_, entry, total) + " (is " +
                          m.table.name() + "." + m.table.columns()[m.key_index].name() +
                          " generated by the database? In SQLite only INTEGER PRIMARY KEY is): "
                          "set the key in the object");
    m.set_key(t_.objects[entry], returned.cells[0].as<std::int64_t>());
    t_.marks[entry] |= mark_key_assigned;
}

} // namespace tabella::detail
