// The keyword list behind identifier quoting: the union of SQLite's keywords,
// PostgreSQL's reserved and type-function-name keywords, and standard SQL reserved words.
#include "keywords.hpp"

#include <algorithm>
#include <array>

namespace tabella::detail {
namespace {

// Sorted; checked by a unit test against sqlite3_keyword_name().
constexpr auto keywords = std::to_array<std::string_view>({
    "abort", "action", "add", "after", "all", "alter", "always", "analyse", "analyze", "and",
    "any", "array", "as", "asc", "asymmetric", "attach", "authorization", "autoincrement",
    "before", "begin", "between", "binary", "both", "by", "cascade", "case", "cast", "check",
    "collate", "collation", "column", "commit", "concurrently", "conflict", "constraint",
    "create", "cross", "current", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user", "database",
    "default", "deferrable", "deferred", "delete", "desc", "detach", "distinct", "do", "drop",
    "each", "else", "end", "escape", "except", "exclude", "exclusive", "exists", "explain",
    "fail", "false", "fetch", "filter", "first", "following", "for", "foreign", "freeze",
    "from", "full", "generated", "glob", "grant", "group", "groups", "having", "if", "ignore",
    "ilike", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
    "intersect", "into", "is", "isnull", "join", "key", "last", "lateral", "leading", "left",
    "like", "limit", "localtime", "localtimestamp", "match", "materialized", "natural", "no",
    "not", "nothing", "notnull", "null", "nulls", "of", "offset", "on", "only", "or", "order",
    "others", "outer", "over", "overlaps", "partition", "placing", "plan", "pragma",
    "preceding", "primary", "query", "raise", "range", "recursive", "references", "regexp",
    "reindex", "release", "rename", "replace", "restrict", "returning", "right", "rollback",
    "row", "rows", "savepoint", "select", "session_user", "set", "similar", "some",
    "symmetric", "system_user", "table", "tablesample", "temp", "temporary", "then", "ties",
    "to", "trailing", "transaction", "trigger", "true", "unbounded", "union", "unique",
    "update", "user", "using", "vacuum", "values", "variadic", "verbose", "view", "virtual",
    "when", "where", "window", "with", "without", "bigint", "bit", "boolean", "char",
    "character", "coalesce", "dec", "decimal", "float", "int", "integer",
    "interval", "nchar", "none", "numeric", "real", "smallint", "time", "timestamp",
});

constexpr auto sorted_keywords = [] {
    auto k = keywords;
    std::sort(k.begin(), k.end());
    return k;
}();

} // namespace

bool is_sql_keyword(std::string_view lower_name) noexcept {
    return std::binary_search(sorted_keywords.begin(), sorted_keywords.end(), lower_name);
}

} // namespace tabella::detail
