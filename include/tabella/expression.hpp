// Column expressions and conditions for where() and order_by().
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tabella {

namespace detail {
struct condition_node;
}

/// A boolean SQL condition built from column comparisons with &&, || and !.
/// Values in a condition are always sent as bound parameters.
class TABELLA_EXPORT condition {
  public:
    explicit condition(std::shared_ptr<const detail::condition_node> node) noexcept
        : node_(std::move(node)) {}
    [[nodiscard]] const detail::condition_node& node() const noexcept { return *node_; }

  private:
    std::shared_ptr<const detail::condition_node> node_;
};

class column_expr;

/// One ORDER BY term.
struct TABELLA_EXPORT order_term {
    std::string table;
    std::string column;
    bool descending = false;
    order_term(const column_expr& c, bool desc = false); // NOLINT: implicit, ascending
};

/// A reference to `table.column` in a condition or ORDER BY.
class TABELLA_EXPORT column_expr {
  public:
    column_expr(std::string table, std::string column)
        : table_(std::move(table)), column_(std::move(column)) {}

    [[nodiscard]] const std::string& table_name() const noexcept { return table_; }
    [[nodiscard]] const std::string& column_name() const noexcept { return column_; }

    condition operator==(value v) const;
    condition operator!=(value v) const;
    condition operator<(value v) const;
    condition operator<=(value v) const;
    condition operator>(value v) const;
    condition operator>=(value v) const;
    [[nodiscard]] condition is_null() const;
    [[nodiscard]] condition is_not_null() const;
    /// `column IN (v1, v2, ...)`; an empty list is a condition that is always false.
    [[nodiscard]] condition in_(std::vector<value> values) const;
    /// `column LIKE pattern`, case-sensitive on every database (`%` any run of characters,
    /// `_` one character; no escape character).
    [[nodiscard]] condition like(std::string pattern) const;
    /// The same, case-insensitive on every database (ASCII letters on SQLite).
    [[nodiscard]] condition ilike(std::string pattern) const;
    /// `column BETWEEN low AND high` (both included).
    [[nodiscard]] condition between(value low, value high) const;
    /// Comparisons with another column: `col(&book::price) > col(&book::list_price)`.
    condition operator==(const column_expr& other) const;
    condition operator!=(const column_expr& other) const;
    condition operator<(const column_expr& other) const;
    condition operator<=(const column_expr& other) const;
    condition operator>(const column_expr& other) const;
    condition operator>=(const column_expr& other) const;
    [[nodiscard]] order_term asc() const { return {*this, false}; }
    [[nodiscard]] order_term desc() const { return {*this, true}; }

  private:
    std::string table_;
    std::string column_;
};

TABELLA_EXPORT condition operator&&(const condition& a, const condition& b);
TABELLA_EXPORT condition operator||(const condition& a, const condition& b);
TABELLA_EXPORT condition operator!(const condition& a);

inline order_term::order_term(const column_expr& c, bool desc)
    : table(c.table_name()), column(c.column_name()), descending(desc) {}

} // namespace tabella
