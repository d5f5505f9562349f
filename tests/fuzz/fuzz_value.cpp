// libFuzzer target: converting database text to C++ types either works or throws
// conversion_error; a parsed timestamp, date or uuid formats and parses back to itself.
#include <tabella/detail/timestamp_text.hpp>
#include <tabella/detail/utf8.hpp>
#include <tabella/error.hpp>
#include <tabella/uuid.hpp>
#include <tabella/value.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto t = tabella::detail::parse_timestamp(text);
        const auto again = tabella::detail::parse_timestamp(
            tabella::detail::format_timestamp(t.time_since_epoch().count()));
        if (again != t) std::abort();
    } catch (const tabella::conversion_error&) {
    }
    try {
        const auto d = tabella::detail::parse_date(text);
        const auto days = std::chrono::sys_days(d).time_since_epoch().count();
        if (tabella::detail::parse_date(tabella::detail::format_date(days)) != d) std::abort();
    } catch (const tabella::conversion_error&) {
    }
    try {
        const auto u = tabella::uuid::parse(text);
        if (tabella::uuid::parse(u.to_string()) != u) std::abort();
    } catch (const tabella::conversion_error&) {
    }
    const tabella::value v(text);
    auto expect_conversion_error = [&](auto convert) {
        try {
            convert();
        } catch (const tabella::conversion_error&) {
        }
    };
    expect_conversion_error([&] { (void)v.as<int>(); });
    expect_conversion_error([&] { (void)v.as<double>(); });
    expect_conversion_error([&] { (void)v.as<bool>(); });
    expect_conversion_error([&] { (void)v.as<std::chrono::system_clock::time_point>(); });
    expect_conversion_error([&] { (void)v.as<tabella::timestamp>(); });
    expect_conversion_error([&] { (void)v.as<std::chrono::year_month_day>(); });
    expect_conversion_error([&] { (void)v.as<tabella::uuid>(); });
    if (v.as<std::string>() != text) std::abort();
    (void)tabella::detail::find_invalid_utf8(text);
    return 0;
}
