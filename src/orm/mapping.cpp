// Non-template halves of the mapping: table descriptions, conversions, fingerprints,
// create_all / drop_all for mapped structs.
#include "tabella/mapping.hpp"
#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/member_traits.hpp"
#include "tabella/detail/schema.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <set>

namespace tabella::detail {

namespace {

/// The column names of a mapping: each member's name, or for a ref to a composite key
/// `<member>_<parent key column>` per key column.
std::vector<std::string> column_names(std::span<const std::string_view> members,
                                      std::span<const member_column> columns) {
    std::vector<std::string> out;
    out.reserve(columns.size());
    std::size_t member = 0;
    for (const auto& mc : columns) {
        if (mc.parts == 1)
            out.emplace_back(members[member++]);
        else
            out.push_back(std::string(members[member]) + "_" + std::string(mc.parent_key));
        if (mc.parts > 1 && mc.part + 1 == mc.parts) ++member;
    }
    return out;
}

// The kind of cell that a member of `c` reads and binds back unchanged, or null.
value_kind exact_kind(const member_column& c) noexcept {
    if (!c.reads_exactly) return value_kind::null;
    switch (c.type) {
    case column_type::integer:
    case column_type::big_integer:
        return value_kind::integer;
    case column_type::real:
        return value_kind::real;
    case column_type::string:
    case column_type::text:
        return value_kind::text;
    default:
        return value_kind::null;
    }
}

} // namespace

entity_mapping make_entity_mapping(std::string_view struct_name, std::string_view table_name,
                                   std::span<const std::string_view> members,
                                   std::span<const member_column> columns,
                                   std::span<const std::size_t> key_columns, bool integer_key,
                                   key_source source, std::span<const column_default> defaults,
                                   const entity_mapping& (*self)()) {
    if (columns.size() > 64)
        throw usage_error(std::string(struct_name) + " has " + std::to_string(columns.size()) +
                          " columns; a mapped struct has at most 64");
    const auto names = column_names(members, columns);
    std::uint64_t key_mask = 0;
    for (const auto k : key_columns) key_mask |= std::uint64_t{1} << k;
    const bool generated = source == key_source::database;
    std::vector<column> cols;
    std::vector<const entity_mapping& (*)()> parents;
    std::vector<std::size_t> self_refs;
    std::vector<foreign_key_constraint> composite_refs;
    cols.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const member_column& mc = columns[i];
        column c(names[i], mc.type);
        if (key_mask & (std::uint64_t{1} << i))
            c.primary_key(generated);
        else
            c.nullable(mc.nullable);
        if (mc.parent && mc.parts == 1)
            c.references(std::string(mc.parent_table), std::string(mc.parent_key), mc.on_delete);
        if (mc.parent && mc.parts > 1) {
            if (mc.part == 0)
                composite_refs.push_back({{}, std::string(mc.parent_table), {}, mc.on_delete});
            composite_refs.back().columns.push_back(names[i]);
            composite_refs.back().referenced_columns.emplace_back(mc.parent_key);
        }
        if (mc.parent && mc.part == 0) {
            if (mc.parent == self) self_refs.push_back(i);
            if (mc.parent != self &&
                std::find(parents.begin(), parents.end(), mc.parent) == parents.end())
                parents.push_back(mc.parent);
        }
        cols.push_back(std::move(c));
    }
    std::uint64_t defaulted = 0;
    for (const auto& d : defaults) {
        const auto it = std::find(names.begin(), names.end(), d.column);
        if (it == names.end())
            throw usage_error("table_traits<" + std::string(struct_name) +
                              ">::server_defaults names '" + std::string(d.column) +
                              "', which is not a column");
        const auto c = static_cast<std::size_t>(it - names.begin());
        if (columns[c].parts > 1)
            throw usage_error("table_traits<" + std::string(struct_name) +
                              ">::server_defaults names '" + std::string(d.column) +
                              "', a column of a ref to a composite key: not supported");
        cols[c].server_default(std::string(d.sql));
        if (columns[c].nullable && !(key_mask & (std::uint64_t{1} << c)))
            defaulted |= std::uint64_t{1} << c;
    }
    table t(std::string(table_name), std::move(cols));
    for (auto& fk : composite_refs)
        t.foreign_key(std::move(fk.columns), std::move(fk.table), std::move(fk.referenced_columns),
                      fk.on_delete);
    entity_mapping e(std::string(struct_name), std::move(t));
    e.key_columns.assign(key_columns.begin(), key_columns.end());
    e.key_mask = key_mask;
    e.defaulted_mask = defaulted;
    e.key_index = key_columns.front();
    e.integer_key = integer_key;
    e.key_generated = generated;
    e.key_by_session = source == key_source::session;
    e.parents = std::move(parents);
    e.self_refs = std::move(self_refs);
    e.snapshot_from_cells = true;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        e.exact_kinds.push_back(exact_kind(columns[i]));
        if (!(key_mask >> i & 1) && e.exact_kinds.back() == value_kind::null)
            e.snapshot_from_cells = false;
    }
    return e;
}

