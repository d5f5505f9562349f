// The splitmix64 finalizer: spreads the bits of a 64-bit value, for fingerprints and the
// hashes that match returned rows to sent rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tabella::detail {

constexpr std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// A 64-bit hash of `n` bytes, 8 at a time. Each step is a bijection of the state for a
/// given word, so that two different byte strings of the same length never hash alike:
/// a change to a text member is never missed because its fingerprint collided.
inline std::uint64_t hash_bytes(const void* data, std::size_t n) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = (n + 1) * 0x9e3779b97f4a7c15ULL; // the length, spread by a multiply
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        h = mix(h ^ word);
    }
    if (n > 0) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, n);
        h = mix(h ^ word);
    }
    return h;
}

} // namespace tabella::detail
