// Text form of timestamps and dates: "YYYY-MM-DD HH:MM:SS.ffffff" in UTC and "YYYY-MM-DD",
// as SQLite stores them, and the range every database stores: years 1 to 9999.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tabella::detail {

/// 0001-01-01 00:00:00 UTC and 9999-12-31 23:59:59.999999 UTC, in microseconds since the
/// epoch: the timestamps tabella stores.
inline constexpr std::int64_t min_timestamp_micros =
    std::chrono::sys_days(std::chrono::year(1) / 1 / 1).time_since_epoch().count() *
    std::int64_t{86'400'000'000};
inline constexpr std::int64_t max_timestamp_micros =
    (std::chrono::sys_days(std::chrono::year(9999) / 12 / 31).time_since_epoch().count() + 1) *
        std::int64_t{86'400'000'000} -
    1;
/// 0001-01-01 and 9999-12-31 in days since the epoch: the dates tabella stores.
inline constexpr std::int64_t min_date_days =
    std::chrono::sys_days(std::chrono::year(1) / 1 / 1).time_since_epoch().count();
inline constexpr std::int64_t max_date_days =
    std::chrono::sys_days(std::chrono::year(9999) / 12 / 31).time_since_epoch().count();

/// Formats microseconds since the epoch as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC). Never
/// throws: outside years 1 to 9999 (for messages and echo only) the year may have a sign
/// or more digits.
[[nodiscard]] TABELLA_EXPORT std::string format_timestamp(std::int64_t micros);
/// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,6}][Z|+HH[:MM[:SS]]|-HH[:MM[:SS]]][ BC]", the ISO
/// forms SQLite and PostgreSQL (DateStyle ISO, any TimeZone) use. Throws conversion_error
/// for other text, for PostgreSQL's 'infinity' and '-infinity', and for a time outside
/// years 1 to 9999 (UTC).
[[nodiscard]] TABELLA_EXPORT timestamp parse_timestamp(std::string_view text);
/// Throws conversion_error when `micros` is outside years 1 to 9999, the range every
/// database stores; `what` says where it comes from, for the message.
TABELLA_EXPORT void check_timestamp_range(std::int64_t micros, std::string_view what = {});

/// Formats days since the epoch as "YYYY-MM-DD". Never throws (as format_timestamp).
[[nodiscard]] TABELLA_EXPORT std::string format_date(std::int64_t days);
/// Parses "YYYY-MM-DD[ BC]"; throws conversion_error for other text, for 'infinity' and
/// '-infinity', for a date not on the calendar and for years outside 1 to 9999.
[[nodiscard]] TABELLA_EXPORT std::chrono::year_month_day parse_date(std::string_view text);
/// Throws conversion_error when `days` is outside years 1 to 9999 (or is
/// param_ref::invalid_date, a date not on the calendar).
TABELLA_EXPORT void check_date_range(std::int64_t days, std::string_view what = {});

} // namespace tabella::detail