const relationship& entity_mapping::relationship_at(std::size_t column) const {
    for (const auto& r : relationships)
        if (r.column == column) return r;
    throw usage_error("the member pointer names no ref<P> member of " + struct_name);
}

void throw_partial_column(std::string_view struct_name, std::size_t column) {
    throw usage_error(std::string(struct_name) + ": column " + std::to_string(column) +
                      " is one column of a ref to a composite key and cannot be read alone");
}

void set_key_sequence(entity_mapping& e, std::string_view sequence) {
    std::vector<column> columns = e.table.columns();
    columns[e.key_index].sequence(std::string(sequence));
    e.table = with_columns(e.table, std::move(columns));
    e.key_sequence = sequence;
}

void rethrow_for_column(std::string_view column) {
    try {
        throw;
    } catch (const conversion_error& e) {
        throw conversion_error("column " + std::string(column) + ": " + e.what());
    }
}

column_expr column_of(const entity_mapping& m, std::size_t index) {
    if (index >= m.column_count())
        throw usage_error("col(): the member pointer does not name a mapped member of " +
                          m.struct_name);
    return {m.table.name(), m.table.columns()[index].name()};
}

std::vector<const entity_mapping*>
parents_first(const std::vector<const entity_mapping*>& mappings) {
    std::vector<const entity_mapping*> out;
    std::set<const entity_mapping*> placed, visiting;
    std::function<void(const entity_mapping*)> visit = [&](const entity_mapping* m) {
        if (placed.count(m) || !visiting.insert(m).second) return;
        for (const auto parent : m->parents) {
            const entity_mapping* p = &parent();
            if (std::find(mappings.begin(), mappings.end(), p) != mappings.end()) visit(p);
        }
        visiting.erase(m);
        placed.insert(m);
        out.push_back(m);
    };
    for (const auto* m : mappings) visit(m);
    return out;
}

void create_tables(engine& eng, std::initializer_list<const entity_mapping*> mappings) {
    std::vector<const table*> tables;
    for (const auto* m : mappings) tables.push_back(&m->table);
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    create_schema(conn, tables);
    tx.commit();
}

void drop_tables(engine& eng, std::initializer_list<const entity_mapping*> mappings) {
    std::vector<const table*> tables;
    for (const auto* m : mappings) tables.push_back(&m->table);
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    drop_schema(conn, tables);
    tx.commit();
}

namespace {

std::uint64_t read_u64(const char*& p, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(*p++)) << (8 * i);
    return v;
}

} // namespace

// Reads the parameters of an encoded key (append_key_part's layout) into `out`.
void decode_key_parts(std::string_view bytes, param_ref* out, std::size_t count) {
    const char* p = bytes.data();
    for (std::size_t i = 0; i < count; ++i) {
        param_ref& r = out[i];
        r = param_ref{};
        r.kind = static_cast<value_kind>(*p++);
        switch (r.kind) {
        case value_kind::null:
            break;
        case value_kind::real:
            r.real = std::bit_cast<double>(read_u64(p, 8));
            break;
        case value_kind::text:
        case value_kind::blob:
            r.size = static_cast<std::size_t>(read_u64(p, 4));
            r.data = p;
            p += r.size;
            break;
        case value_kind::uuid:
            r.size = 16;
            r.data = p;
            p += 16;
            break;
        default:
            r.integer = static_cast<std::int64_t>(read_u64(p, 8));
            break;
        }
    }
}

void append_key_part(std::string& out, const param_ref& p) {
    out += static_cast<char>(p.kind);
    auto append_u64 = [&](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i));
    };
    switch (p.kind) {
    case value_kind::null:
        return;
    case value_kind::real:
        append_u64(std::bit_cast<std::uint64_t>(p.real));
        return;
    case value_kind::text:
    case value_kind::blob:
        if (p.size > UINT32_MAX) throw usage_error("a key value longer than 4 GiB");
        for (int i = 0; i < 4; ++i) out += static_cast<char>(p.size >> (8 * i));
        out.append(static_cast<const char*>(p.data), p.size);
        return;
    default:
        if (p.data) // a UUID
            out.append(static_cast<const char*>(p.data), p.size);
        else
            append_u64(static_cast<std::uint64_t>(p.integer));
        return;
    }
}

} // namespace tabella::detail
