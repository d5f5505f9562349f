// Timestamp text formatting and parsing, shared by the drivers and value conversion.
#include "tabella/detail/timestamp_text.hpp"

#include "tabella/error.hpp"

#include <charconv>
#include <cstdio>

namespace tabella::detail {
namespace {

using namespace std::chrono;

[[noreturn]] void bad(std::string_view text) {
    throw conversion_error("cannot parse '" + std::string(text) + "' as a timestamp");
}

int digits(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) bad(text);
    int v = 0;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, v);
    if (ec != std::errc{} || end != text.data() + pos + count) bad(text);
    return v;
}

void expect(std::string_view text, std::size_t pos, std::string_view chars) {
    if (pos >= text.size() || chars.find(text[pos]) == std::string_view::npos) bad(text);
}

} // namespace

std::string format_timestamp(std::int64_t micros) {
    const sys_time<microseconds> tp{microseconds(micros)};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss<microseconds> hms{tp - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%06lld", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  static_cast<long long>(hms.subseconds().count()));
    return buf;
}

timestamp parse_timestamp(std::string_view text) {
    const int y = digits(text, 0, 4);
    expect(text, 4, "-");
    const int mo = digits(text, 5, 2);
    expect(text, 7, "-");
    const int d = digits(text, 8, 2);
    expect(text, 10, " T");
    const int h = digits(text, 11, 2);
    expect(text, 13, ":");
    const int mi = digits(text, 14, 2);
    expect(text, 16, ":");
    const int s = digits(text, 17, 2);
    std::size_t pos = 19;
    std::int64_t frac = 0;
    if (pos < text.size() && text[pos] == '.') {
        std::size_t n = 0;
        for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++n)
            if (n < 6) frac = frac * 10 + (text[pos] - '0');
        if (n == 0) bad(text);
        for (; n < 6; ++n) frac *= 10;
    }
    int offset_minutes = 0;
    if (pos < text.size() && text[pos] == 'Z') {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        const int oh = digits(text, pos + 1, 2);
        pos += 3;
        int om = 0;
        if (pos < text.size() && text[pos] == ':') {
            om = digits(text, pos + 1, 2);
            pos += 3;
        }
        offset_minutes = sign * (oh * 60 + om);
    }
    const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                             day(static_cast<unsigned>(d))};
    if (pos != text.size() || !ymd.ok() || h > 23 || mi > 59 || s > 60) bad(text);
    return sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + microseconds(frac) -
           minutes(offset_minutes);
}

} // namespace tabella::detail
