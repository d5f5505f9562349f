// Values between tabella and Connector/C's binary protocol: DATETIME conversion and the
// result buffers a fetched row is decoded from.
#pragma once

#include "tabella/value.hpp"

#include <mysql.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tabella::detail {

/// Microseconds since the epoch (UTC) as a DATETIME, for parameter `index`. Throws
/// conversion_error outside years 1 to 9999 (MariaDB documents 1000 to 9999 for DATETIME
/// and DATE, and stores years 1 to 999 as well).
[[nodiscard]] MYSQL_TIME to_mysql_time(std::int64_t micros, std::size_t index);
/// Days since the epoch as a DATE; the same range.
[[nodiscard]] MYSQL_TIME to_mysql_date(std::int64_t days, std::size_t index);
/// A DATETIME or TIMESTAMP read from the server, taken as UTC: a timestamp, or, when
/// tabella cannot hold it (a zero date, a year outside 1 to 9999), its text, whose
/// as<timestamp>() throws conversion_error.
[[nodiscard]] value time_value(const MYSQL_TIME& t);
/// A DATE read from the server: a date, or its text as time_value does.
[[nodiscard]] value date_value(const MYSQL_TIME& t);

/// The result binding of one statement execution: fixed-size cells land in buffers of
/// their own; text and blobs, whose length is known only after the fetch, are fetched
/// column by column at the length the server reports.
class result_cells {
  public:
    result_cells(const MYSQL_FIELD* fields, unsigned width);
    [[nodiscard]] MYSQL_BIND* binds() noexcept { return binds_.data(); }
    /// The value of column `c` of the row just fetched.
    [[nodiscard]] value read(MYSQL_STMT* stmt, unsigned c);
    /// A view of column `c` of the row just fetched, valid until the next fetch: numbers
    /// from the bound buffers, text and blobs fetched into a buffer of the column kept from
    /// row to row, other kinds through read().
    [[nodiscard]] param_ref view(MYSQL_STMT* stmt, unsigned c);

    /// How a column is read: by the field's type and, for strings, its character set
    /// (63 is binary).
    enum class decoder : std::uint8_t {
        null,
        integer,
        natural,
        real,
        decimal,
        time,
        date,
        text,
        bytes
    };

  private:
    struct cell {
        decoder how = decoder::text;
        std::int64_t integer = 0;
        double real = 0.0;
        MYSQL_TIME time{};
        unsigned long length = 0;
        my_bool is_null = 0;
        my_bool error = 0;
        std::string bytes; ///< view(): the text or blob of the row just fetched
        value held;        ///< view(): the value of kinds read through read()
    };
    template <class Buffer>
    Buffer fetch(MYSQL_STMT* stmt, unsigned c, enum_field_types type);
    template <class Buffer>
    void fetch_into(MYSQL_STMT* stmt, unsigned c, enum_field_types type, Buffer& out);

    std::vector<cell> cells_;
    std::vector<MYSQL_BIND> binds_;
};

} // namespace tabella::detail
