// tabella::uuid: a 128-bit UUID, stored as `uuid` on PostgreSQL and as 16 bytes elsewhere.
// An empty std::optional<tabella::uuid> primary key is filled by the session before the
// INSERT with uuid::generate(), a time-ordered UUIDv7 (RFC 9562), so that B-tree inserts
// stay local.
#pragma once

#include "tabella/export.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace tabella {

struct TABELLA_EXPORT uuid {
    /// Big-endian, as written: bytes[0] is the first two hex digits.
    std::array<std::uint8_t, 16> bytes{};

    /// A new UUIDv7: 48 bits of Unix milliseconds, then a 12-bit counter that keeps UUIDs
    /// made in one process strictly increasing, then 62 random bits.
    [[nodiscard]] static uuid generate();
    /// Parses the canonical form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex digits in
    /// either case; 32 digits without hyphens are accepted too). Throws conversion_error.
    [[nodiscard]] static uuid parse(std::string_view text);
    /// The canonical lower-case form.
    [[nodiscard]] std::string to_string() const;
    /// The version nibble (7 for generate()).
    [[nodiscard]] int version() const noexcept { return bytes[6] >> 4; }

    friend auto operator<=>(const uuid&, const uuid&) = default;
};

TABELLA_EXPORT std::ostream& operator<<(std::ostream& os, const uuid& u);

} // namespace tabella
