// Building condition trees from column comparisons.
#include "tabella/detail/condition_node.hpp"

namespace tabella {
namespace {

condition compare(const column_expr& c, detail::condition_op op, std::vector<value> operands) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->table = c.table_name();
    node->column = c.column_name();
    node->operands = std::move(operands);
    return condition(std::move(node));
}

condition combine(detail::condition_op op, std::vector<condition> children) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->children = std::move(children);
    return condition(std::move(node));
}

} // namespace

using detail::condition_op;

condition column_expr::operator==(value v) const {
    // `column == NULL` is never true in SQL; users who write it mean IS NULL.
    if (v.is_null()) return is_null();
    return compare(*this, condition_op::eq, {std::move(v)});
}
condition column_expr::operator!=(value v) const {
    if (v.is_null()) return is_not_null();
    return compare(*this, condition_op::ne, {std::move(v)});
}
condition column_expr::operator<(value v) const {
    return compare(*this, condition_op::lt, {std::move(v)});
}
condition column_expr::operator<=(value v) const {
    return compare(*this, condition_op::le, {std::move(v)});
}
condition column_expr::operator>(value v) const {
    return compare(*this, condition_op::gt, {std::move(v)});
}
condition column_expr::operator>=(value v) const {
    return compare(*this, condition_op::ge, {std::move(v)});
}
condition column_expr::is_null() const {
    return compare(*this, condition_op::is_null, {});
}
condition column_expr::is_not_null() const {
    return compare(*this, condition_op::is_not_null, {});
}
condition column_expr::in_(std::vector<value> values) const {
    return compare(*this, condition_op::in, std::move(values));
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
