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

/// The last `n` bytes (1 to 8) of a text as one word, every byte in it: loads of 4, 2 and
/// 1 bytes that may overlap, not a byte-wise copy that the next load would wait for.
inline std::uint64_t tail_word(const unsigned char* p, std::size_t n) noexcept {
    if (n >= 4) {
        std::uint32_t lo;
        std::uint32_t hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + n - 4, 4);
        return lo | std::uint64_t{hi} << 32;
    }
    return p[0] | std::uint64_t{p[n / 2]} << 8 | std::uint64_t{p[n - 1]} << 16;
}

/// A 64-bit hash of `n` bytes, 8 at a time. For a given length the words it reads
/// determine the bytes and each step is a bijection of the state, so two texts of up to
/// 8 bytes, or texts that differ in one 8-byte word only, never hash alike; other
/// different texts of a length collide with a chance of about 2^-64.
inline std::uint64_t hash_bytes(const void* data, std::size_t n) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = (n + 1) * 0x9e3779b97f4a7c15ULL; // the length, spread by a multiply
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        h = mix(h ^ word);
    }
    if (n > 0) h = mix(h ^ tail_word(p, n));
    return h;
}

} // namespace tabella::detail
