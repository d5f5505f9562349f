// Timestamp and date text formatting and parsing, shared by the drivers and value conversion.
#include "tabella/detail/timestamp_text.hpp"

#include "tabella/error.hpp"

#include <cstdio>

namespace tabella::detail {
namespace {

using namespace std::chrono;

constexpr std::int64_t micros_per_day = 86'400'000'000;

std::string quoted(std::string_view text) {
    std::string out = "'";
    out += text.substr(0, 64);
    if (text.size() > 64) out += "...";
    return out + "'";
}

bool is_infinity(std::string_view text) {
    return text == "infinity" || text == "-infinity" || text == "+infinity";
}

/// Reads the text of a timestamp or a date from left to right; any mismatch throws.
class scanner {
  public:
    scanner(std::string_view text, std::string_view what) : text_(text), what_(what) {}

    [[noreturn]] void bad() const {
        throw conversion_error("cannot parse " + quoted(text_) + " as a " + std::string(what_));
    }
    [[noreturn]] void out_of_range() const {
        throw conversion_error(std::string(what_) + " " + quoted(text_) +
                               " is outside years 1 to 9999, the range tabella stores");
    }
    [[noreturn]] void infinite() const {
        throw conversion_error("PostgreSQL's " + quoted(text_) + " " + std::string(what_) +
                               " has no C++ value: tabella holds years 1 to 9999 only");
    }

    bool at_end() const noexcept { return pos_ == text_.size(); }
    bool peek(char c) const noexcept { return pos_ < text_.size() && text_[pos_] == c; }
    bool digit_next() const noexcept {
        return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9';
    }
    /// Exactly `count` digits.
    int digits(std::size_t count) {
        int v = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (!digit_next()) bad();
            v = v * 10 + (text_[pos_++] - '0');
        }
        return v;
    }
    /// A year: four digits or more (PostgreSQL writes years past 9999 with five).
    int year_digits() {
        std::int64_t v = 0;
        std::size_t n = 0;
        for (; digit_next(); ++n) {
            v = v * 10 + (text_[pos_++] - '0');
            if (v > 1'000'000) out_of_range();
        }
        if (n < 4) bad();
        return static_cast<int>(v);
    }
    void expect(std::string_view chars) {
        if (pos_ >= text_.size() || chars.find(text_[pos_]) == std::string_view::npos) bad();
        ++pos_;
    }
    /// Up to six digits of a fraction of a second, in microseconds (more are cut).
    std::int64_t fraction() {
        std::int64_t frac = 0;
        std::size_t n = 0;
        for (; digit_next(); ++pos_, ++n)
            if (n < 6) frac = frac * 10 + (text_[pos_] - '0');
        if (n == 0) bad();
        for (; n < 6; ++n) frac *= 10;
        return frac;
    }
    /// " BC" at the end: the year is counted backwards from 1 (1 BC is year 0).
    bool before_christ() {
        if (text_.substr(pos_) != " BC") return false;
        pos_ = text_.size();
        return true;
    }
    /// The date of a parsed (year, month, day), BC years made astronomical.
    year_month_day calendar_date(int y, int mo, int d, bool bc) const {
        const int astronomical = bc ? 1 - y : y;
        if (astronomical < 0 || astronomical > 10'000) out_of_range();
        const year_month_day ymd{year(astronomical), month(static_cast<unsigned>(mo)),
                                 day(static_cast<unsigned>(d))};
        if (!ymd.ok()) bad();
        return ymd;
    }

  private:
    std::string_view text_;
    std::string_view what_;
    std::size_t pos_ = 0;
};

std::string format_ymd(year_month_day ymd) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return buf;
}

struct date_part {
    int year, month, day;
};

// "YYYY-MM-DD" (more year digits allowed), the start of a date and of a timestamp.
date_part scan_date_part(scanner& in, std::string_view text) {
    if (is_infinity(text)) in.infinite();
    const int y = in.year_digits();
    in.expect("-");
    const int mo = in.digits(2);
    in.expect("-");
    return {y, mo, in.digits(2)};
}

} // namespace

