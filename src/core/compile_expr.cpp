// Rendering expressions, conditions and ORDER BY terms: SQL text with bound parameters.
#include "tabella/detail/compile.hpp"

#include "tabella/detail/condition_node.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <limits>

namespace tabella::detail {
namespace {

void append_param(value v, const dialect& d, compiled_statement& out) {
    out.params.push_back(std::move(v));
    d.append_placeholder(out.sql, out.params.size());
}

std::string_view comparison_sql(condition_op op) {
    switch (op) {
    case condition_op::eq:
        return " = ";
    case condition_op::ne:
        return " != ";
    case condition_op::lt:
        return " < ";
    case condition_op::le:
        return " <= ";
    case condition_op::gt:
        return " > ";
    case condition_op::ge:
        return " >= ";
    default:
        return "";
    }
}

void render_in(const condition_node& n, const dialect& d, compiled_statement& out) {
    if (n.operands.empty()) {
        out.sql += "(1 = 0)"; // x IN () is not valid SQL; it would be false
        return;
    }
    render_expr(*n.lhs, d, out);
    out.sql += " IN (";
    for (std::size_t i = 0; i < n.operands.size(); ++i) {
        if (i) out.sql += ", ";
        append_param(n.operands[i], d, out);
    }
    out.sql += ')';
}

void render_subquery(const select_statement& q, const dialect& d, compiled_statement& out) {
    out.sql += '(';
    append_select(q, d, out);
    out.sql += ')';
}

void render_like(const condition_node& n, const dialect& d, compiled_statement& out) {
    // The expression's parameters come before the pattern's, as its text does.
    compiled_statement lhs;
    lhs.params = std::move(out.params);
    render_expr(*n.lhs, d, lhs);
    out.params = std::move(lhs.params);
    d.append_like(out.sql, out.params, lhs.sql, n.operands.at(0).as<std::string>(),
                  n.op == condition_op::ilike);
}

// `x = v`, `x < y`, `x BETWEEN a AND b`...
void render_comparison(const condition_node& n, const dialect& d, compiled_statement& out) {
    render_expr(*n.lhs, d, out);
    if (n.op == condition_op::between) {
        out.sql += " BETWEEN ";
        append_param(n.operands.at(0), d, out);
        out.sql += " AND ";
        append_param(n.operands.at(1), d, out);
        return;
    }
    out.sql += comparison_sql(n.op);
    if (n.rhs)
        render_expr(*n.rhs, d, out);
    else
        append_param(n.operands.at(0), d, out);
}

} // namespace

void render_expr(const expr_node& e, const dialect& d, compiled_statement& out) {
    switch (e.kind) {
    case expr_kind::column:
        d.append_identifier(out.sql, e.table);
        out.sql += '.';
        d.append_identifier(out.sql, e.name);
        return;
    case expr_kind::literal:
        append_param(e.literal, d, out);
        return;
    case expr_kind::count_rows:
        out.sql += "COUNT(*)";
        return;
    case expr_kind::function:
        out.sql += e.name;
        out.sql += '(';
        for (std::size_t i = 0; i < e.args.size(); ++i) {
            if (i) out.sql += ", ";
            render_expr(e.args[i].node(), d, out);
        }
        out.sql += ')';
        return;
    case expr_kind::binary:
        out.sql += '(';
        render_expr(e.args.at(0).node(), d, out);
        out.sql += ' ';
        out.sql += e.name;
        out.sql += ' ';
        render_expr(e.args.at(1).node(), d, out);
        out.sql += ')';
        return;
    case expr_kind::distinct:
        out.sql += "DISTINCT ";
        render_expr(e.args.at(0).node(), d, out);
        return;
    case expr_kind::labeled: // the label is rendered where the expression is selected
        render_expr(e.args.at(0).node(), d, out);
        return;
    }
}

void render_condition(const condition& cond, const dialect& d, compiled_statement& out) {
    const condition_node& n = cond.node();
    switch (n.op) {
    case condition_op::and_:
    case condition_op::or_:
        out.sql += '(';
        render_condition(n.children[0], d, out);
        out.sql += n.op == condition_op::and_ ? " AND " : " OR ";
        render_condition(n.children[1], d, out);
        out.sql += ')';
        return;
    case condition_op::not_:
        out.sql += "NOT (";
        render_condition(n.children[0], d, out);
        out.sql += ')';
        return;
    case condition_op::is_null:
    case condition_op::is_not_null:
        render_expr(*n.lhs, d, out);
        out.sql += n.op == condition_op::is_null ? " IS NULL" : " IS NOT NULL";
        return;
    case condition_op::in:
        render_in(n, d, out);
        return;
    case condition_op::in_subquery:
        render_expr(*n.lhs, d, out);
        out.sql += " IN ";
        render_subquery(*n.subquery, d, out);
        return;
    case condition_op::exists:
        out.sql += "EXISTS ";
        render_subquery(*n.subquery, d, out);
        return;
    case condition_op::like:
    case condition_op::ilike:
        render_like(n, d, out);
        return;
    default:
        render_comparison(n, d, out);
    }
}

void render_order_limit(const std::vector<order_term>& order, std::optional<std::int64_t> limit,
                        std::optional<std::int64_t> offset, const dialect& d,
                        compiled_statement& out) {
    for (std::size_t i = 0; i < order.size(); ++i) {
        out.sql += i ? ", " : " ORDER BY ";
        const order_term& t = order[i];
        const bool emulate = t.nulls != nulls_order::database && !d.orders_nulls();
        if (emulate) { // a NULL-ness key first: 0 sorts before 1
            out.sql += "CASE WHEN ";
            render_expr(t.expression.node(), d, out);
            out.sql += t.nulls == nulls_order::first ? " IS NULL THEN 0 ELSE 1 END, "
                                                     : " IS NULL THEN 1 ELSE 0 END, ";
        }
        render_expr(t.expression.node(), d, out);
        if (t.descending) out.sql += " DESC";
        if (!emulate && t.nulls != nulls_order::database)
            out.sql += t.nulls == nulls_order::first ? " NULLS FIRST" : " NULLS LAST";
    }
    if (limit || offset) {
        // OFFSET alone is not valid SQLite; an unbounded LIMIT works on every dialect.
        out.sql += " LIMIT ";
        append_param(limit.value_or(std::numeric_limits<std::int64_t>::max()), d, out);
    }
    if (offset) {
        out.sql += " OFFSET ";
        append_param(*offset, d, out);
    }
}

} // namespace tabella::detail
