// The tree behind a `condition`; read by statement compilation.
#pragma once

#include "tabella/expression.hpp"

#include <string>
#include <vector>

namespace tabella::detail {

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
    like,
    ilike,
    between,
    and_,
    or_,
    not_
};

struct condition_node {
    condition_op op;
    std::string table;               ///< column comparisons
    std::string column;              ///< column comparisons
    std::vector<value> operands;     ///< comparison value, the IN list, BETWEEN's bounds
    std::string other_table;         ///< a comparison with another column: its table
    std::string other_column;        ///< ... and name (empty: with operands[0])
    std::vector<condition> children; ///< and / or / not
};

} // namespace tabella::detail
