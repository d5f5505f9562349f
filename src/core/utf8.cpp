// UTF-8 validation (RFC 3629), with a fast path for ASCII.
#include "tabella/detail/utf8.hpp"

#include "tabella/error.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace tabella::detail {
namespace {

// Length of the valid sequence starting at s[i], or 0.
std::size_t sequence_length(const unsigned char* s, std::size_t i, std::size_t n) noexcept {
    const unsigned char c = s[i];
    auto cont = [&](std::size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (c == 0xE0 && s[i + 1] < 0xA0) return 0; // overlong
        if (c == 0xED && s[i + 1] > 0x9F) return 0; // surrogates
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (c == 0xF0 && s[i + 1] < 0x90) return 0; // overlong
        if (c == 0xF4 && s[i + 1] > 0x8F) return 0; // above U+10FFFF
        return 4;
    }
    return 0;
}

} // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) { // eight ASCII bytes at a time
            std::uint64_t word;
            std::memcpy(&word, s + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            ++i;
            continue;
        }
        const std::size_t len = sequence_length(s, i, n);
        if (len == 0) return i;
        i += len;
    }
    return std::nullopt;
}

void check_text_parameter(std::string_view text, std::size_t index) {
    if (const auto bad = find_invalid_utf8(text))
        throw conversion_error("text parameter " + std::to_string(index) +
                               " is not valid UTF-8 (byte " + std::to_string(*bad) +
                               "); store bytes in a blob column");
}

} // namespace tabella::detail
