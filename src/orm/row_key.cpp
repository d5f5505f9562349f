// Keys of rows: taken from objects, rows and get() arguments, bound as parameters, shown
// in messages and turned into WHERE conditions.
#include "row_key.hpp"
#include "row_refs.hpp"

#include "tabella/detail/key_traits.hpp"
#include "tabella/error.hpp"

#include <cstring>
#include <sstream>

namespace tabella::detail {
namespace {

value to_value(const param_ref& p) {
    return value::from_ref(p);
}

} // namespace

std::optional<key_view> object_key(const entity_mapping& m, const void* obj, std::string& buffer) {
    if (m.integer_key) {
        const auto k = m.get_key(obj);
        if (!k) return std::nullopt;
        return key_view{*k, {}};
    }
    row_refs refs(m.column_count());
    try {
        m.bind_row(obj, refs.data());
    } catch (const usage_error&) {
        return std::nullopt; // a ref in the key points at a parent without a key yet
    }
    buffer.clear();
    for (const auto c : m.key_columns) {
        if (refs[c].kind == value_kind::null) return std::nullopt;
        append_key_part(buffer, refs[c]);
    }
    return key_view{0, buffer};
}

key_view cells_key(const entity_mapping& m, const value* cells, std::string& buffer) {
    if (m.integer_key) return {cells[m.key_index].as<std::int64_t>(), {}};
    buffer.clear();
    m.encode_cells_key(cells, buffer);
    return {0, buffer};
}

key_view params_key(const entity_mapping& m, std::span<const param_ref> parts,
                    std::string& buffer) {
    if (parts.size() != m.key_columns.size())
        throw usage_error(m.struct_name + " has " + std::to_string(m.key_columns.size()) +
                          " key columns; " + std::to_string(parts.size()) + " values were given");
    if (m.integer_key) return {parts[0].integer, {}};
    buffer.clear();
    for (const auto& p : parts) append_key_part(buffer, p);
    return {0, buffer};
}

void bind_key(const entity_mapping& m, key_view k, param_ref* out) {
    if (m.integer_key)
        *out = param_ref::of_integer(k.integer);
    else
        decode_key_parts(k.bytes, out, m.key_columns.size());
}

std::string describe_key(const entity_mapping& m, key_view k) {
    if (m.integer_key) return std::to_string(k.integer);
    param_ref refs[64];
    bind_key(m, k, refs);
    std::ostringstream out;
    const bool composite = m.key_columns.size() > 1;
    if (composite) out << '(';
    for (std::size_t i = 0; i < m.key_columns.size(); ++i) {
        if (i) out << ", ";
        if (composite) out << m.table.columns()[m.key_columns[i]].name() << '=';
        out << to_value(refs[i]);
    }
    if (composite) out << ')';
    return out.str();
}

namespace {

std::vector<std::string_view> key_column_names(const entity_mapping& m) {
    std::vector<std::string_view> out;
    for (const auto c : m.key_columns) out.push_back(m.table.columns()[c].name());
    return out;
}

// columns = the parts of `k`, a key of `owner`, ANDed.
condition columns_equal(const entity_mapping& owner, key_view k, std::string_view table,
                        std::span<const std::string_view> columns) {
    param_ref refs[64];
    bind_key(owner, k, refs);
    std::optional<condition> out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        auto c = column_expr{std::string(table), std::string(columns[i])} == to_value(refs[i]);
        out = out ? *out && c : c;
    }
    return *out;
}

} // namespace

condition key_equals(const entity_mapping& m, key_view k) {
    return columns_equal(m, k, m.table.name(), key_column_names(m));
}

condition key_in(const entity_mapping& m, std::span<const key_view> keys) {
    return columns_in(m, keys, m.table.name(), key_column_names(m));
}

condition columns_in(const entity_mapping& owner, std::span<const key_view> keys,
                     std::string_view table, std::span<const std::string_view> columns) {
    if (columns.size() == 1) {
        std::vector<value> values;
        values.reserve(keys.size());
        param_ref ref;
        for (const auto k : keys) {
            bind_key(owner, k, &ref);
            values.push_back(to_value(ref));
        }
        return column_expr{std::string(table), std::string(columns[0])}.in_(std::move(values));
    }
    std::optional<condition> out;
    for (const auto k : keys) {
        auto c = columns_equal(owner, k, table, columns);
        out = out ? *out || c : c;
    }
    return out ? *out : column_expr{std::string(table), std::string(columns[0])}.in_({});
}

void clear_generated_key(const entity_mapping& m, void* obj) {
    if (m.make_session_key)
        m.make_session_key(obj, false);
    else if (m.key_generated)
        m.set_key(obj, std::nullopt);
}

void integer_column::set(std::size_t e, std::int64_t v) {
    page& p = pages_[e / page_size];
    const std::size_t at = e % page_size;
    if (!p.values) {
        if (at == p.count && (at == 0 || v == p.first + static_cast<std::int64_t>(at))) {
            if (at == 0) p.first = v;
            ++p.count;
            return;
        }
        if (at < p.count && v == p.first + static_cast<std::int64_t>(at)) return;
        if (at >= p.count && v == 0) return;
        p.values = std::make_unique<std::int64_t[]>(page_size); // zeroed
        for (std::size_t i = 0; i < p.count; ++i)
            p.values[i] = p.first + static_cast<std::int64_t>(i);
    }
    p.values[at] = v;
}

} // namespace tabella::detail
