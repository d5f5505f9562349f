// Matching the rows a multi-row INSERT ... RETURNING gives back to the rows sent, by the
// values they hold, never by their order (no database here promises one): shared by Core's
// insert().returning() and the ORM's flush.
#pragma once

#include "tabella/export.hpp"

#include "tabella/detail/driver.hpp"
#include "tabella/value.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace tabella::detail {

/// The same value, as the database returns what it stored: integers, booleans and
/// timestamps as integers (a DOUBLE column as a real), dates as dates, text, blobs and
/// uuids byte for byte (a uuid comes back as one, or as the 16 bytes of a BINARY(16)).
[[nodiscard]] TABELLA_EXPORT bool same_stored_value(const param_ref& sent,
                                                    const param_ref& got) noexcept;

/// For each row of `returned`, the row of `sent` (`width` values a row) whose values its
/// cells [offset, offset + width) hold, each sent row taken at most once and tried at the
/// same position first. Sent rows with equal values are interchangeable. nullopt when a
/// returned row holds no remaining sent row's values (a trigger or a converting column
/// type changed them), or has fewer than offset + width cells. With `width` 0 every
/// returned row is taken to be the sent row at its position.
[[nodiscard]] TABELLA_EXPORT std::optional<std::vector<std::size_t>>
match_returned_rows(std::span<const param_ref> sent, std::size_t width, const row_buffer& returned,
                    std::size_t offset);

/// True when the rows of `keyed` (`keyed_width` values a row: some columns of each row of
/// `full`, `full_width` values a row) tell apart every two rows of `full` that differ:
/// rows with equal keyed values have equal full values. When false, matching returned rows
/// by the keyed columns alone could give a row another row's values.
[[nodiscard]] TABELLA_EXPORT bool keyed_rows_tell_apart(std::span<const param_ref> full,
                                                        std::size_t full_width,
                                                        std::span<const param_ref> keyed,
                                                        std::size_t keyed_width);

} // namespace tabella::detail
