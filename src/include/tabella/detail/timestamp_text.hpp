// Text form of timestamps: "YYYY-MM-DD HH:MM:SS.ffffff" in UTC, as SQLite stores them.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <string>
#include <string_view>

namespace tabella::detail {

/// Formats microseconds since the epoch as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC).
[[nodiscard]] TABELLA_EXPORT std::string format_timestamp(std::int64_t micros);
/// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}][Z|+HH[:MM]|-HH[:MM]]"; throws conversion_error.
[[nodiscard]] TABELLA_EXPORT timestamp parse_timestamp(std::string_view text);

} // namespace tabella::detail
