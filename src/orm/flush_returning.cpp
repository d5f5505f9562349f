// INSERT ... RETURNING writers: generated keys and server defaults read back, each returned
// row matched to its object by the values sent, never by trusting the order of the rows.
#include "flush_writers.hpp"
#include "hash_mix.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <unordered_map>

namespace tabella::detail {
namespace {

bool has_bytes(value_kind k) noexcept {
    return k == value_kind::text || k == value_kind::blob || k == value_kind::uuid;
}

// A hash equal for values same_value calls equal: numbers by their integer value where
// they have one, bytes by their bytes.
std::uint64_t value_hash(const param_ref& p) noexcept {
    if (p.kind == value_kind::null) return 1;
    if (has_bytes(p.kind))
        return std::hash<std::string_view>{}({static_cast<const char*>(p.data), p.size});
    if (p.kind == value_kind::real) {
        const double r = p.real;
        if (std::trunc(r) == r && std::fabs(r) < 9.2e18)
            return mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(r)));
        return mix(std::bit_cast<std::uint64_t>(r) ^ 0x5555);
    }
    return mix(static_cast<std::uint64_t>(p.integer));
}

// The same value, as the database returns what it stored: integers, booleans and
// timestamps as integers (a DOUBLE column as a real), dates as dates, text, blobs and
// uuids byte for byte (a uuid comes back as one, or as the 16 bytes of a BINARY(16)).
bool same_value(const param_ref& sent, const param_ref& got) noexcept {
    const auto numeric = [](value_kind k) {
        return k == value_kind::integer || k == value_kind::boolean || k == value_kind::timestamp;
    };
    if (sent.kind == value_kind::null || got.kind == value_kind::null) return sent.kind == got.kind;
    if (sent.kind == value_kind::date || got.kind == value_kind::date)
        return sent.kind == got.kind && sent.integer == got.integer;
    if (numeric(sent.kind) && numeric(got.kind)) return sent.integer == got.integer;
    if (numeric(sent.kind) && got.kind == value_kind::real)
        return static_cast<double>(sent.integer) == got.real;
    if (sent.kind == value_kind::real && got.kind == value_kind::real) return sent.real == got.real;
    if (has_bytes(sent.kind) && has_bytes(got.kind))
        return sent.size == got.size &&
               (sent.size == 0 || std::memcmp(sent.data, got.data, sent.size) == 0);
    return false;
}

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

bool returning_writer::holds(const row_buffer& returned, std::size_t r, std::size_t sent) const {
    const std::size_t width = columns_.size();
    const value* row = &returned.cells[r * (shape_.fetched.size() + width) + shape_.fetched.size()];
    for (std::size_t c = 0; c < width; ++c)
        if (!same_value(params_[sent * width + c], row[c].ref())) return false;
    return true;
}

std::vector<std::size_t> returning_writer::match(const row_buffer& returned) const {
    const std::size_t width = columns_.size();
    const std::size_t rows = width ? params_.size() / width : returned.row_count();
    if (returned.columns.size() != shape_.fetched.size() + width || returned.row_count() != rows)
        return {};
    std::vector<std::size_t> out(rows);
    std::vector<bool> taken(rows, false);
    std::unordered_multimap<std::uint64_t, std::size_t> by_hash; // built at the first miss
    const auto row_hash = [&](const param_ref* row) {
        std::uint64_t h = 0;
        for (std::size_t c = 0; c < width; ++c) h = mix(h ^ value_hash(row[c]));
        return h;
    };
    std::vector<param_ref> got(width); // a returned row's sent columns, as parameters
    for (std::size_t r = 0; r < rows; ++r) {
        if (!taken[r] && holds(returned, r, r)) {
            out[r] = r;
            taken[r] = true;
            continue;
        }
        if (by_hash.empty())
            for (std::size_t s = 0; s < rows; ++s)
                if (!taken[s]) by_hash.emplace(row_hash(&params_[s * width]), s);
        const value* row =
            &returned.cells[r * (shape_.fetched.size() + width) + shape_.fetched.size()];
        for (std::size_t c = 0; c < width; ++c) got[c] = row[c].ref();
        auto [it, end] = by_hash.equal_range(row_hash(got.data()));
        for (; it != end; ++it)
            if (!taken[it->second] && holds(returned, r, it->second)) break;
        if (it == end) return {};
        out[r] = it->second;
        taken[it->second] = true;
        by_hash.erase(it);
    }
    return out;
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
