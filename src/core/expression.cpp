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

condition column_expr::like(std::string pattern) const {
    return compare(*this, condition_op::like, {value(std::move(pattern))});
}
condition column_expr::ilike(std::string pattern) const {
    return compare(*this, condition_op::ilike, {value(std::move(pattern))});
}
condition column_expr::between(value low, value high) const {
    return compare(*this, condition_op::between, {std::move(low), std::move(high)});
}

namespace {

condition compare_columns(const column_expr& a, condition_op op, const column_expr& b) {
    auto node = std::make_shared<detail::condition_node>();
    node->op = op;
    node->table = a.table_name();
    node->column = a.column_name();
    node->other_table = b.table_name();
    node->other_column = b.column_name();
    return condition(std::move(node));
}

} // namespace

condition column_expr::operator==(const column_expr& other) const {
    return compare_columns(*this, condition_op::eq, other);
}
condition column_expr::operator!=(const column_expr& other) const {
    return compare_columns(*this, condition_op::ne, other);
}
condition column_expr::operator<(const column_expr& other) const {
    return compare_columns(*this, condition_op::lt, other);
}
condition column_expr::operator<=(const column_expr& other) const {
    return compare_columns(*this, condition_op::le, other);
}
condition column_expr::operator>(const column_expr& other) const {
    return compare_columns(*this, condition_op::gt, other);
}
condition column_expr::operator>=(const column_expr& other) const {
    return compare_columns(*this, condition_op::ge, other);
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
