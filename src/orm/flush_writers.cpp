// INSERT writers of a flush. Statements are prepared at most twice per shape (full chunk
// and remainder); only one chunk of parameters is held at a time.
#include "flush_writers.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <cstring>

namespace tabella::detail {
namespace {

// Binds every column of `obj` but the key into `out` (column_count() - 1 values): the row
// of an INSERT whose key the database generates.
void bind_without_key(const entity_mapping& m, const void* obj, param_ref* out) {
    param_ref all[64];
    m.bind_row(obj, all);
    std::copy(all, all + m.key_index, out);
    std::copy(all + m.key_index + 1, all + m.column_count(), out + m.key_index);
}

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

keyed_writer::keyed_writer(statement_runner& run, table_runtime& t)
    : run_(run), t_(t), columns_(column_names(*t.map, true)) {}

void keyed_writer::bind_rows(std::span<const std::uint32_t> entries) {
    const std::size_t width = columns_.size();
    params_.resize(entries.size() * width);
    for (std::size_t r = 0; r < entries.size(); ++r)
        t_.map->bind_row(t_.objects[entries[r]], &params_[r * width]);
}

chunk_writer::chunk_writer(statement_runner& run, table_runtime& t, std::size_t page_size)
    : keyed_writer(run, t),
      per_statement_(rows_per_statement(
          columns_.size(), run.parameter_limit(),
          page_size ? page_size : run.sql_dialect().preferred_rows_per_statement())) {
    params_.reserve(per_statement_ * columns_.size());
}

void chunk_writer::write(std::span<const std::uint32_t> entries, std::size_t total) {
    bind_rows(entries);
    // Full chunks share one statement; each level adds at most one remainder shape.
    auto& stmt =
        run_.prepare(run_.sql_dialect().insert(t_.map->table.name(), columns_, entries.size()));
    try {
        execute_checked(run_, stmt, params_, static_cast<std::int64_t>(entries.size()), *t_.map,
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
    if (entries.size() < 2 || !run_.transaction_survives_errors()) return std::nullopt;
    std::optional<std::size_t> found;
    try {
        auto probe = run_.conn().begin();
        auto& single = run_.prepare(run_.sql_dialect().insert(t_.map->table.name(), columns_, 1));
        const std::size_t width = columns_.size();
        for (std::size_t r = 0; r < entries.size() && !found; ++r) {
            const auto row = std::span<const param_ref>(params_).subspan(r * width, width);
            try {
                (void)run_.run(single, row);
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
    std::int64_t written = 0;
    try {
        written = run_.copy(table, columns_, params_);
    } catch (const sql_error&) {
        rethrow_with_context(*t_.map, "copying into", "");
    }
    if (written != static_cast<std::int64_t>(entries.size()))
        throw sql_error("flush of " + table + " (" + t_.map->struct_name + "): COPY stored " +
                            std::to_string(written) + " rows of " + std::to_string(entries.size()) +
                            " (does a trigger or rule drop or redirect rows?)",
                        "", 0, "COPY");
}

void assign_returned_key(table_runtime& t, std::uint32_t entry, const value* key,
                         std::size_t total) {
    const auto& m = *t.map;
    if (!key || key->is_null())
        throw usage_error("flush of " + m.table.name() + ": the database stored no key for a " +
                          m.struct_name + object_position(t, entry, total) + " (is " +
                          m.table.name() + "." + m.table.columns()[m.key_index].name() +
                          " generated by the database?): set the key in the object");
    m.set_key(t.objects[entry], key->as<std::int64_t>());
    t.marks[entry] |= mark_key_assigned;
}

std::size_t returning_writer::rows_per_statement_for(const statement_runner& run,
                                                     const table_runtime& t,
                                                     std::size_t page_size) {
    const std::size_t sent = t.map->column_count() - 1; // every column but the key
    // A row of the key alone is INSERT ... DEFAULT VALUES: one row a statement.
    if (sent == 0) return 1;
    return rows_per_statement(sent, run.parameter_limit(),
                              page_size ? page_size
                                        : run.sql_dialect().preferred_rows_per_statement());
}

returning_writer::returning_writer(statement_runner& run, table_runtime& t, std::size_t page_size)
    : run_(run), t_(t), columns_(column_names(*t.map, false)),
      per_statement_(rows_per_statement_for(run, t, page_size)) {}

// Each chunk runs in a SAVEPOINT: when the rows RETURNING gives back do not hold the values
// sent at their positions, the chunk is undone and its objects go row by row.
bool returning_writer::write(std::span<const std::uint32_t> entries, std::size_t total) {
    const auto& m = *t_.map;
    const std::size_t width = columns_.size();
    params_.resize(entries.size() * width);
    for (std::size_t r = 0; r < entries.size(); ++r)
        bind_without_key(m, t_.objects[entries[r]], params_.data() + r * width);
    const dialect& d = run_.sql_dialect();
    std::string sql = d.insert(m.table.name(), columns_, entries.size());
    sql += d.returning(m.table.columns()[m.key_index].name(), columns_);
    auto savepoint = run_.conn().begin(); // rolled back if anything below throws
    row_buffer returned;
    try {
        execute_checked(run_, run_.prepare(sql), params_, static_cast<std::int64_t>(entries.size()),
                        m, row_check::insert, &returned);
    } catch (const sql_error&) {
        rethrow_with_context(m, "inserting into", "");
    }
    if (!returned_as_sent(returned)) {
        savepoint.rollback();
        return false;
    }
    savepoint.commit();
    for (std::size_t r = 0; r < entries.size(); ++r)
        assign_returned_key(t_, entries[r], &returned.cells[r * (width + 1)], total);
    return true;
}

namespace {

// The same value, as the database returns what it stored: integers, booleans and
// timestamps as integers (a DOUBLE column as a real), text and blobs byte for byte.
bool same_value(const param_ref& sent, const param_ref& got) noexcept {
    const auto numeric = [](value_kind k) {
        return k == value_kind::integer || k == value_kind::boolean || k == value_kind::timestamp;
    };
    const auto bytes = [](value_kind k) { return k == value_kind::text || k == value_kind::blob; };
    if (sent.kind == value_kind::null || got.kind == value_kind::null) return sent.kind == got.kind;
    if (numeric(sent.kind) && numeric(got.kind)) return sent.integer == got.integer;
    if (numeric(sent.kind) && got.kind == value_kind::real)
        return static_cast<double>(sent.integer) == got.real;
    if (sent.kind == value_kind::real && got.kind == value_kind::real) return sent.real == got.real;
    if (bytes(sent.kind) && bytes(got.kind))
        return sent.size == got.size &&
               (sent.size == 0 || std::memcmp(sent.data, got.data, sent.size) == 0);
    return false;
}

} // namespace

bool returning_writer::returned_as_sent(const row_buffer& returned) const {
    const std::size_t width = columns_.size();
    if (returned.columns.size() != width + 1 || returned.row_count() * width != params_.size())
        return false;
    for (std::size_t r = 0; r < returned.row_count(); ++r)
        for (std::size_t c = 0; c < width; ++c)
            if (!same_value(params_[r * width + c], returned.cells[r * (width + 1) + 1 + c].ref()))
                return false;
    return true;
}

row_by_row_writer::row_by_row_writer(statement_runner& run, table_runtime& t)
    : run_(run), t_(t), stmt_(run.prepare([&] {
          const auto& m = *t.map;
          std::string sql = run.sql_dialect().insert(m.table.name(), column_names(m, false), 1);
          sql += run.sql_dialect().returning(m.table.columns()[m.key_index].name());
          return sql;
      }())) {}

void row_by_row_writer::write(std::uint32_t entry, std::size_t total) {
    const auto& m = *t_.map;
    param_ref row[64];
    bind_without_key(m, t_.objects[entry], row);
    const std::span<const param_ref> params(row, m.column_count() - 1);
    row_buffer returned;
    try {
        execute_checked(run_, stmt_, params, 1, m, row_check::insert, &returned);
    } catch (const sql_error&) {
        rethrow_with_context(m, "inserting into", object_position(t_, entry, total));
    }
    assign_returned_key(t_, entry, returned.cells.size() == 1 ? &returned.cells[0] : nullptr,
                        total);
}

} // namespace tabella::detail
