// URL parsing: scheme://[user[:password]@]host[:port]/database[?key=value&...].
#include "tabella/url.hpp"

#include "tabella/detail/driver.hpp"
#include "tabella/error.hpp"

#include <charconv>

namespace tabella {
namespace {

// Masks the password of a raw URL without parsing it fully: used in error messages for
// URLs that failed to parse, so even a broken URL never leaks its password.
std::string mask_raw(std::string_view text) {
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) return std::string(text);
    const auto auth_begin = scheme_end + 3;
    const auto at = text.rfind('@');
    if (at == std::string_view::npos || at < auth_begin) return std::string(text);
    const auto colon = text.find(':', auth_begin);
    if (colon == std::string_view::npos || colon > at) return std::string(text);
    std::string out(text.substr(0, colon + 1));
    out += "***";
    out += text.substr(at);
    return out;
}

[[noreturn]] void fail(std::string_view text, std::string_view why) {
    throw usage_error("invalid database URL '" + mask_raw(text) + "': " + std::string(why));
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view part, std::string_view whole) {
    std::string out;
    out.reserve(part.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
        if (part[i] != '%') {
            out += part[i];
            continue;
        }
        const int hi = i + 1 < part.size() ? hex_digit(part[i + 1]) : -1;
        const int lo = i + 2 < part.size() ? hex_digit(part[i + 2]) : -1;
        if (hi < 0 || lo < 0) fail(whole, "bad percent-encoding");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

void parse_query(std::string_view q, std::string_view whole, url& out) {
    while (!q.empty()) {
        const auto amp = q.find('&');
        const auto item = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == 0) fail(whole, "query option without a name");
        const auto key = percent_decode(item.substr(0, eq), whole);
        const auto val = eq == std::string_view::npos ? std::string{}
                                                      : percent_decode(item.substr(eq + 1), whole);
        out.query.insert_or_assign(key, val);
    }
}

void parse_host_port(std::string_view hp, std::string_view whole, url& out) {
    std::string_view host = hp;
    if (!hp.empty() && hp.front() == '[') { // IPv6 literal
        const auto close = hp.find(']');
        if (close == std::string_view::npos) fail(whole, "unterminated IPv6 address");
        host = hp.substr(1, close - 1);
        hp = hp.substr(close + 1);
        if (!hp.empty() && hp.front() != ':') fail(whole, "garbage after IPv6 address");
    } else {
        const auto colon = hp.find(':');
        host = hp.substr(0, colon);
        hp = colon == std::string_view::npos ? std::string_view{} : hp.substr(colon);
    }
    out.host = percent_decode(host, whole);
    if (hp.empty()) return;
    const auto digits = hp.substr(1);
    int port = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || port < 1 ||
        port > 65535)
        fail(whole, "port must be a number from 1 to 65535");
    out.port = port;
}

void parse_authority(std::string_view auth, std::string_view whole, url& out) {
    const auto at = auth.rfind('@');
    if (at != std::string_view::npos) {
        const auto userinfo = auth.substr(0, at);
        const auto colon = userinfo.find(':');
        out.user = percent_decode(userinfo.substr(0, colon), whole);
        if (colon != std::string_view::npos)
            out.password = percent_decode(userinfo.substr(colon + 1), whole);
        auth = auth.substr(at + 1);
    }
    parse_host_port(auth, whole, out);
}

} // namespace

bool url::is_memory() const {
    const auto* d = detail::find_driver(scheme);
    return d && d->is_memory && d->is_memory(*this);
}

namespace {

// Percent-encodes everything but unreserved characters and those in `keep`, so that
// masked() is itself a URL that parses back to the same parts.
std::string encode(std::string_view part, std::string_view keep = {}) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : part) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                           (u >= '0' && u <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                           keep.find(c) != std::string_view::npos;
        if (plain) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

} // namespace

std::string url::masked() const {
    std::string out = scheme + "://";
    if (!user.empty() || !password.empty()) {
        out += encode(user);
        if (!password.empty()) out += ":***";
        out += '@';
    }
    // Appended piece by piece: `"[" + std::string` trips GCC 12's -Wrestrict at -O2.
    const bool bracket = host.find(':') != std::string::npos;
    if (bracket) out += '[';
    out += encode(host, bracket ? ":" : "");
    if (bracket) out += ']';
    if (port) {
        out += ':';
        out += std::to_string(*port);
    }
    if (!database.empty()) {
        out += '/';
        out += encode(database, "/:");
    }
    char sep = '?';
    for (const auto& [k, v] : query) {
        // libpq also takes a password as an option: mask it too.
        out += sep + encode(k) + "=" + (k == "password" ? std::string("***") : encode(v, "/"));
        sep = '&';
    }
    return out;
}

url parse_url(std::string_view text) {
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
        fail(text, "expected scheme://..., e.g. sqlite:///college.db");
    url out;
    out.scheme = std::string(text.substr(0, scheme_end));
    if (const auto plus = out.scheme.find('+'); plus != std::string::npos)
        out.scheme.resize(plus); // "postgresql+pqxx" names the same driver
    const auto* driver = detail::find_driver(out.scheme);
    if (driver) out.scheme = driver->schemes.front(); // an alias: "postgres"

    std::string_view rest = text.substr(scheme_end + 3);
    const auto qmark = rest.find('?');
    if (qmark != std::string_view::npos) {
        parse_query(rest.substr(qmark + 1), text, out);
        rest = rest.substr(0, qmark);
    }
    const auto slash = rest.find('/');
    parse_authority(rest.substr(0, slash), text, out);
    if (slash != std::string_view::npos)
        out.database = percent_decode(rest.substr(slash + 1), text);

    if (driver && driver->validate_url) {
        try {
            driver->validate_url(out);
        } catch (const usage_error& e) {
            fail(text, e.what());
        }
    }
    return out;
}

} // namespace tabella
