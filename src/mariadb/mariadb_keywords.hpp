// MariaDB's own reserved words, which an identifier must be quoted to use.
#pragma once

#include <string_view>

namespace tabella::detail {

/// True when `lower_name` (lower case) is a reserved word of MariaDB 10.5-11.
[[nodiscard]] bool is_mariadb_reserved_word(std::string_view lower_name) noexcept;

} // namespace tabella::detail
