// DATETIME conversion and result decoding for the MariaDB driver.
#include "mariadb_values.hpp"

#include "tabella/detail/timestamp_text.hpp"
#include "tabella/error.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace tabella::detail {
namespace {

using decoder = result_cells::decoder;

decoder decoder_for(const MYSQL_FIELD& f) {
    switch (f.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return (f.flags & UNSIGNED_FLAG) ? decoder::natural : decoder::integer;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return decoder::real;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
        return decoder::decimal;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
        return decoder::date;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        return decoder::time;
    case MYSQL_TYPE_NULL:
        return decoder::null;
    default: // strings, blobs, JSON, BIT, TIME...: bytes when their character set is binary
        return f.charsetnr == 63 ? decoder::bytes : decoder::text;
    }
}

enum_field_types buffer_type(decoder how) {
    switch (how) {
    case decoder::integer:
    case decoder::natural:
        return MYSQL_TYPE_LONGLONG;
    case decoder::real:
        return MYSQL_TYPE_DOUBLE;
    case decoder::time:
        return MYSQL_TYPE_DATETIME;
    case decoder::date:
        return MYSQL_TYPE_DATE;
    case decoder::bytes:
        return MYSQL_TYPE_BLOB;
    default:
        return MYSQL_TYPE_STRING;
    }
}

// A DECIMAL without a fraction (SUM of integers, DECIMAL(n, 0)) that fits 64 bits is an
// integer, as the same sum is on the other databases; any other a real.
value parse_decimal(const std::string& text) {
    std::int64_t whole = 0;
    const auto [last, failed] = std::from_chars(text.data(), text.data() + text.size(), whole);
    if (failed == std::errc{} && last == text.data() + text.size()) return value(whole);
    double out = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc{} || end != text.data() + text.size())
        throw conversion_error("mariadb: cannot read DECIMAL '" + text + "' as a real");
    return value(out);
}

} // namespace

MYSQL_TIME to_mysql_time(std::int64_t micros, std::size_t index) {
    using namespace std::chrono;
    check_timestamp_range(micros, "parameter " + std::to_string(index));
    const sys_time<microseconds> at{microseconds(micros)};
    const auto day = floor<days>(at);
    const year_month_day date(day);
    const hh_mm_ss time(at - day);
    const int year = static_cast<int>(date.year());
    MYSQL_TIME out{};
    out.year = static_cast<unsigned>(year);
    out.month = static_cast<unsigned>(date.month());
    out.day = static_cast<unsigned>(date.day());
    out.hour = static_cast<unsigned>(time.hours().count());
    out.minute = static_cast<unsigned>(time.minutes().count());
    out.second = static_cast<unsigned>(time.seconds().count());
    out.second_part = static_cast<unsigned long>(time.subseconds().count());
    out.time_type = MYSQL_TIMESTAMP_DATETIME;
    return out;
}

MYSQL_TIME to_mysql_date(std::int64_t days, std::size_t index) {
    using namespace std::chrono;
    check_date_range(days, "parameter " + std::to_string(index));
    const year_month_day date{sys_days{std::chrono::days(days)}};
    MYSQL_TIME out{};
    out.year = static_cast<unsigned>(static_cast<int>(date.year()));
    out.month = static_cast<unsigned>(date.month());
    out.day = static_cast<unsigned>(date.day());
    out.time_type = MYSQL_TIMESTAMP_DATE;
    return out;
}

namespace {

// The date of a MYSQL_TIME when it is on the calendar, in years 1 to 9999.
std::optional<std::chrono::year_month_day> calendar_date(const MYSQL_TIME& t) {
    using namespace std::chrono;
    if (t.neg || t.year < 1 || t.year > 9999) return std::nullopt;
    const year_month_day ymd(year(static_cast<int>(t.year)), month(t.month), day(t.day));
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

// The text the server would print, for a value tabella cannot hold (0000-00-00...).
std::string time_text(const MYSQL_TIME& t, bool with_time) {
    char buf[64];
    if (with_time)
        std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u.%06lu", t.year, t.month,
                      t.day, t.hour, t.minute, t.second, t.second_part);
    else
        std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", t.year, t.month, t.day);
    return buf;
}

} // namespace

