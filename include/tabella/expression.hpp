// The expression language: columns, bound values, arithmetic, functions and aggregates,
// the conditions made from them for where() / having() / join ON, and ORDER BY terms.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <concepts>
#include <memory>
#include <string>
#include <vector>

namespace tabella {

namespace detail {
struct expr_node;
struct condition_node;
} // namespace detail

class select_statement;
struct order_term;

/// A boolean SQL condition built from comparisons with &&, || and !.
/// Values in a condition are always sent as bound parameters.
class TABELLA_EXPORT condition {
  public:
    explicit condition(std::shared_ptr<const detail::condition_node> node) noexcept
        : node_(std::move(node)) {}
    [[nodiscard]] const detail::condition_node& node() const noexcept { return *node_; }

  private:
    std::shared_ptr<const detail::condition_node> node_;
};

/// An SQL value expression: a column, a bound value, arithmetic on expressions, a function
/// or an aggregate. Comparing expressions makes a condition; values are bound parameters.
class TABELLA_EXPORT expr {
  public:
    explicit expr(std::shared_ptr<const detail::expr_node> node) noexcept
        : node_(std::move(node)) {}
    [[nodiscard]] const detail::expr_node& node() const noexcept { return *node_; }
    [[nodiscard]] const std::shared_ptr<const detail::expr_node>& shared() const noexcept {
        return node_;
    }

    condition operator==(value v) const;
    condition operator!=(value v) const;
    condition operator<(value v) const;
    condition operator<=(value v) const;
    condition operator>(value v) const;
    condition operator>=(value v) const;
    /// Comparisons with another expression: `col(&book::price) > col(&book::list_price)`.
    condition operator==(const expr& other) const;
    condition operator!=(const expr& other) const;
    condition operator<(const expr& other) const;
    condition operator<=(const expr& other) const;
    condition operator>(const expr& other) const;
    condition operator>=(const expr& other) const;
    [[nodiscard]] condition is_null() const;
    [[nodiscard]] condition is_not_null() const;
    /// `x IN (v1, v2, ...)`; an empty list is a condition that is always false.
    [[nodiscard]] condition in_(std::vector<value> values) const;
    /// `x IN (SELECT ...)`: the subquery selects one column. (A template only so that
    /// `in_({})` still means the empty list.)
    template <std::same_as<select_statement> S>
    [[nodiscard]] condition in_(const S& subquery) const {
        return in_select(subquery);
    }
    /// `x LIKE pattern`, case-sensitive on every database (`%` any run of characters,
    /// `_` one character; no escape character).
    [[nodiscard]] condition like(std::string pattern) const;
    /// The same, case-insensitive on every database (ASCII letters on SQLite).
    [[nodiscard]] condition ilike(std::string pattern) const;
    /// `x BETWEEN low AND high` (both included).
    [[nodiscard]] condition between(value low, value high) const;

    /// `x AS name` where the expression is selected (a projection's column name).
    [[nodiscard]] expr label(std::string name) const;

    [[nodiscard]] order_term asc() const;
    [[nodiscard]] order_term desc() const;

  private:
    [[nodiscard]] condition in_select(const select_statement& subquery) const;

    std::shared_ptr<const detail::expr_node> node_;
};

/// A reference to `table.column`.
class TABELLA_EXPORT column_expr : public expr {
  public:
    column_expr(std::string table, std::string column);

    [[nodiscard]] const std::string& table_name() const noexcept;
    [[nodiscard]] const std::string& column_name() const noexcept;
};

/// Where NULLs sort in an ORDER BY term; `database` leaves it to the database (first
/// when descending on PostgreSQL, last on SQLite and MariaDB).
enum class nulls_order : unsigned char { database, first, last };

/// One ORDER BY term: an expression, ascending or descending, with NULLs placed.
struct TABELLA_EXPORT order_term {
    expr expression;
    bool descending = false;
    nulls_order nulls = nulls_order::database;

    order_term(const expr& e, bool desc = false) // NOLINT: implicit, ascending
        : expression(e), descending(desc) {}
    /// NULLs before every value (`NULLS FIRST`, emulated where the database lacks it).
    [[nodiscard]] order_term nulls_first() const;
    /// NULLs after every value.
    [[nodiscard]] order_term nulls_last() const;
};

inline order_term expr::asc() const {
    return {*this, false};
}
inline order_term expr::desc() const {
    return {*this, true};
}

// Arithmetic: `col(&book::price) * 2`, `col(&a::x) + col(&a::y)`. Integer division
// truncates where the database does (SQLite, PostgreSQL); MariaDB's `/` gives a decimal.
TABELLA_EXPORT expr operator+(const expr& a, const expr& b);
TABELLA_EXPORT expr operator-(const expr& a, const expr& b);
TABELLA_EXPORT expr operator*(const expr& a, const expr& b);
TABELLA_EXPORT expr operator/(const expr& a, const expr& b);
TABELLA_EXPORT expr operator+(const expr& a, value b);
TABELLA_EXPORT expr operator-(const expr& a, value b);
TABELLA_EXPORT expr operator*(const expr& a, value b);
TABELLA_EXPORT expr operator/(const expr& a, value b);

/// A value as an expression (a bound parameter): `tabella::literal(1) + col(&a::x)`.
[[nodiscard]] TABELLA_EXPORT expr literal(value v);

// Aggregates, for select() / having().
/// `COUNT(*)`: the rows of the group.
[[nodiscard]] TABELLA_EXPORT expr count();
/// `COUNT(x)`: the rows where x is not NULL; `count(distinct(x))` counts distinct values.
[[nodiscard]] TABELLA_EXPORT expr count(const expr& x);
[[nodiscard]] TABELLA_EXPORT expr sum(const expr& x);
[[nodiscard]] TABELLA_EXPORT expr min(const expr& x);
[[nodiscard]] TABELLA_EXPORT expr max(const expr& x);
[[nodiscard]] TABELLA_EXPORT expr avg(const expr& x);
/// `DISTINCT x`, inside an aggregate: `count(distinct(col(&book::author_id)))`.
[[nodiscard]] TABELLA_EXPORT expr distinct(const expr& x);

// Functions.
/// The first of its arguments that is not NULL.
[[nodiscard]] TABELLA_EXPORT expr coalesce(const expr& x, value fallback);
[[nodiscard]] TABELLA_EXPORT expr coalesce(const expr& x, const expr& fallback);
/// Lower / upper case (ASCII letters only on SQLite).
[[nodiscard]] TABELLA_EXPORT expr lower(const expr& x);
[[nodiscard]] TABELLA_EXPORT expr upper(const expr& x);

/// `EXISTS (SELECT ...)`, e.g. with a condition that names the outer query's table.
[[nodiscard]] TABELLA_EXPORT condition exists(const select_statement& subquery);

TABELLA_EXPORT condition operator&&(const condition& a, const condition& b);
TABELLA_EXPORT condition operator||(const condition& a, const condition& b);
TABELLA_EXPORT condition operator!(const condition& a);

} // namespace tabella
