// Statement compilation: SELECT and conditions to SQL text plus bound parameters.
#pragma once

#include "tabella/expression.hpp"
#include "tabella/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tabella {
class dialect;
class select_statement;
struct join_clause;
class update_statement;
class delete_statement;
class table;
class column;
} // namespace tabella

namespace tabella::detail {

/// SQL text and the parameters it binds, in placeholder order.
struct compiled_statement {
    std::string sql;
    std::vector<value> params;
};

struct expr_node;

/// Appends `e` to out.sql, its values to out.params.
void render_expr(const expr_node& e, const dialect& d, compiled_statement& out);
/// Appends `cond` to out.sql, its values to out.params.
void render_condition(const condition& cond, const dialect& d, compiled_statement& out);
/// Appends " JOIN t ON ..." / " LEFT JOIN ..." for each of `joins`.
void render_joins(const std::vector<join_clause>& joins, const dialect& d, compiled_statement& out);
/// Appends ORDER BY / LIMIT / OFFSET clauses (nothing for empty ordering and no limits).
void render_order_limit(const std::vector<order_term>& order, std::optional<std::int64_t> limit,
                        std::optional<std::int64_t> offset, const dialect& d,
                        compiled_statement& out);
/// Appends the full SELECT to `out` (a subquery shares the outer statement's parameters).
void append_select(const select_statement& stmt, const dialect& d, compiled_statement& out);
/// The full SELECT.
[[nodiscard]] compiled_statement compile_select(const select_statement& stmt, const dialect& d);

/// UPDATE t SET c = ?, ... [WHERE ...] [RETURNING ...]; usage_error without values, or
/// with returning() where the dialect cannot return rows from an UPDATE.
[[nodiscard]] compiled_statement compile_update(const update_statement& stmt, const dialect& d);
/// DELETE FROM t [WHERE ...] [RETURNING ...].
[[nodiscard]] compiled_statement compile_delete(const delete_statement& stmt, const dialect& d);

/// Throws conversion_error, naming table and column, when `v` cannot be stored in `c`.
void check_value(const table& t, const column& c, const value& v);

} // namespace tabella::detail
