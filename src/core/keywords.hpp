// SQL keywords that force an identifier to be quoted, for every dialect.
#pragma once

#include <string_view>

namespace tabella::detail {

/// True when `lower_name` (already lower case) is a keyword of SQLite or PostgreSQL, or a
/// reserved word of standard SQL. Quoting more names than needed is harmless; fewer is not.
[[nodiscard]] bool is_sql_keyword(std::string_view lower_name) noexcept;

} // namespace tabella::detail
