// SELECT statements; client-side checks of values against column types.
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

// The table of the first column an expression names, or nullptr.
const std::string* first_table(const expr_node& e) {
    if (e.kind == expr_kind::column) return &e.table;
    for (const auto& a : e.args)
        if (const auto* t = first_table(a.node())) return t;
    return nullptr;
}

void render_select_list(const select_statement& stmt, const dialect& d, compiled_statement& out) {
    if (!stmt.selected().empty()) {
        for (std::size_t i = 0; i < stmt.selected().size(); ++i) {
            if (i) out.sql += ", ";
            const expr_node& e = stmt.selected()[i].node();
            render_expr(e, d, out);
            if (e.kind == expr_kind::labeled) {
                out.sql += " AS ";
                d.append_identifier(out.sql, e.name);
            }
        }
        return;
    }
    const table& t = stmt.target();
    const auto& names = stmt.column_names();
    const std::size_t n = names.empty() ? t.columns().size() : names.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out.sql += ", ";
        d.append_identifier(out.sql, t.name());
        out.sql += '.';
        d.append_identifier(out.sql, names.empty() ? t.columns()[i].name() : names[i]);
    }
}

void render_from(const select_statement& stmt, const dialect& d, compiled_statement& out) {
    const std::string* from = stmt.from_table() ? &stmt.from_table()->name() : nullptr;
    for (std::size_t i = 0; !from && i < stmt.selected().size(); ++i)
        from = first_table(stmt.selected()[i].node());
    if (!from) {
        if (!stmt.joins().empty())
            throw usage_error("select(): a join needs a FROM table (select_from())");
        return;
    }
    out.sql += " FROM ";
    d.append_identifier(out.sql, *from);
}

} // namespace

void render_joins(const std::vector<join_clause>& joins, const dialect& d,
                  compiled_statement& out) {
    for (const auto& j : joins) {
        out.sql += j.left ? " LEFT JOIN " : " JOIN ";
        d.append_identifier(out.sql, j.table);
        out.sql += " ON ";
        render_condition(j.on, d, out);
    }
}

void append_select(const select_statement& stmt, const dialect& d, compiled_statement& out) {
    out.sql += stmt.is_distinct() ? "SELECT DISTINCT " : "SELECT ";
    render_select_list(stmt, d, out);
    render_from(stmt, d, out);
    render_joins(stmt.joins(), d, out);
    if (stmt.where_clause()) {
        out.sql += " WHERE ";
        render_condition(*stmt.where_clause(), d, out);
    }
    for (std::size_t i = 0; i < stmt.grouping().size(); ++i) {
        out.sql += i ? ", " : " GROUP BY ";
        render_expr(stmt.grouping()[i].node(), d, out);
    }
    if (stmt.having_clause()) {
        out.sql += " HAVING ";
        render_condition(*stmt.having_clause(), d, out);
    }
    render_order_limit(stmt.ordering(), stmt.limit_count(), stmt.offset_count(), d, out);
}

compiled_statement compile_select(const select_statement& stmt, const dialect& d) {
    compiled_statement out;
    append_select(stmt, d, out);
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
