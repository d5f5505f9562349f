// Building expression and condition trees.
#include "tabella/detail/condition_node.hpp"

namespace tabella {
namespace {

using detail::condition_op;
using detail::expr_kind;
using detail::expr_node;

expr make(expr_kind kind, std::string name, std::vector<expr> args, bool aggregate = false) {
    auto node = std::make_shared<expr_node>();
    node->kind = kind;
    node->name = std::move(name);
    node->args = std::move(args);
    node->aggregate = aggregate;
    return expr(std::move(node));
}

std::shared_ptr<expr_node> column_node(std::string table, std::string column) {
    auto node = std::make_shared<expr_node>();
    node->kind = expr_kind::column;
    node->table = std::move(table);
    node->name = std::move(column);
    return node;
}

condition compare(const expr& e, condition_op op, std::vector<value> operands) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->lhs = e.shared();
    node->operands = std::move(operands);
    return condition(std::move(node));
}

condition compare(const expr& a, condition_op op, const expr& b) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->lhs = a.shared();
    node->rhs = b.shared();
    return condition(std::move(node));
}

condition with_subquery(const expr* e, condition_op op, const select_statement& subquery) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    if (e) node->lhs = e->shared();
    node->subquery = std::make_shared<const select_statement>(subquery);
    return condition(std::move(node));
}

condition combine(condition_op op, std::vector<condition> children) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->children = std::move(children);
    return condition(std::move(node));
}

} // namespace

column_expr::column_expr(std::string table, std::string column)
    : expr(column_node(std::move(table), std::move(column))) {}
const std::string& column_expr::table_name() const noexcept {
    return node().table;
}
const std::string& column_expr::column_name() const noexcept {
    return node().name;
}

condition expr::operator==(value v) const {
    // `x == NULL` is never true in SQL; users who write it mean IS NULL.
    if (v.is_null()) return is_null();
    return compare(*this, condition_op::eq, {std::move(v)});
}
condition expr::operator!=(value v) const {
    if (v.is_null()) return is_not_null();
    return compare(*this, condition_op::ne, {std::move(v)});
}
condition expr::operator<(value v) const {
    return compare(*this, condition_op::lt, {std::move(v)});
}
condition expr::operator<=(value v) const {
    return compare(*this, condition_op::le, {std::move(v)});
}
condition expr::operator>(value v) const {
    return compare(*this, condition_op::gt, {std::move(v)});
}
condition expr::operator>=(value v) const {
    return compare(*this, condition_op::ge, {std::move(v)});
}
condition expr::operator==(const expr& other) const {
    return compare(*this, condition_op::eq, other);
}
condition expr::operator!=(const expr& other) const {
    return compare(*this, condition_op::ne, other);
}
condition expr::operator<(const expr& other) const {
    return compare(*this, condition_op::lt, other);
}
condition expr::operator<=(const expr& other) const {
    return compare(*this, condition_op::le, other);
}
condition expr::operator>(const expr& other) const {
    return compare(*this, condition_op::gt, other);
}
condition expr::operator>=(const expr& other) const {
    return compare(*this, condition_op::ge, other);
}
condition expr::is_null() const {
    return compare(*this, condition_op::is_null, {});
}
condition expr::is_not_null() const {
    return compare(*this, condition_op::is_not_null, {});
}
condition expr::in_(std::vector<value> values) const {
    return compare(*this, condition_op::in, std::move(values));
}
condition expr::in_select(const select_statement& subquery) const {
    return with_subquery(this, condition_op::in_subquery, subquery);
}
condition expr::like(std::string pattern) const {
    return compare(*this, condition_op::like, {value(std::move(pattern))});
}
condition expr::ilike(std::string pattern) const {
    return compare(*this, condition_op::ilike, {value(std::move(pattern))});
}
condition expr::between(value low, value high) const {
    return compare(*this, condition_op::between, {std::move(low), std::move(high)});
}
expr expr::label(std::string name) const {
    return make(expr_kind::labeled, std::move(name), {*this}, node().aggregate);
}

order_term order_term::nulls_first() const {
    order_term t = *this;
    t.nulls = nulls_order::first;
    return t;
}
order_term order_term::nulls_last() const {
    order_term t = *this;
    t.nulls = nulls_order::last;
    return t;
}

expr operator+(const expr& a, const expr& b) {
    return make(expr_kind::binary, "+", {a, b});
}
expr operator-(const expr& a, const expr& b) {
    return make(expr_kind::binary, "-", {a, b});
}
expr operator*(const expr& a, const expr& b) {
    return make(expr_kind::binary, "*", {a, b});
}
expr operator/(const expr& a, const expr& b) {
    return make(expr_kind::binary, "/", {a, b});
}
expr operator+(const expr& a, value b) {
    return a + literal(std::move(b));
}
expr operator-(const expr& a, value b) {
    return a - literal(std::move(b));
}
expr operator*(const expr& a, value b) {
    return a * literal(std::move(b));
}
expr operator/(const expr& a, value b) {
    return a / literal(std::move(b));
}

expr literal(value v) {
    auto node = std::make_shared<expr_node>();
    node->kind = expr_kind::literal;
    node->literal = std::move(v);
    return expr(std::move(node));
}

expr count() {
    return make(expr_kind::count_rows, "COUNT", {}, true);
}
expr count(const expr& x) {
    return make(expr_kind::function, "COUNT", {x}, true);
}
expr sum(const expr& x) {
    return make(expr_kind::function, "SUM", {x}, true);
}
expr min(const expr& x) {
    return make(expr_kind::function, "MIN", {x}, true);
}
expr max(const expr& x) {
    return make(expr_kind::function, "MAX", {x}, true);
}
expr avg(const expr& x) {
    return make(expr_kind::function, "AVG", {x}, true);
}
expr distinct(const expr& x) {
    return make(expr_kind::distinct, "DISTINCT", {x});
}
expr coalesce(const expr& x, value fallback) {
    return coalesce(x, literal(std::move(fallback)));
}
expr coalesce(const expr& x, const expr& fallback) {
    return make(expr_kind::function, "COALESCE", {x, fallback});
}
expr lower(const expr& x) {
    return make(expr_kind::function, "LOWER", {x});
}
expr upper(const expr& x) {
    return make(expr_kind::function, "UPPER", {x});
}

condition exists(const select_statement& subquery) {
    return with_subquery(nullptr, condition_op::exists, subquery);
}

condition operator&&(const condition& a, const condition& b) {
    return combine(condition_op::and_, {a, b});
}
condition operator||(const condition& a, const condition& b) {
    return combine(condition_op::or_, {a, b});
}
condition operator!(const condition& a) {
    return combine(condition_op::not_, {a});
}

} // namespace tabella
