// Key reservation on PostgreSQL: which sequence a key column draws from, when explicit keys
// are safe, and the summary row that brings the keys back.
#include "postgres_keys.hpp"

#include "tabella/error.hpp"

#include <charconv>

namespace tabella::detail {
namespace {

// Key reservation, in one round trip per block. MATERIALIZED: the sequence lookup runs
// once, not once per key (the planner would otherwise flatten it into the generate_series
// loop: half the flush's server time). The keys usually come out consecutive: then only the
// first one and the count travel; otherwise (other sessions took values in between) every
// key does, as an array.
const std::string reserved_keys_select =
    "SELECT min(v), count(*), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
    "ELSE array_to_string(array_agg(v), ',') END";

// The sequence of column $2 of table $1: its own (serial, identity), else the one sequence
// of a `DEFAULT nextval('s')` that is exactly that call (a sequence made by another program,
// not owned by the column; the default depends on it in pg_depend). NULL when neither.
const std::string key_sequence_of_column =
    "coalesce(pg_get_serial_sequence($1::text, $2::text), "
    "(SELECT d.refobjid::regclass::text FROM pg_attrdef ad JOIN pg_attribute a "
    "ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum JOIN pg_depend d "
    "ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid "
    "AND d.refclassid = 'pg_class'::regclass JOIN pg_class c "
    "ON c.oid = d.refobjid AND c.relkind = 'S' "
    "WHERE ad.adrelid = $1::text::regclass AND a.attname = $2::text "
    "AND pg_get_expr(ad.adbin, ad.adrelid) = "
    "'nextval(' || quote_literal(d.refobjid::regclass::text) || '::regclass)' LIMIT 1))";

// Explicit keys reach table $1 unchanged: no GENERATED ALWAYS key $2, no user-defined
// trigger (foreign keys' internal ones are fine) or rule, a plain table (not partitioned
// or foreign).
const std::string explicit_keys_are_kept =
    "NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = $1::text::regclass "
    "AND attname = $2::text AND attidentity = 'a') "
    "AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = $1::text::regclass "
    "AND NOT tgisinternal) "
    "AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = $1::text::regclass "
    "AND rulename <> '_RETURN') "
    "AND (SELECT relkind FROM pg_class WHERE oid = $1::text::regclass) = 'r'";

} // namespace

const std::string& reserve_keys_sql() {
    static const std::string sql =
        "WITH q AS MATERIALIZED (SELECT " + key_sequence_of_column + " AS s WHERE " +
        explicit_keys_are_kept +
        "), k AS MATERIALIZED (SELECT nextval(q.s) AS v FROM q, generate_series(1, $3::bigint) "
        "WHERE q.s IS NOT NULL) " +
        reserved_keys_select + ", (SELECT s FROM q) FROM k";
    return sql;
}

const std::string& reserve_from_sequence_sql() {
    static const std::string sql =
        "WITH q AS MATERIALIZED (SELECT $1::text::regclass AS s), "
        "k AS MATERIALIZED (SELECT nextval(q.s) AS v FROM q, generate_series(1, $2::bigint)) " +
        reserved_keys_select + " FROM k";
    return sql;
}

bool read_reserved_keys(const row_buffer& keys, std::size_t count, std::vector<std::int64_t>& out) {
    if (keys.row_count() != 1 || keys.cells[1].as<std::int64_t>() != std::int64_t(count))
        return false;
    if (keys.cells[2].is_null()) { // consecutive
        const auto first = keys.cells[0].as<std::int64_t>();
        for (std::size_t i = 0; i < count; ++i) out.push_back(first + static_cast<std::int64_t>(i));
        return true;
    }
    const std::size_t before = out.size();
    const auto list = keys.cells[2].as<std::string>();
    for (std::size_t pos = 0; pos < list.size();) {
        std::int64_t key = 0;
        const auto [end, ec] = std::from_chars(list.data() + pos, list.data() + list.size(), key);
        if (ec != std::errc{}) throw error("postgresql: cannot read reserved keys '" + list + "'");
        out.push_back(key);
        pos = static_cast<std::size_t>(end - list.data()) + 1;
    }
    return out.size() - before == count;
}

} // namespace tabella::detail
