// Non-template halves of the mapping: table descriptions, conversions, fingerprints,
// create_all / drop_all for mapped structs.
#include "tabella/mapping.hpp"
#include "tabella/detail/entity_mapping.hpp"
#include "tabella/detail/member_traits.hpp"
#include "tabella/dialect.hpp"
#include "tabella/engine.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <set>

namespace tabella::detail {

entity_mapping make_entity_mapping(std::string_view struct_name, std::string_view table_name,
                                   std::span<const std::string_view> names,
                                   std::span<const member_column> columns, std::size_t key_index,
                                   bool key_generated, const entity_mapping& (*self)()) {
    std::vector<column> cols;
    std::vector<const entity_mapping& (*)()> parents;
    std::vector<std::size_t> self_refs;
    cols.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const member_column& mc = columns[i];
        column c(std::string(names[i]), mc.type);
        if (i == key_index)
            c.primary_key(key_generated);
        else
            c.nullable(mc.nullable);
        if (mc.parent) {
            c.references(std::string(mc.parent_table), std::string(mc.parent_key));
            if (mc.parent == self) self_refs.push_back(i);
            if (mc.parent != self &&
                std::find(parents.begin(), parents.end(), mc.parent) == parents.end())
                parents.push_back(mc.parent);
        }
        cols.push_back(std::move(c));
    }
    return entity_mapping{std::string(struct_name),
                          table(std::string(table_name), std::move(cols)),
                          key_index,
                          key_generated,
                          nullptr,
                          nullptr,
                          nullptr,
                          nullptr,
                          nullptr,
                          nullptr,
                          std::move(parents),
                          std::move(self_refs)};
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
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    for (const auto* m : parents_first(mappings))
        conn.execute_sql(conn.dialect().create_table(m->table));
    tx.commit();
}

void drop_tables(engine& eng, std::initializer_list<const entity_mapping*> mappings) {
    auto conn = eng.connect();
    auto tx = conn.begin_write();
    const auto order = parents_first(mappings);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        conn.execute_sql(conn.dialect().drop_table((*it)->table));
    tx.commit();
}

namespace {
constexpr std::uint64_t mix(std::uint64_t x) noexcept { // splitmix64 finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
} // namespace

std::uint64_t fingerprint(const param_ref& p) noexcept {
    const auto tag = static_cast<std::uint64_t>(p.kind) << 56;
    switch (p.kind) {
    case value_kind::null:
        return mix(tag);
    case value_kind::integer:
    case value_kind::boolean:
    case value_kind::timestamp:
        return mix(static_cast<std::uint64_t>(p.integer) + tag) ^ tag;
    case value_kind::real:
        return mix(std::bit_cast<std::uint64_t>(p.real) + tag) ^ tag;
    case value_kind::text:
    case value_kind::blob: {
        const std::string_view bytes(static_cast<const char*>(p.data), p.size);
        return mix(std::hash<std::string_view>{}(bytes) + p.size + tag);
    }
    }
    return 0;
}

} // namespace tabella::detail
