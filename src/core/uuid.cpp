// UUIDv7 generation (RFC 9562, method 1: a 12-bit counter in rand_a) and the text form.
#include "tabella/uuid.hpp"

#include "tabella/error.hpp"

#include <chrono>
#include <mutex>
#include <ostream>
#include <random>

namespace tabella {
namespace {

struct v7_clock {
    std::mutex lock;
    std::uint64_t last_ms = 0;
    std::uint32_t counter = 0;
    std::mt19937_64 random{std::random_device{}()};
};

v7_clock& generator() {
    static v7_clock g;
    return g;
}

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

uuid uuid::generate() {
    const auto now =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    std::uint64_t ms = 0, tail = 0;
    std::uint32_t counter = 0;
    {
        auto& g = generator();
        const std::lock_guard guard(g.lock);
        if (now > g.last_ms) {
            g.last_ms = now;
            g.counter = 0;
        } else if (++g.counter > 0xfff) { // 4096 in one millisecond: borrow the next one
            ++g.last_ms;
            g.counter = 0;
        }
        ms = g.last_ms;
        counter = g.counter;
        tail = g.random();
    }
    uuid u;
    for (int i = 0; i < 6; ++i) u.bytes[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    u.bytes[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));
    u.bytes[7] = static_cast<std::uint8_t>(counter);
    for (int i = 8; i < 16; ++i) u.bytes[i] = static_cast<std::uint8_t>(tail >> (8 * (i - 8)));
    u.bytes[8] = static_cast<std::uint8_t>(0x80 | (u.bytes[8] & 0x3f)); // RFC 9562 variant
    return u;
}

uuid uuid::parse(std::string_view text) {
    uuid u;
    std::size_t digits = 0;
    const bool hyphenated = text.size() == 36;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (text[i] != '-') digits = 99;
            continue;
        }
        const int d = hex_digit(text[i]);
        if (d < 0 || digits >= 32) {
            digits = 99;
            break;
        }
        u.bytes[digits / 2] = static_cast<std::uint8_t>(u.bytes[digits / 2] << 4 | d);
        ++digits;
    }
    if (digits != 32)
        throw conversion_error("'" + std::string(text.substr(0, 64)) + "' is not a UUID");
    return u;
}

std::string uuid::to_string() const {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0xf];
    }
    return out;
}

std::ostream& operator<<(std::ostream& os, const uuid& u) {
    return os << u.to_string();
}

} // namespace tabella
