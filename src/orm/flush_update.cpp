// UPDATEs of changed columns (one prepared statement per set of changed columns) and
// batched DELETEs of removed objects.
#include "flush.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <map>

namespace tabella::detail {
namespace {

// Bit c set: column c differs from the snapshot (every non-key column for stale objects).
std::uint64_t changed_columns(const table_runtime& t, std::uint32_t e, const param_ref* refs) {
    const entity_mapping& m = *t.map;
    const bool stale = t.flags[e] & entry_stale;
    const std::uint64_t* snap = stale ? nullptr : &t.snapshot[e * t.snapshot_width()];
    std::uint64_t mask = 0;
    for (std::size_t c = 0; c < m.column_count(); ++c) {
        if (c == m.key_index) continue;
        if (stale || fingerprint(refs[c]) != *snap) mask |= std::uint64_t{1} << c;
        if (!stale) ++snap;
    }
    return mask;
}

void check_key_unchanged(const table_runtime& t, std::uint32_t e) {
    const auto key = t.map->get_key(t.objects[e]);
    const auto tracked = key ? t.identity.find(*key) : std::nullopt;
    if (!tracked || *tracked != e)
        throw usage_error("flush of " + t.map->table.name() + ": the primary key of a persistent " +
                          t.map->struct_name + " was changed; changing keys is not supported");
}

class update_writer {
  public:
    update_writer(connection& conn, table_runtime& t) : conn_(conn), t_(t) {}

    void write(std::uint32_t e, std::uint64_t mask, const param_ref* refs) {
        const entity_mapping& m = *t_.map;
        auto& stmt = statements_[mask];
        if (!stmt) stmt = prepare(mask);
        std::vector<param_ref> params;
        for (std::size_t c = 0; c < m.column_count(); ++c)
            if (mask & (std::uint64_t{1} << c)) params.push_back(refs[c]);
        params.push_back(refs[m.key_index]);
        try {
            execute_checked(conn_, *stmt, params, 1, m);
        } catch (const sql_error&) {
            rethrow_with_context(m, "updating",
                                 " (key " + std::to_string(*m.get_key(t_.objects[e])) + ")");
        }
    }

  private:
    std::unique_ptr<prepared_statement> prepare(std::uint64_t mask) {
        const entity_mapping& m = *t_.map;
        std::vector<std::string_view> set;
        for (std::size_t c = 0; c < m.column_count(); ++c)
            if (mask & (std::uint64_t{1} << c)) set.push_back(m.table.columns()[c].name());
        return conn_.driver().prepare(conn_.dialect().update_by_key(
            m.table.name(), set, m.table.columns()[m.key_index].name()));
    }

    connection& conn_;
    table_runtime& t_;
    std::map<std::uint64_t, std::unique_ptr<prepared_statement>> statements_;
};

} // namespace

std::vector<std::uint32_t> update_changed(connection& conn, table_runtime& t) {
    std::vector<std::uint32_t> updated;
    if (!t.track_changes) return updated;
    std::optional<update_writer> writer;
    param_ref refs[64];
    for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
        if ((t.flags[e] & (entry_persistent | entry_removing)) != entry_persistent) continue;
        t.map->bind_row(t.objects[e], refs);
        check_key_unchanged(t, e);
        const std::uint64_t mask = changed_columns(t, e, refs);
        if (!mask) continue;
        if (!writer) writer.emplace(conn, t);
        writer->write(e, mask, refs);
        updated.push_back(e);
    }
    return updated;
}

void delete_removed(connection& conn, table_runtime& t) {
    const entity_mapping& m = *t.map;
    const std::size_t per_statement = rows_per_statement(1, conn.parameter_limit(), 1000);
    std::unique_ptr<prepared_statement> full, tail;
    std::vector<param_ref> keys;
    const auto& key_column = m.table.columns()[m.key_index].name();
    auto send = [&] {
        auto& stmt = keys.size() == per_statement ? full : tail;
        if (!stmt)
            stmt = conn.driver().prepare(
                conn.dialect().delete_by_keys(m.table.name(), key_column, keys.size()));
        try {
            execute_checked(conn, *stmt, keys, static_cast<std::int64_t>(keys.size()), m);
        } catch (const sql_error&) {
            rethrow_with_context(m, "deleting from", "");
        }
        keys.clear();
    };
    param_ref refs[64];
    for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
        if (!(t.flags[e] & entry_removing)) continue;
        m.bind_row(t.objects[e], refs);
        keys.push_back(refs[m.key_index]);
        if (keys.size() == per_statement) send();
    }
    if (!keys.empty()) send();
}

} // namespace tabella::detail
