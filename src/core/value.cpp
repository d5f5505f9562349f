// Conversions between tabella::value and C++ types.
#include "tabella/value.hpp"

#include "tabella/detail/echo.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/error.hpp"

#include <limits>
#include <ostream>

namespace tabella {

std::string_view to_string(value_kind kind) noexcept {
    switch (kind) {
    case value_kind::null:
        return "NULL";
    case value_kind::integer:
        return "integer";
    case value_kind::real:
        return "real";
    case value_kind::boolean:
        return "boolean";
    case value_kind::text:
        return "text";
    case value_kind::blob:
        return "blob";
    case value_kind::timestamp:
        return "timestamp";
    case value_kind::uuid:
        return "uuid";
    case value_kind::date:
        return "date";
    }
    return "unknown";
}

namespace {

constexpr auto max_int64 =
    static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max());

std::int64_t checked_unsigned(unsigned long long v) {
    if (v > max_int64)
        throw conversion_error("unsigned value " + std::to_string(v) +
                               " does not fit a 64-bit signed database integer");
    return static_cast<std::int64_t>(v);
}

[[noreturn]] void mismatch(const value& v, std::string_view wanted) {
    throw conversion_error("cannot convert a " + std::string(to_string(v.kind())) + " value to " +
                           std::string(wanted));
}

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

std::int64_t to_int64(const value& v, const param_ref& r) {
    if (v.kind() == value_kind::integer || v.kind() == value_kind::boolean) return r.integer;
    mismatch(v, "an integer");
}

// system_clock counts nanoseconds in 64 bits: years 1678 to 2261. Outside that range a
// timestamp (microseconds) does not fit, and converting would overflow.
std::chrono::system_clock::time_point to_time_point(timestamp t) {
    using namespace std::chrono;
    constexpr auto lo =
        duration_cast<microseconds>(system_clock::time_point::min().time_since_epoch());
    constexpr auto hi =
        duration_cast<microseconds>(system_clock::time_point::max().time_since_epoch());
    if (t.time_since_epoch() < lo || t.time_since_epoch() > hi)
        throw conversion_error("timestamp " +
                               detail::format_timestamp(t.time_since_epoch().count()) +
                               " is outside the range of std::chrono::system_clock (1678-2261)");
    return system_clock::time_point(duration_cast<system_clock::duration>(t.time_since_epoch()));
}

std::chrono::year_month_day checked_date(std::chrono::year_month_day d) {
    if (!d.ok())
        throw conversion_error("the date " + std::to_string(int(d.year())) + "-" +
                               std::to_string(unsigned(d.month())) + "-" +
                               std::to_string(unsigned(d.day())) + " is not on the calendar");
    return d;
}

uuid to_uuid(const value& v, const param_ref& r) {
    switch (v.kind()) {
    case value_kind::uuid:
        return r.uuid_value();
    case value_kind::text:
        return uuid::parse(r.text()); // throws conversion_error
    // BINARY(16) on MariaDB, BLOB on SQLite
    case value_kind::blob:
        if (r.size == 16) return r.uuid_value();
        throw conversion_error("a blob of " + std::to_string(r.size) +
                               " bytes is not a UUID (16 bytes)");
    default:
        mismatch(v, "a uuid");
    }
}

timestamp to_timestamp(const value& v, const param_ref& r) {
    switch (v.kind()) {
    case value_kind::timestamp:
        return timestamp(std::chrono::microseconds(r.integer));
    case value_kind::text:
        return detail::parse_timestamp(r.text()); // throws conversion_error
    case value_kind::date:
        return timestamp(std::chrono::sys_days(std::chrono::days(r.integer)));
    default:
        mismatch(v, "a time point");
    }
}

std::chrono::year_month_day to_date(const value& v, const param_ref& r) {
    if (v.kind() == value_kind::date)
        return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(r.integer)));
    if (v.kind() == value_kind::text) return detail::parse_date(r.text());
    mismatch(v, "a date (std::chrono::year_month_day)");
}

} // namespace

value::value(unsigned long v) : v_(checked_unsigned(v)) {}
value::value(unsigned long long v) : v_(checked_unsigned(v)) {}
value::value(std::chrono::year_month_day v) : v_(checked_date(v)) {}

