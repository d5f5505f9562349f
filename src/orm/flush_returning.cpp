// INSERT ... RETURNING writers: generated keys and server defaults read back, each returned
// row matched to its object by the values sent, never by trusting the order of the rows.
#include "flush_writers.hpp"
#include "tabella/detail/returned_rows.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <bit>

namespace tabella::detail {
namespace {

std::vector<std::string> names_of(const entity_mapping& m, std::span<const std::size_t> columns) {
    std::vector<std::string> out;
    for (const auto c : columns) out.push_back(m.table.columns()[c].name());
    return out;
}

std::vector<std::size_t> columns_in(std::uint64_t mask) {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < 64; ++c)
        if (mask >> c & 1) out.push_back(c);
    return out;
}

} // namespace

row_shape row_shape::of(const entity_mapping& m, bool key_back, std::uint64_t omitted) {
    const std::size_t n = m.column_count();
    row_shape s;
    s.sent = (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1) & ~omitted;
    if (key_back) {
        s.sent &= ~m.key_mask;
        s.fetched.push_back(m.key_index);
    }
    for (const auto c : columns_in(omitted)) s.fetched.push_back(c);
    return s;
}

void bind_shape(const entity_mapping& m, const row_shape& shape, const void* obj, param_ref* out) {
    param_ref all[64];
    m.bind_row(obj, all);
    for (std::size_t c = 0; c < m.column_count(); ++c)
        if (shape.sent >> c & 1) *out++ = all[c];
}

void assign_fetched(table_runtime& t, const row_shape& shape, std::uint32_t entry,
                    const value* cells, std::size_t total) {
    const entity_mapping& m = *t.map;
    for (std::size_t k = 0; k < shape.fetched.size(); ++k) {
        const std::size_t c = shape.fetched[k];
        if (c == m.key_index && !(shape.sent >> c & 1))
            assign_returned_key(t, entry, &cells[k], total);
        else
            m.load_column(t.objects[entry], c, cells[k]);
    }
}

returning_writer::returning_writer(statement_runner& run, table_runtime& t, std::size_t page_size,
                                   row_shape shape)
    : run_(run), t_(t), shape_(std::move(shape)), sent_columns_(columns_in(shape_.sent)),
      columns_(names_of(*t.map, sent_columns_)) {
    const auto fetched = names_of(*t.map, shape_.fetched);
    std::vector<std::string> listed(fetched.begin() + 1, fetched.end());
    listed.insert(listed.end(), columns_.begin(), columns_.end());
    returning_ = run.sql_dialect().returning(fetched.front(), listed);
    // A row of the key alone is INSERT ... DEFAULT VALUES: one row a statement.
    per_statement_ =
        columns_.empty()
            ? 1
            : rows_per_statement(columns_.size(), run.parameter_limit(),
                                 page_size ? page_size
                                           : run.sql_dialect().preferred_rows_per_statement());
}

bool returning_writer::write(std::span<const std::uint32_t> entries, std::size_t total) {
    const auto& m = *t_.map;
    const std::size_t width = columns_.size();
    params_.resize(entries.size() * width);
    for (std::size_t r = 0; r < entries.size(); ++r)
        bind_shape(m, shape_, t_.objects[entries[r]], params_.data() + r * width);
    std::string sql = run_.sql_dialect().insert(m.table.name(), columns_, entries.size());
    sql += returning_;
    auto savepoint = run_.conn().begin(); // rolled back if anything below throws
    row_buffer returned;
    try {
        execute_checked(run_, run_.prepare(sql), params_, static_cast<std::int64_t>(entries.size()),
                        m, row_check::insert, &returned);
    } catch (const sql_error&) {
        rethrow_with_context(m, "inserting into", "");
    }
    const auto sent_row = match(returned);
    if (sent_row.empty()) {
        savepoint.rollback();
        return false;
    }
    savepoint.commit();
    const std::size_t stride = shape_.fetched.size() + width;
    for (std::size_t r = 0; r < entries.size(); ++r)
        assign_fetched(t_, shape_, entries[sent_row[r]], &returned.cells[r * stride], total);
    return true;
}

std::vector<std::size_t> returning_writer::match(const row_buffer& returned) const {
    const std::size_t width = columns_.size();
    const std::size_t rows = width ? params_.size() / width : returned.row_count();
    if (returned.columns.size() != shape_.fetched.size() + width || returned.row_count() != rows)
        return {};
    return match_returned_rows(params_, width, returned, shape_.fetched.size())
        .value_or(std::vector<std::size_t>{});
}

row_by_row_writer::row_by_row_writer(statement_runner& run, table_runtime& t, row_shape shape)
    : run_(run), t_(t), shape_(std::move(shape)), stmt_(run.prepare([&] {
          const auto& m = *t.map;
          const auto fetched = names_of(m, shape_.fetched);
          const std::vector<std::string> more(fetched.begin() + 1, fetched.end());
          std::string sql =
              run.sql_dialect().insert(m.table.name(), names_of(m, columns_in(shape_.sent)), 1);
          sql += run.sql_dialect().returning(fetched.front(), more);
          return sql;
      }())) {}

void row_by_row_writer::write(std::uint32_t entry, std::size_t total) {
    const auto& m = *t_.map;
    param_ref row[64];
    bind_shape(m, shape_, t_.objects[entry], row);
    const std::span<const param_ref> params(row,
                                            static_cast<std::size_t>(std::popcount(shape_.sent)));
    row_buffer returned;
    try {
        execute_checked(run_, stmt_, params, 1, m, row_check::insert, &returned);
    } catch (const sql_error&) {
        rethrow_with_context(m, "inserting into", object_position(t_, entry, total));
    }
    if (returned.cells.size() != shape_.fetched.size())
        return assign_returned_key(t_, entry, nullptr, total);
    assign_fetched(t_, shape_, entry, returned.cells.data(), total);
}

} // namespace tabella::detail
