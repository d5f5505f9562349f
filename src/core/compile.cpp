// SELECT and condition rendering; client-side checks of values against column types.
#include "tabella/detail/compile.hpp"

#include "tabella/detail/condition_node.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/metadata.hpp"
#include "tabella/statement.hpp"

#include <limits>

namespace tabella::detail {
namespace {

void append_column(const std::string& table, const std::string& column, const dialect& d,
                   std::string& out) {
    d.append_identifier(out, table);
    out += '.';
    d.append_identifier(out, column);
}

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
    append_column(n.table, n.column, d, out.sql);
    out.sql += " IN (";
    for (std::size_t i = 0; i < n.operands.size(); ++i) {
        if (i) out.sql += ", ";
        append_param(n.operands[i], d, out);
    }
    out.sql += ')';
}

} // namespace

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
        append_column(n.table, n.column, d, out.sql);
        out.sql += n.op == condition_op::is_null ? " IS NULL" : " IS NOT NULL";
        return;
    case condition_op::in:
        render_in(n, d, out);
        return;
    case condition_op::like:
    case condition_op::ilike: {
        std::string column;
        append_column(n.table, n.column, d, column);
        d.append_like(out.sql, out.params, column, n.operands.at(0).as<std::string>(),
                      n.op == condition_op::ilike);
        return;
    }
    case condition_op::between:
        append_column(n.table, n.column, d, out.sql);
        out.sql += " BETWEEN ";
        append_param(n.operands.at(0), d, out);
        out.sql += " AND ";
        append_param(n.operands.at(1), d, out);
        return;
    default:
        append_column(n.table, n.column, d, out.sql);
        out.sql += comparison_sql(n.op);
        if (!n.other_column.empty())
            append_column(n.other_table, n.other_column, d, out.sql);
        else
            append_param(n.operands.at(0), d, out);
    }
}

void render_joins(const std::vector<join_clause>& joins, const dialect& d,
                  compiled_statement& out) {
    for (const auto& j : joins) {
        out.sql += j.left ? " LEFT JOIN " : " JOIN ";
        d.append_identifier(out.sql, j.table);
        out.sql += " ON ";
        render_condition(j.on, d, out);
    }
}

void render_order_limit(const std::vector<order_term>& order, std::optional<std::int64_t> limit,
                        std::optional<std::int64_t> offset, const dialect& d,
                        compiled_statement& out) {
    for (std::size_t i = 0; i < order.size(); ++i) {
        out.sql += i ? ", " : " ORDER BY ";
        append_column(order[i].table, order[i].column, d, out.sql);
        if (order[i].descending) out.sql += " DESC";
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

compiled_statement compile_select(const select_statement& stmt, const dialect& d) {
    const table& t = stmt.target();
    compiled_statement out;
    out.sql = "SELECT ";
    const auto& names = stmt.column_names();
    const std::size_t n = names.empty() ? t.columns().size() : names.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out.sql += ", ";
        const std::string& name =
            names.empty() ? t.columns()[i].name() : t.get_column(names[i]).name();
        append_column(t.name(), name, d, out.sql);
    }
    out.sql += " FROM ";
    d.append_identifier(out.sql, t.name());
    render_joins(stmt.joins(), d, out);
    if (stmt.where_clause()) {
        out.sql += " WHERE ";
        render_condition(*stmt.where_clause(), d, out);
    }
    render_order_limit(stmt.ordering(), stmt.limit_count(), stmt.offset_count(), d, out);
    return out;
}

void check_value(const table& t, const column& c, const value& v) {
    const value_kind k = v.kind();
    bool ok = k == value_kind::null;
    switch (c.type()) {
    case column_type::integer:
    case column_type::big_integer:
        ok = ok || k == value_kind::integer || k == value_kind::boolean;
        break;
    case column_type::real:
        ok = ok || k == value_kind::real || k == value_kind::integer;
        break;
    case column_type::string:
    case column_type::text:
        ok = ok || k == value_kind::text;
        break;
    case column_type::boolean:
        ok = ok || k == value_kind::boolean ||
             (k == value_kind::integer && (v.as<std::int64_t>() == 0 || v.as<std::int64_t>() == 1));
        break;
    case column_type::blob:
        ok = ok || k == value_kind::blob;
        break;
    case column_type::timestamp:
        ok = ok || k == value_kind::timestamp;
        if (k == value_kind::text) {
            (void)parse_timestamp(v.as<std::string>()); // throws conversion_error
            ok = true;
        }
        break;
    case column_type::uuid: // text and 16-byte blobs as as<uuid>() reads them
        ok = ok || k == value_kind::uuid;
        if (k == value_kind::text || k == value_kind::blob) {
            (void)v.as<uuid>(); // throws conversion_error
            ok = true;
        }
        break;
    case column_type::date:
        ok = ok || k == value_kind::date;
        if (k == value_kind::text) {
            (void)parse_date(v.as<std::string>()); // throws conversion_error
            ok = true;
        }
        break;
    }
    if (!ok)
        throw conversion_error("column " + t.name() + "." + c.name() + " cannot store a " +
                               std::string(to_string(k)) + " value");
}

} // namespace tabella::detail
