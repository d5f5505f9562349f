// The SQL of key reservation on PostgreSQL (nextval over generate_series, one round trip
// per block) and the reading of its answer.
#pragma once

#include "tabella/detail/driver.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tabella::detail {

/// Reserves $3 keys of column $2 of table $1 (both as SQL text, the table quoted as needed)
/// from the column's sequence where explicit keys reach the table as sent. Answers one
/// summary row (see read_reserved_keys) and the sequence's name; no keys when unsafe.
[[nodiscard]] const std::string& reserve_keys_sql();
/// Draws $2 values from the sequence $1 (SQL text, quoted as needed): one summary row.
[[nodiscard]] const std::string& reserve_from_sequence_sql();
/// Appends the keys of a reservation's summary row (first key, count, and the keys as a
/// comma-separated list unless they are consecutive) to `out`. False when it holds fewer
/// than `count` keys.
bool read_reserved_keys(const row_buffer& keys, std::size_t count, std::vector<std::int64_t>& out);

} // namespace tabella::detail
