// Values between tabella and Connector/C's binary protocol: DATETIME conversion and the
// result buffers a fetched row is decoded from.
#pragma once

#include "tabella/value.hpp"

#include <mysql.h>

#include <cstdint>
#include <vector>

namespace tabella::detail {

/// Microseconds since the epoch (UTC) as a DATETIME. Throws conversion_error outside the
/// years MariaDB's DATETIME holds (1000 to 9999).
[[nodiscard]] MYSQL_TIME to_mysql_time(std::int64_t micros);
/// A DATETIME (or DATE, TIMESTAMP) read from the server, taken as UTC.
[[nodiscard]] timestamp to_timestamp(const MYSQL_TIME& t);

/// The result binding of one statement execution: fixed-size cells land in buffers of
/// their own; text and blobs, whose length is known only after the fetch, are fetched
/// column by column at the length the server reports.
class result_cells {
  public:
    result_cells(const MYSQL_FIELD* fields, unsigned width);
    [[nodiscard]] MYSQL_BIND* binds() noexcept { return binds_.data(); }
    /// The value of column `c` of the row just fetched.
    [[nodiscard]] value read(MYSQL_STMT* stmt, unsigned c);

    /// How a column is read: by the field's type and, for strings, its character set
    /// (63 is binary).
    enum class decoder : std::uint8_t { null, integer, natural, real, decimal, time, text, bytes };

  private:
    struct cell {
        decoder how = decoder::text;
        std::int64_t integer = 0;
        double real = 0.0;
        MYSQL_TIME time{};
        unsigned long length = 0;
        my_bool is_null = 0;
        my_bool error = 0;
    };
    template <class Buffer>
    Buffer fetch(MYSQL_STMT* stmt, unsigned c, enum_field_types type);

    std::vector<cell> cells_;
    std::vector<MYSQL_BIND> binds_;
};

} // namespace tabella::detail