value time_value(const MYSQL_TIME& t) {
    using namespace std::chrono;
    const auto date = calendar_date(t);
    if (!date || t.hour > 23 || t.minute > 59 || t.second > 59 || t.second_part > 999'999)
        return value(time_text(t, true));
    const auto since = sys_days(*date).time_since_epoch() + hours(t.hour) + minutes(t.minute) +
                       seconds(t.second) + microseconds(t.second_part);
    return value(timestamp(duration_cast<microseconds>(since)));
}

value date_value(const MYSQL_TIME& t) {
    const auto date = calendar_date(t);
    if (!date) return value(time_text(t, false));
    return value(*date);
}

result_cells::result_cells(const MYSQL_FIELD* fields, unsigned width)
    : cells_(width), binds_(width) {
    for (unsigned c = 0; c < width; ++c) {
        cell& cell = cells_[c];
        MYSQL_BIND& b = binds_[c];
        cell.how = decoder_for(fields[c]);
        b.buffer_type = buffer_type(cell.how);
        b.is_unsigned = cell.how == decoder::natural;
        b.is_null = &cell.is_null;
        b.error = &cell.error;
        b.length = &cell.length;
        if (cell.how == decoder::integer || cell.how == decoder::natural) b.buffer = &cell.integer;
        if (cell.how == decoder::real) b.buffer = &cell.real;
        if (cell.how == decoder::time || cell.how == decoder::date) b.buffer = &cell.time;
        // Text, blobs, decimals: no buffer; the fetch reports their length.
    }
}

template <class Buffer>
void result_cells::fetch_into(MYSQL_STMT* stmt, unsigned c, enum_field_types type, Buffer& out) {
    out.resize(cells_[c].length);
    if (out.empty()) return;
    MYSQL_BIND b{};
    unsigned long got = 0;
    b.buffer_type = type;
    b.buffer = out.data();
    b.buffer_length = cells_[c].length;
    b.length = &got;
    if (mysql_stmt_fetch_column(stmt, &b, c, 0) != 0)
        throw error("mariadb: cannot read column " + std::to_string(c + 1) + ": " +
                    mysql_stmt_error(stmt));
}

template <class Buffer>
Buffer result_cells::fetch(MYSQL_STMT* stmt, unsigned c, enum_field_types type) {
    Buffer out;
    fetch_into(stmt, c, type, out);
    return out;
}

param_ref result_cells::view(MYSQL_STMT* stmt, unsigned c) {
    cell& cell = cells_[c];
    if (cell.is_null) return param_ref::of_null();
    switch (cell.how) {
    case decoder::integer:
        return param_ref::of_integer(cell.integer);
    case decoder::real:
        return param_ref::of_real(cell.real);
    case decoder::text:
        fetch_into(stmt, c, MYSQL_TYPE_STRING, cell.bytes);
        return param_ref::of_text(cell.bytes);
    case decoder::bytes:
        fetch_into(stmt, c, MYSQL_TYPE_BLOB, cell.bytes);
        return param_ref::of_blob(cell.bytes.data(), cell.bytes.size());
    default:
        cell.held = read(stmt, c);
        return cell.held.ref();
    }
}

value result_cells::read(MYSQL_STMT* stmt, unsigned c) {
    const cell& cell = cells_[c];
    if (cell.is_null) return {};
    switch (cell.how) {
    case decoder::null:
        return {};
    case decoder::integer:
        return value(cell.integer);
    case decoder::natural: // BIGINT UNSIGNED above INT64_MAX: conversion_error
        return value(static_cast<unsigned long long>(cell.integer));
    case decoder::real:
        return value(cell.real);
    case decoder::decimal:
        return parse_decimal(fetch<std::string>(stmt, c, MYSQL_TYPE_STRING));
    case decoder::time:
        return time_value(cell.time);
    case decoder::date:
        return date_value(cell.time);
    case decoder::text:
        return value(fetch<std::string>(stmt, c, MYSQL_TYPE_STRING));
    case decoder::bytes:
        return value(fetch<blob>(stmt, c, MYSQL_TYPE_BLOB));
    }
    return {};
}

} // namespace tabella::detail
