// Database values: `value` owns one, `param_ref` is a non-owning view used for binding.
#pragma once

#include "tabella/export.hpp"

#include "tabella/uuid.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tabella {

/// The kinds of value tabella moves between C++ and the database.
/// (New kinds are appended: the numbering of the others stays.)
enum class value_kind : std::uint8_t {
    null,
    integer,
    real,
    boolean,
    text,
    blob,
    timestamp,
    uuid, ///< a tabella::uuid
    date, ///< a calendar date, std::chrono::year_month_day
};

/// Human-readable name of a kind ("integer", "text"...), for error messages.
[[nodiscard]] TABELLA_EXPORT std::string_view to_string(value_kind kind) noexcept;

/// Time points are stored with microsecond precision (PostgreSQL's precision). The
/// databases store years 1 to 9999 (UTC); drivers refuse others with conversion_error.
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;
/// Binary data.
using blob = std::vector<std::byte>;

/// A non-owning view of one value to bind as a statement parameter. It points into the
/// object it was taken from, which must outlive the statement execution.
struct TABELLA_EXPORT param_ref {
    value_kind kind = value_kind::null;
    /// integer, boolean (0/1), timestamp (microseconds since 1970-01-01 00:00 UTC) and
    /// date (days since 1970-01-01)
    std::int64_t integer = 0;
    double real = 0.0;          ///< real
    const void* data = nullptr; ///< text (UTF-8 bytes, not NUL-terminated), blob, uuid
    std::size_t size = 0;       ///< byte count of data (16 for a uuid)

    /// The day count of_date gives a date that is not on the calendar (February 30th):
    /// outside every database's range, so that binding it is a conversion_error.
    static constexpr std::int64_t invalid_date = std::numeric_limits<std::int64_t>::min();

    [[nodiscard]] std::string_view text() const noexcept {
        return {static_cast<const char*>(data), size};
    }
    [[nodiscard]] static param_ref of_null() noexcept { return {}; }
    [[nodiscard]] static param_ref of_integer(std::int64_t v) noexcept {
        return {value_kind::integer, v, 0.0, nullptr, 0};
    }
    [[nodiscard]] static param_ref of_real(double v) noexcept {
        return {value_kind::real, 0, v, nullptr, 0};
    }
    [[nodiscard]] static param_ref of_boolean(bool v) noexcept {
        return {value_kind::boolean, v ? 1 : 0, 0.0, nullptr, 0};
    }
    [[nodiscard]] static param_ref of_text(std::string_view v) noexcept {
        return {value_kind::text, 0, 0.0, v.data(), v.size()};
    }
    [[nodiscard]] static param_ref of_blob(const void* p, std::size_t n) noexcept {
        return {value_kind::blob, 0, 0.0, p, n};
    }
    [[nodiscard]] static param_ref of_timestamp(timestamp t) noexcept {
        return {value_kind::timestamp, t.time_since_epoch().count(), 0.0, nullptr, 0};
    }
    /// Points at the 16 bytes of `u`, which must outlive the statement execution.
    [[nodiscard]] static param_ref of_uuid(const uuid& u) noexcept {
        return {value_kind::uuid, 0, 0.0, u.bytes.data(), u.bytes.size()};
    }
    [[nodiscard]] static param_ref of_date(std::chrono::year_month_day d) noexcept {
        return {value_kind::date,
                d.ok() ? std::chrono::sys_days(d).time_since_epoch().count() : invalid_date, 0.0,
                nullptr, 0};
    }
    /// The uuid a uuid view points at.
    [[nodiscard]] uuid uuid_value() const noexcept {
        uuid u;
        const auto* p = static_cast<const std::uint8_t*>(data);
        for (std::size_t i = 0; i < u.bytes.size() && i < size; ++i) u.bytes[i] = p[i];
        return u;
    }
};

/// One database value that owns its data: NULL, integer, real, boolean, text, blob,
/// timestamp, uuid or date. Converts to C++ types with `as<T>()`, which throws `conversion_error`
/// when the value does not fit T.
class TABELLA_EXPORT value {
  public:
    value() noexcept = default;
    value(std::nullptr_t) noexcept {}
    value(std::nullopt_t) noexcept {}
    value(int v) noexcept : v_(std::int64_t{v}) {}
    value(long v) noexcept : v_(std::int64_t{v}) {}
    value(long long v) noexcept : v_(std::int64_t{v}) {}
    value(unsigned v) noexcept : v_(std::int64_t{v}) {}
    value(unsigned long v);      ///< throws conversion_error above INT64_MAX
    value(unsigned long long v); ///< throws conversion_error above INT64_MAX
    value(double v) noexcept : v_(v) {}
    value(bool v) noexcept : v_(v) {}
    value(const char* v) : v_(std::string(v)) {}
    value(std::string_view v) : v_(std::string(v)) {}
    value(std::string v) noexcept : v_(std::move(v)) {}
    value(blob v) noexcept : v_(std::move(v)) {}
    value(timestamp v) noexcept : v_(v) {}
    value(std::chrono::system_clock::time_point v) noexcept
        : v_(std::chrono::time_point_cast<std::chrono::microseconds>(v)) {}
    /// A day as a time point is a timestamp (its midnight), as before dates were values.
    value(std::chrono::sys_days v) noexcept : v_(timestamp(v)) {}
    value(const uuid& v) noexcept : v_(v) {}
    /// Throws conversion_error for a date that is not on the calendar (February 30th).
    value(std::chrono::year_month_day v);
    template <class T>
    value(const std::optional<T>& v) : value() {
        if (v) *this = value(*v);
    }

    /// Makes a value from a parameter view (copies text and blob data).
    [[nodiscard]] static value from_ref(const param_ref& ref);

    [[nodiscard]] value_kind kind() const noexcept { return static_cast<value_kind>(v_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return v_.index() == 0; }

    /// Converts to T: std::int64_t, int, double, bool, std::string, blob, timestamp,
    /// std::chrono::system_clock::time_point, uuid, std::chrono::year_month_day, or
    /// std::optional of one of them (NULL gives nullopt). Throws conversion_error when the
    /// value does not fit. Text converts to a timestamp, a date or a uuid by parsing it
    /// (that is how SQLite stores them, and how a driver hands over a value it could not
    /// represent, such as PostgreSQL's 'infinity', so that only reading it fails); a
    /// 16-byte blob converts to a uuid; a date converts to the timestamp of its midnight
    /// (UTC); a uuid and a date convert to their text ("xxxxxxxx-xxxx-...", "YYYY-MM-DD").
    /// `as<std::string_view>()` views a text value's own bytes without copying them (valid
    /// while this value lives unchanged); any other kind is a conversion_error.
    template <class T>
    [[nodiscard]] T as() const;

    /// A view of this value for binding; valid while this value lives unchanged.
    [[nodiscard]] param_ref ref() const noexcept;
    /// The text this value holds, to move from (loading objects); nullptr unless text.
    [[nodiscard]] std::string* text_if() noexcept { return std::get_if<std::string>(&v_); }

    friend bool operator==(const value&, const value&) = default;

  private:
    // In value_kind order: kind() is the index.
    std::variant<std::monostate, std::int64_t, double, bool, std::string, blob, timestamp, uuid,
                 std::chrono::year_month_day>
        v_;
};

/// Prints a value the way echo shows parameters: 'text', 42, 1.5, NULL, <blob 3 bytes>,
/// '2026-01-02 03:04:05.000000', 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', '2026-01-02'.
TABELLA_EXPORT std::ostream& operator<<(std::ostream& os, const value& v);

} // namespace tabella
