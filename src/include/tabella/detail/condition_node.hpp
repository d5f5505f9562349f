// The trees behind `expr` and `condition`; read by statement compilation.
#pragma once

#include "tabella/expression.hpp"
#include "tabella/statement.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tabella::detail {

enum class expr_kind : unsigned char {
    column,     ///< table.column
    literal,    ///< a bound value
    count_rows, ///< COUNT(*)
    function,   ///< name(args...)
    binary,     ///< (args[0] op args[1])
    distinct,   ///< DISTINCT args[0], inside an aggregate
    labeled     ///< args[0] AS name, where it is selected
};

struct expr_node {
    expr_kind kind = expr_kind::column;
    std::string table; ///< column: its table
    std::string name;  ///< column: its name; function: SQL name; binary: operator; label
    value literal;     ///< literal
    std::vector<expr> args;
    /// True for an aggregate function (COUNT, SUM, ...), which needs GROUP BY to mix with
    /// plain columns.
    bool aggregate = false;
};

enum class condition_op {
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    is_null,
    is_not_null,
    in,
    in_subquery,
    like,
    ilike,
    between,
    exists,
    and_,
    or_,
    not_
};

struct condition_node {
    condition_op op;
    std::shared_ptr<const expr_node> lhs; ///< the expression compared (not: and/or/not/exists)
    std::shared_ptr<const expr_node> rhs; ///< compared with another expression (else operands)
    std::vector<value> operands;          ///< comparison value, the IN list, BETWEEN's bounds
    std::shared_ptr<const select_statement> subquery; ///< IN (SELECT ...), EXISTS (...)
    std::vector<condition> children;                  ///< and / or / not
};

} // namespace tabella::detail
