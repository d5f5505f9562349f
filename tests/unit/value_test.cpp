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

// UUIDs, dates, and the years 1 to 9999 every timestamp and date path holds.
#include <tabella/uuid.hpp>

namespace tabella {
namespace {

using namespace std::chrono;

/// The message of the conversion_error `f` throws ("" when it throws none).
template <class F>
std::string conversion_message(F f) {
    try {
        f();
    } catch (const conversion_error& e) {
        return e.what();
    }
    return "";
}

const timestamp first_micro = sys_days(year(1) / 1 / 1) + microseconds(0);
const timestamp last_micro =
    sys_days(year(9999) / 12 / 31) + hours(23) + minutes(59) + seconds(59) + microseconds(999999);

TEST(value, uuid_round_trips_and_converts_from_text_and_16_byte_blobs) {
    const auto u = uuid::parse("0190a6e2-7c3b-7def-8123-456789abcdef");
    const value v(u);
    EXPECT_EQ(v.kind(), value_kind::uuid);
    EXPECT_EQ(v.as<uuid>(), u);
    EXPECT_EQ(v.as<std::optional<uuid>>(), u);
    EXPECT_EQ(value().as<std::optional<uuid>>(), std::nullopt);
    EXPECT_EQ(value(std::optional<uuid>(u)).as<uuid>(), u);
    EXPECT_EQ(v.as<std::string>(), "0190a6e2-7c3b-7def-8123-456789abcdef");
    EXPECT_EQ(to_string(value_kind::uuid), "uuid");
    // The view points at the 16 bytes; from_ref copies them.
    const param_ref r = v.ref();
    EXPECT_EQ(r.kind, value_kind::uuid);
    ASSERT_EQ(r.size, 16u);
    EXPECT_EQ(static_cast<const std::uint8_t*>(r.data)[0], 0x01);
    EXPECT_EQ(static_cast<const std::uint8_t*>(r.data)[15], 0xef);
    EXPECT_EQ(value::from_ref(param_ref::of_uuid(u)), v);
    // Text (as SQLite stores what Core was given) and 16-byte blobs (BINARY(16), BLOB).
    EXPECT_EQ(value("0190A6E2-7C3B-7DEF-8123-456789ABCDEF").as<uuid>(), u);
    EXPECT_EQ(value("0190a6e27c3b7def8123456789abcdef").as<uuid>(), u);
    blob bytes(16);
    for (std::size_t i = 0; i < 16; ++i) bytes[i] = static_cast<std::byte>(u.bytes[i]);
    EXPECT_EQ(value(bytes).as<uuid>(), u);
    // A fresh UUIDv7 survives the trip through a value and its text.
    const auto fresh = uuid::generate();
    EXPECT_EQ(fresh.version(), 7);
    EXPECT_EQ(value(value(fresh).as<std::string>()).as<uuid>(), fresh);
}

TEST(value, what_is_not_a_uuid_is_a_conversion_error) {
    EXPECT_NE(conversion_message([] { (void)value(blob(15)).as<uuid>(); }).find("15 bytes"),
              std::string::npos);
    EXPECT_THROW((void)value(blob(17)).as<uuid>(), conversion_error);
    EXPECT_NE(conversion_message([] { (void)value("not-a-uuid").as<uuid>(); }).find("not a UUID"),
              std::string::npos);
    EXPECT_THROW((void)value("0190a6e2-7c3b-7def-8123-456789abcdeg").as<uuid>(), conversion_error);
    EXPECT_THROW((void)value("0190a6e2-7c3b-7def-8123-456789abcdef0").as<uuid>(), conversion_error);
    EXPECT_THROW((void)value(42).as<uuid>(), conversion_error);
    EXPECT_THROW((void)value().as<uuid>(), conversion_error);
    EXPECT_THROW((void)value(uuid{}).as<std::int64_t>(), conversion_error);
}

TEST(value, date_round_trips_and_converts_from_text) {
    const year_month_day leap = year(2024) / 2 / 29;
    const value v(leap);
    EXPECT_EQ(v.kind(), value_kind::date);
    EXPECT_EQ(v.as<year_month_day>(), leap);
    EXPECT_EQ(v.as<std::optional<year_month_day>>(), leap);
    EXPECT_EQ(value().as<std::optional<year_month_day>>(), std::nullopt);
    EXPECT_EQ(v.as<std::string>(), "2024-02-29");
    EXPECT_EQ(to_string(value_kind::date), "date");
    // Days since 1970-01-01 in the view, and back.
    EXPECT_EQ(v.ref().integer, sys_days(leap).time_since_epoch().count());
    EXPECT_EQ(param_ref::of_date(year(1970) / 1 / 2).integer, 1);
    EXPECT_EQ(param_ref::of_date(year(1969) / 12 / 31).integer, -1);
    EXPECT_EQ(value::from_ref(v.ref()), v);
    // A date is the timestamp of its midnight, UTC.
    EXPECT_EQ(v.as<timestamp>(), timestamp(sys_days(leap)));
    EXPECT_EQ(v.as<system_clock::time_point>(), system_clock::time_point(sys_days(leap)));
    // Text, as SQLite stores dates.
    EXPECT_EQ(value("2024-02-29").as<year_month_day>(), leap);
    EXPECT_EQ(value("0001-01-01").as<year_month_day>(), year(1) / 1 / 1);
    EXPECT_EQ(value("9999-12-31").as<year_month_day>(), year(9999) / 12 / 31);
    // A day as a time point stays what it was before dates were values: a timestamp.
    EXPECT_EQ(value(sys_days(leap)).kind(), value_kind::timestamp);
}

TEST(value, what_is_not_a_date_is_a_conversion_error) {
    EXPECT_NE(
        conversion_message([] { (void)value(year(2023) / 2 / 29); }).find("not on the calendar"),
        std::string::npos);
    EXPECT_THROW((void)value("2023-02-29").as<year_month_day>(), conversion_error);
    EXPECT_THROW((void)value("2024-2-29").as<year_month_day>(), conversion_error);
    EXPECT_THROW((void)value("2024-02-29 00:00:00").as<year_month_day>(), conversion_error);
    EXPECT_THROW((void)value(42).as<year_month_day>(), conversion_error);
    EXPECT_THROW((void)value(timestamp{}).as<year_month_day>(), conversion_error);
    const auto infinite = conversion_message([] { (void)value("infinity").as<year_month_day>(); });
    EXPECT_NE(infinite.find("'infinity'"), std::string::npos) << infinite;
    EXPECT_NE(infinite.find("years 1 to 9999"), std::string::npos) << infinite;
    EXPECT_THROW((void)value("-infinity").as<year_month_day>(), conversion_error);
    // PostgreSQL's forms of dates outside years 1 to 9999.
    const auto bc = conversion_message([] { (void)value("0001-12-31 BC").as<year_month_day>(); });
    EXPECT_NE(bc.find("outside years 1 to 9999"), std::string::npos) << bc;
    EXPECT_THROW((void)value("10000-01-01").as<year_month_day>(), conversion_error);
    EXPECT_THROW((void)value("0000-01-01").as<year_month_day>(), conversion_error);
}

TEST(date_text, the_first_and_last_days_and_the_range_check) {
    const auto first = sys_days(year(1) / 1 / 1).time_since_epoch().count();
    const auto last = sys_days(year(9999) / 12 / 31).time_since_epoch().count();
    EXPECT_EQ(detail::format_date(first), "0001-01-01");
    EXPECT_EQ(detail::format_date(last), "9999-12-31");
    EXPECT_EQ(detail::parse_date("0001-01-01"), year(1) / 1 / 1);
    EXPECT_NO_THROW(detail::check_date_range(first));
    EXPECT_NO_THROW(detail::check_date_range(last));
    EXPECT_THROW(detail::check_date_range(first - 1), conversion_error);
    EXPECT_THROW(detail::check_date_range(last + 1), conversion_error);
    // February 30th binds as a day no database takes.
    const auto invalid = param_ref::of_date(year(2023) / 2 / 30);
    EXPECT_EQ(invalid.integer, param_ref::invalid_date);
    const auto msg =
        conversion_message([&] { detail::check_date_range(invalid.integer, "parameter 2"); });
    EXPECT_NE(msg.find("parameter 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("not on the calendar"), std::string::npos) << msg;
    EXPECT_THROW((void)value::from_ref(invalid), conversion_error);
}

TEST(timestamp_text, years_1_to_9999_round_trip_to_the_microsecond) {
    EXPECT_EQ(detail::min_timestamp_micros, first_micro.time_since_epoch().count());
    EXPECT_EQ(detail::max_timestamp_micros, last_micro.time_since_epoch().count());
    for (const auto& [t, text] : {std::pair{first_micro, "0001-01-01 00:00:00.000000"},
                                  std::pair{last_micro, "9999-12-31 23:59:59.999999"}}) {
        EXPECT_EQ(detail::format_timestamp(t.time_since_epoch().count()), text);
        EXPECT_EQ(detail::parse_timestamp(text), t) << text;
        EXPECT_EQ(value(text).as<timestamp>(), t) << text;
        EXPECT_EQ(value(t).as<timestamp>(), t);
        EXPECT_NO_THROW(detail::check_timestamp_range(t.time_since_epoch().count()));
    }
    EXPECT_EQ(detail::parse_timestamp("9999-12-31T23:59:59.999999Z"), last_micro);
    EXPECT_EQ(detail::parse_timestamp("0001-01-01 00:00:00+00"), first_micro);
    // PostgreSQL in a zone west of Greenwich prints the first microsecond in 1 BC, with the
    // local mean time's offset in seconds.
    EXPECT_EQ(detail::parse_timestamp("0001-12-31 19:03:58-04:56:02 BC"), first_micro);
    EXPECT_EQ(detail::parse_timestamp("10000-01-01 00:59:59.999999+01"), last_micro);
    EXPECT_THROW(detail::check_timestamp_range(first_micro.time_since_epoch().count() - 1),
                 conversion_error);
    EXPECT_THROW(detail::check_timestamp_range(last_micro.time_since_epoch().count() + 1),
                 conversion_error);
}

TEST(timestamp_text, outside_years_1_to_9999_and_infinity_are_conversion_errors) {
    for (const char* text :
         {"0001-12-31 23:59:59 BC", "0001-01-01 00:00:00+01", "10000-01-01 00:00:00",
          "9999-12-31 23:59:59.999999-00:01", "0000-01-01 00:00:00"}) {
        const auto msg = conversion_message([&] { (void)detail::parse_timestamp(text); });
        EXPECT_NE(msg.find("outside years 1 to 9999"), std::string::npos) << text << ": " << msg;
    }
    for (const char* text : {"infinity", "-infinity"}) {
        const auto msg = conversion_message([&] { (void)value(text).as<timestamp>(); });
        EXPECT_NE(msg.find(std::string("'") + text + "'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("years 1 to 9999"), std::string::npos) << msg;
        EXPECT_THROW((void)value(text).as<system_clock::time_point>(), conversion_error);
    }
    EXPECT_THROW((void)detail::parse_timestamp("2026-01-01 00:00:00 AD"), conversion_error);
    EXPECT_THROW((void)detail::parse_timestamp("2026-01-01 00:00:00+24"), conversion_error);
    EXPECT_THROW((void)detail::parse_timestamp("2026-01-01 24:00:00"), conversion_error);
    EXPECT_THROW((void)detail::parse_timestamp("99999999999-01-01 00:00:00"), conversion_error);
    EXPECT_THROW((void)detail::parse_timestamp("2026-01-01 00:00:00."), conversion_error);
}

TEST(value, system_clock_time_points_outside_their_range_are_conversion_errors) {
    // system_clock counts nanoseconds in 64 bits: years 1678 to 2262.
    for (const timestamp t : {first_micro, last_micro}) {
        const auto msg = conversion_message([&] { (void)value(t).as<system_clock::time_point>(); });
        EXPECT_NE(msg.find("system_clock"), std::string::npos) << msg;
    }
    const timestamp ok = sys_days(year(2262) / 1 / 1) + microseconds(1);
    EXPECT_EQ(value(ok).as<system_clock::time_point>(), system_clock::time_point(ok));
    const timestamp early = sys_days(year(1678) / 1 / 1) + microseconds(1);
    EXPECT_EQ(value(early).as<system_clock::time_point>(), system_clock::time_point(early));
}

TEST(value, echo_shows_uuids_dates_and_far_timestamps) {
    using detail::format_param;
    const auto u = uuid::parse("0190a6e2-7c3b-7def-8123-456789abcdef");
    EXPECT_EQ(format_param(value(u).ref(), 80), "'0190a6e2-7c3b-7def-8123-456789abcdef'");
    EXPECT_EQ(format_param(value(year(1) / 1 / 1).ref(), 80), "'0001-01-01'");
    EXPECT_EQ(format_param(value(last_micro).ref(), 80), "'9999-12-31 23:59:59.999999'");
    std::ostringstream os;
    os << value(year(2026) / 7 / 4);
    EXPECT_EQ(os.str(), "'2026-07-04'");
    // Out of range: shown, not thrown.
    EXPECT_NO_THROW((void)format_param(param_ref::of_date(year(2023) / 2 / 30), 80));
    EXPECT_NO_THROW((void)format_param(param_ref::of_timestamp(timestamp::max()), 80));
}

} // namespace
} // namespace tabella