value value::from_ref(const param_ref& r) {
    switch (r.kind) {
    case value_kind::null:
        return {};
    case value_kind::integer:
        return value(r.integer);
    case value_kind::real:
        return value(r.real);
    case value_kind::boolean:
        return value(r.integer != 0);
    case value_kind::text:
        return value(r.text());
    case value_kind::blob: {
        const auto* p = static_cast<const std::byte*>(r.data);
        return value(blob(p, p + r.size));
    }
    case value_kind::timestamp:
        return value(timestamp(std::chrono::microseconds(r.integer)));
    case value_kind::uuid:
        return value(r.uuid_value());
    case value_kind::date:
        detail::check_date_range(r.integer); // a day count chrono's year can hold
        return value(
            std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(r.integer))));
    }
    return {};
}

param_ref value::ref() const noexcept {
    switch (kind()) {
    case value_kind::null:
        return param_ref::of_null();
    case value_kind::integer:
        return param_ref::of_integer(std::get<std::int64_t>(v_));
    case value_kind::real:
        return param_ref::of_real(std::get<double>(v_));
    case value_kind::boolean:
        return param_ref::of_boolean(std::get<bool>(v_));
    case value_kind::text:
        return param_ref::of_text(std::get<std::string>(v_));
    case value_kind::blob: {
        const auto& b = std::get<blob>(v_);
        return param_ref::of_blob(b.data(), b.size());
    }
    case value_kind::timestamp:
        return param_ref::of_timestamp(std::get<timestamp>(v_));
    case value_kind::uuid:
        return param_ref::of_uuid(std::get<uuid>(v_));
    case value_kind::date:
        return param_ref::of_date(std::get<std::chrono::year_month_day>(v_));
    }
    return {};
}

template <class T>
T value::as() const {
    if constexpr (is_optional<T>::value) {
        if (is_null()) return std::nullopt;
        return as<typename T::value_type>();
    } else {
        if (is_null()) mismatch(*this, "a non-optional type (use std::optional for NULL)");
        const param_ref r = ref();
        if constexpr (std::is_same_v<T, std::int64_t>) {
            return to_int64(*this, r);
        } else if constexpr (std::is_same_v<T, int>) {
            const std::int64_t i = to_int64(*this, r);
            if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max())
                throw conversion_error("integer " + std::to_string(i) + " does not fit an int");
            return static_cast<int>(i);
        } else if constexpr (std::is_same_v<T, double>) {
            if (kind() == value_kind::real) return r.real;
            if (kind() == value_kind::integer) return static_cast<double>(r.integer);
            mismatch(*this, "double");
        } else if constexpr (std::is_same_v<T, bool>) {
            if (kind() == value_kind::boolean) return r.integer != 0;
            if (kind() == value_kind::integer && (r.integer == 0 || r.integer == 1))
                return r.integer == 1;
            mismatch(*this, "bool");
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (kind() == value_kind::text) return std::string(r.text());
            if (kind() == value_kind::uuid) return r.uuid_value().to_string();
            if (kind() == value_kind::date) return detail::format_date(r.integer);
            mismatch(*this, "std::string");
        } else if constexpr (std::is_same_v<T, std::string_view>) {
            if (kind() == value_kind::text) return r.text(); // the value's own bytes
            mismatch(*this, "std::string_view (a view of text)");
        } else if constexpr (std::is_same_v<T, blob>) {
            if (kind() == value_kind::blob) return std::get<blob>(v_);
            mismatch(*this, "a blob");
        } else if constexpr (std::is_same_v<T, timestamp>) {
            return to_timestamp(*this, r);
        } else if constexpr (std::is_same_v<T, uuid>) {
            return to_uuid(*this, r);
        } else if constexpr (std::is_same_v<T, std::chrono::year_month_day>) {
            return to_date(*this, r);
        } else {
            static_assert(std::is_same_v<T, std::chrono::system_clock::time_point>);
            return to_time_point(to_timestamp(*this, r));
        }
    }
}

#define TABELLA_VALUE_AS(T)                                                                        \
    template T value::as<T>() const;                                                               \
    template std::optional<T> value::as<std::optional<T>>() const;
TABELLA_VALUE_AS(std::int64_t)
TABELLA_VALUE_AS(int)
TABELLA_VALUE_AS(double)
TABELLA_VALUE_AS(bool)
TABELLA_VALUE_AS(std::string)
TABELLA_VALUE_AS(std::string_view)
TABELLA_VALUE_AS(blob)
TABELLA_VALUE_AS(timestamp)
TABELLA_VALUE_AS(std::chrono::system_clock::time_point)
TABELLA_VALUE_AS(uuid)
TABELLA_VALUE_AS(std::chrono::year_month_day)
#undef TABELLA_VALUE_AS

std::ostream& operator<<(std::ostream& os, const value& v) {
    return os << detail::format_param(v.ref(), std::numeric_limits<std::size_t>::max());
}

} // namespace tabella
