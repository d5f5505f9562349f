// The splitmix64 finalizer: spreads the bits of a 64-bit value, for fingerprints and the
// hashes that match returned rows to sent rows.
#pragma once

#include <cstdint>

namespace tabella::detail {

constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace tabella::detail
