// Values: conversions to C++ types, echo formatting, timestamp text.
#include <tabella/detail/echo.hpp>
#include <tabella/detail/timestamp_text.hpp>
#include <tabella/error.hpp>
#include <tabella/value.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

namespace tabella {
namespace {

TEST(value, conversions_that_fit) {
    EXPECT_EQ(value(42).as<std::int64_t>(), 42);
    EXPECT_EQ(value(42).as<int>(), 42);
    EXPECT_DOUBLE_EQ(value(42).as<double>(), 42.0);
    EXPECT_EQ(value(1).as<bool>(), true);
    EXPECT_EQ(value(true).as<std::int64_t>(), 1);
    EXPECT_EQ(value("hi").as<std::string>(), "hi");
    EXPECT_EQ(value().as<std::optional<int>>(), std::nullopt);
    EXPECT_EQ(value(std::optional<int>(5)).as<std::optional<int>>(), 5);
    EXPECT_EQ(value(std::optional<int>()).kind(), value_kind::null);
    EXPECT_EQ(value(blob{std::byte{1}}).as<blob>(), blob{std::byte{1}});
}

TEST(value, conversions_that_do_not_fit_throw) {
    EXPECT_THROW((void)value("x").as<int>(), conversion_error);
    EXPECT_THROW((void)value(1.5).as<std::int64_t>(), conversion_error);
    EXPECT_THROW((void)value(std::int64_t{1} << 40).as<int>(), conversion_error);
    EXPECT_THROW((void)value(2).as<bool>(), conversion_error);
    EXPECT_THROW((void)value().as<std::string>(), conversion_error);
    EXPECT_THROW((void)value(3).as<std::string>(), conversion_error);
    EXPECT_THROW(value(std::numeric_limits<unsigned long long>::max()), conversion_error);
}

TEST(value, echo_format) {
    using detail::format_param;
    EXPECT_EQ(format_param(value("O'Brien").ref(), 80), "'O''Brien'");
    EXPECT_EQ(format_param(value().ref(), 80), "NULL");
    EXPECT_EQ(format_param(value(7).ref(), 80), "7");
    EXPECT_EQ(format_param(value(2.5).ref(), 80), "2.5");
    EXPECT_EQ(format_param(value(blob(3)).ref(), 80), "<blob 3 bytes>");
    EXPECT_EQ(format_param(value("abcdef").ref(), 3), "'abc' ... (6 characters)");
    std::ostringstream os;
    os << value("x");
    EXPECT_EQ(os.str(), "'x'");
}

TEST(value, echo_tuple_abbreviates_past_the_limit) {
    std::vector<std::string> lines;
    detail::echo_log log(
        true, [&](std::string_view l) { lines.emplace_back(l); }, 4, 80);
    std::vector<value> vals{1, 2, 3, 4, 5, 6, 7};
    std::vector<param_ref> refs;
    for (const auto& v : vals) refs.push_back(v.ref());
    log.params(refs);
    log.params(std::span(refs).first(1));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "(1, 2 ... 3 parameters truncated ..., 6, 7)");
    EXPECT_EQ(lines[1], "(1,)");
    detail::echo_log off;
    off.params(refs); // disabled: no sink is called, nothing crashes
}

TEST(timestamp_text, round_trip_and_offsets) {
    using namespace std::chrono;
    const timestamp t =
        sys_days(year(2026) / 11 / 21) + hours(19) + minutes(5) + seconds(7) + microseconds(123456);
    const auto text = detail::format_timestamp(t.time_since_epoch().count());
    EXPECT_EQ(text, "2026-11-21 19:05:07.123456");
    EXPECT_EQ(detail::parse_timestamp(text), t);
    EXPECT_EQ(detail::parse_timestamp("2026-11-21T21:05:07.123456+02:00"), t);
    EXPECT_EQ(detail::parse_timestamp("2026-11-21 19:05:07.123456+00"), t);
    EXPECT_EQ(detail::parse_timestamp("1969-12-31 23:59:59"), timestamp(seconds(-1)));
    EXPECT_THROW((void)detail::parse_timestamp("2026-13-01 00:00:00"), conversion_error);
    EXPECT_THROW((void)detail::parse_timestamp("yesterday"), conversion_error);
    EXPECT_EQ(value("2026-11-21 19:05:07.123456").as<std::chrono::system_clock::time_point>(), t);
}

} // namespace
} // namespace tabella

#include <tabella/detail/utf8.hpp>

namespace tabella {
namespace {

TEST(utf8, valid_and_invalid_sequences) {
    using detail::find_invalid_utf8;
    EXPECT_EQ(find_invalid_utf8("plain ascii text, long enough for the fast path"), std::nullopt);
    EXPECT_EQ(find_invalid_utf8("\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"), std::nullopt); // é 日 😀
    EXPECT_EQ(find_invalid_utf8(std::string("a\0b", 3)), std::nullopt); // NUL is valid UTF-8
    EXPECT_EQ(find_invalid_utf8("abc\xff"), 3u);
    EXPECT_EQ(find_invalid_utf8("\xc0\xaf"), 0u);         // overlong '/'
    EXPECT_EQ(find_invalid_utf8("ok\xed\xa0\x80"), 2u);   // surrogate
    EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0u); // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8("12345678\xe6\x97"), 8u); // cut short
    EXPECT_THROW(detail::check_text_parameter("\x80", 2), conversion_error);
}

} // namespace
} // namespace tabella

namespace tabella {
namespace {

TEST(value, timestamps_outside_system_clock_are_conversion_errors) {
    // Found by fuzz_value: year 9999 is a valid database timestamp, but system_clock's
    // nanoseconds overflow past 2262.
    EXPECT_THROW((void)value("9999-12-31 23:59:59").as<std::chrono::system_clock::time_point>(),
                 conversion_error);
    EXPECT_NO_THROW((void)value("2200-01-01 00:00:00").as<std::chrono::system_clock::time_point>());
}

} // namespace
} // namespace tabella
