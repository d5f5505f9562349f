// libFuzzer target: the URL parser accepts or rejects with usage_error, never crashes,
// and never lets a password through masked().
#include <tabella/error.hpp>
#include <tabella/sqlite.hpp>
#include <tabella/url.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

// The sqlite driver's URL rules (no host, known options) are fuzzed too.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    tabella::sqlite::register_driver();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const tabella::url u = tabella::parse_url(text);
        if (u.port && (*u.port < 1 || *u.port > 65535)) std::abort();
        // masked() is a URL with the same parts, and "***" where the password was.
        const tabella::url m = tabella::parse_url(u.masked());
        if (m.password != (u.password.empty() ? "" : "***")) std::abort();
        auto query = u.query;
        if (query.contains("password")) query["password"] = "***";
        if (m.user != u.user || m.host != u.host || m.port != u.port || m.database != u.database ||
            m.query != query || m.scheme != u.scheme)
            std::abort();
    } catch (const tabella::usage_error& e) {
        const std::string_view msg = e.what();
        if (msg.find("invalid database URL") == std::string_view::npos) std::abort();
    }
    return 0;
}
