// UPDATE and DELETE by criteria: SQL text and bound parameters.
#include "tabella/detail/compile.hpp"

#include "tabella/detail/condition_node.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/metadata.hpp"
#include "tabella/statement.hpp"

namespace tabella::detail {
namespace {

void render_where(const std::optional<condition>& where, const dialect& d,
                  compiled_statement& out) {
    if (!where) return;
    out.sql += " WHERE ";
    render_condition(*where, d, out);
}

void render_returning(const table& t, const std::vector<std::string>& columns, const dialect& d,
                      compiled_statement& out) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        out.sql += i ? ", " : " RETURNING ";
        d.append_identifier(out.sql, t.get_column(columns[i]).name());
    }
}

} // namespace

compiled_statement compile_update(const update_statement& stmt, const dialect& d) {
    const table& t = stmt.target();
    const auto& items = stmt.assignments().items();
    const auto& expressions = stmt.expression_assignments();
    if (items.empty() && expressions.empty())
        throw usage_error("update of '" + t.name() + "': no values() to set");
    if (!stmt.returned().empty() && !d.returns_from_update())
        throw usage_error("update of '" + t.name() + "': " + std::string(d.name()) +
                          " cannot return rows from an UPDATE (returning() is for DELETE "
                          "and INSERT there)");
    compiled_statement out;
    out.sql = "UPDATE ";
    d.append_identifier(out.sql, t.name());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const column& c = t.get_column(items[i].first);
        check_value(t, c, items[i].second);
        out.sql += i ? ", " : " SET ";
        d.append_identifier(out.sql, c.name());
        out.sql += " = ";
        out.params.push_back(items[i].second);
        d.append_placeholder(out.sql, out.params.size());
    }
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        out.sql += i || !items.empty() ? ", " : " SET ";
        d.append_identifier(out.sql, t.get_column(expressions[i].first).name());
        out.sql += " = ";
        render_expr(expressions[i].second.node(), d, out);
    }
    render_where(stmt.where_clause(), d, out);
    render_returning(t, stmt.returned(), d, out);
    return out;
}

compiled_statement compile_delete(const delete_statement& stmt, const dialect& d) {
    const table& t = stmt.target();
    compiled_statement out;
    out.sql = "DELETE FROM ";
    d.append_identifier(out.sql, t.name());
    render_where(stmt.where_clause(), d, out);
    render_returning(t, stmt.returned(), d, out);
    return out;
}

} // namespace tabella::detail