std::string format_timestamp(std::int64_t micros) {
    // Beyond ±30,000 years chrono's year (a short) cannot hold the date at all.
    if (micros < -30'000 * 366 * micros_per_day || micros > 30'000 * 366 * micros_per_day)
        return std::to_string(micros) + " microseconds after 1970-01-01";
    const sys_time<microseconds> tp{microseconds(micros)};
    const auto day = floor<days>(tp);
    const hh_mm_ss<microseconds> hms{tp - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, " %02d:%02d:%02d.%06lld", int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  static_cast<long long>(hms.subseconds().count()));
    return format_ymd(year_month_day{day}) + buf;
}

timestamp parse_timestamp(std::string_view text) {
    scanner in(text, "timestamp");
    const auto [y, mo, d] = scan_date_part(in, text);
    in.expect(" T");
    const int h = in.digits(2);
    in.expect(":");
    const int mi = in.digits(2);
    in.expect(":");
    const int s = in.digits(2);
    const std::int64_t frac = in.peek('.') ? (in.expect("."), in.fraction()) : 0;
    int offset_seconds = 0;
    if (in.peek('Z')) {
        in.expect("Z");
    } else if (in.peek('+') || in.peek('-')) {
        const int sign = in.peek('-') ? -1 : 1;
        in.expect("+-");
        const int oh = in.digits(2);
        int om = 0, os = 0;
        if (in.peek(':')) {
            in.expect(":");
            om = in.digits(2);
            // Zones before standardised time had offsets with seconds (LMT, "+05:53:28"),
            // which PostgreSQL prints.
            if (in.peek(':')) {
                in.expect(":");
                os = in.digits(2);
            }
        }
        if (oh > 23 || om > 59 || os > 59) in.bad();
        offset_seconds = sign * (oh * 3600 + om * 60 + os);
    }
    const bool bc = in.before_christ();
    if (!in.at_end() || h > 23 || mi > 59 || s > 60) in.bad();
    const year_month_day ymd = in.calendar_date(y, mo, d, bc);
    const timestamp t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + microseconds(frac) -
                        seconds(offset_seconds);
    const auto micros = t.time_since_epoch().count();
    if (micros < min_timestamp_micros || micros > max_timestamp_micros) in.out_of_range();
    return t;
}

void check_timestamp_range(std::int64_t micros, std::string_view what) {
    if (micros >= min_timestamp_micros && micros <= max_timestamp_micros) return;
    throw conversion_error((what.empty() ? std::string() : std::string(what) + ": ") +
                           "timestamp " + format_timestamp(micros) +
                           " is outside years 1 to 9999, the range the databases store");
}

std::string format_date(std::int64_t days) {
    if (days < -30'000 * 366 || days > 30'000 * 366) {
        if (days == param_ref::invalid_date) return "not a calendar date";
        return std::to_string(days) + " days after 1970-01-01";
    }
    return format_ymd(year_month_day{sys_days{std::chrono::days(days)}});
}

year_month_day parse_date(std::string_view text) {
    scanner in(text, "date");
    const auto [y, mo, d] = scan_date_part(in, text);
    const bool bc = in.before_christ();
    if (!in.at_end()) in.bad();
    const year_month_day ymd = in.calendar_date(y, mo, d, bc);
    const auto days = sys_days(ymd).time_since_epoch().count();
    if (days < min_date_days || days > max_date_days) in.out_of_range();
    return ymd;
}

void check_date_range(std::int64_t days, std::string_view what) {
    if (days >= min_date_days && days <= max_date_days) return;
    const std::string where = what.empty() ? std::string() : std::string(what) + ": ";
    if (days == param_ref::invalid_date)
        throw conversion_error(where + "the date is not on the calendar (a day past its "
                                       "month's end, or a month or year out of range)");
    throw conversion_error(where + "date " + format_date(days) +
                           " is outside years 1 to 9999, the range the databases store");
}

} // namespace tabella::detail
