// Reserving rowids for batched inserts, with the checks that make it safe.
#include "sqlite_keys.hpp"

#include "tabella/sqlite.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace tabella::detail {

std::optional<std::int64_t> sqlite_key_reserver::first_cell(sqlite_statement& stmt,
                                                            std::span<const param_ref> params) {
    if (echo_) echo_(stmt.sql(), params);
    row_buffer rows;
    (void)stmt.execute(params, &rows);
    if (rows.cells.empty() || rows.cells[0].is_null()) return std::nullopt;
    return rows.cells[0].as<std::int64_t>();
}

std::int64_t sqlite_key_reserver::scalar(const std::string& sql, const std::vector<value>& params) {
    sqlite_statement stmt(db_, sql);
    std::vector<param_ref> refs;
    for (const auto& p : params) refs.push_back(p.ref());
    return first_cell(stmt, refs).value_or(0);
}

void sqlite_key_reserver::learn(const std::string& table, const std::string& key_column,
                                table_facts& facts) {
    const bool no_triggers =
        scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? "
               "COLLATE NOCASE",
               {table}) == 0;
    // The key is the rowid only when it is the single primary-key column declared exactly
    // INTEGER, in a table WITH rowid.
    const bool key_is_rowid =
        scalar("SELECT count(*) FROM pragma_table_info(?) WHERE pk > 0", {table}) == 1 &&
        scalar("SELECT count(*) FROM pragma_table_info(?) WHERE pk = 1 AND name = ? AND "
               "upper(type) = 'INTEGER'",
               {table, key_column}) == 1 &&
        scalar("SELECT count(*) FROM pragma_table_list(?) WHERE wr = 0", {table}) == 1;
    facts.safe = no_triggers && key_is_rowid;
    // AUTOINCREMENT is in the table's own SQL; its high-water mark (sqlite_sequence) is
    // read at every reservation, as other connections move it.
    facts.autoincrement =
        scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE "
               "NOCASE AND upper(sql) LIKE '%AUTOINCREMENT%'",
               {table}) == 1;
    facts.max_rowid = std::make_unique<sqlite_statement>(
        db_, "SELECT max(rowid) FROM " + sqlite_dialect().quote_identifier(table));
    facts.sequence.reset();
    if (facts.autoincrement)
        facts.sequence = std::make_unique<sqlite_statement>(
            db_, "SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE");
}

bool sqlite_key_reserver::reserve(const std::string& table, const std::string& key_column,
                                  std::size_t count, std::int64_t above,
                                  std::vector<std::int64_t>& out) {
    if (!schema_version_)
        schema_version_ = std::make_unique<sqlite_statement>(db_, "PRAGMA schema_version");
    const auto current = first_cell(*schema_version_).value_or(0);
    auto& facts = tables_[table];
    if (facts.schema_version != current) { // a schema change may have added a trigger
        learn(table, key_column, facts);
        facts.schema_version = current;
    }
    if (!facts.safe) return false;
    std::int64_t base = first_cell(*facts.max_rowid).value_or(0);
    // AUTOINCREMENT promises never to reuse a key, even one whose row was deleted.
    if (facts.sequence) {
        const param_ref name[] = {param_ref::of_text(table)};
        base = std::max(base, first_cell(*facts.sequence, name).value_or(0));
    }
    // SQLite reuses the keys of deleted rows; the caller may still address a row by one.
    base = std::max(base, above);
    // At the largest rowid SQLite picks keys at random: no block can be reserved.
    if (base < 0 ||
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - base) < count)
        return false;
    for (std::size_t i = 1; i <= count; ++i) out.push_back(base + static_cast<std::int64_t>(i));
    return true;
}

} // namespace tabella::detail
