// The cursor behind a stream: a statement of its own, its parameters, the driver's cursor
// and, outside a transaction, the transaction it reads in.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/detail/driver.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace tabella::detail {

class TABELLA_EXPORT batch_source {
  public:
    /// Prepares `sql` on `conn`, echoes it, and opens a cursor over its rows (in a
    /// transaction of its own when `conn` has none). Throws usage_error when `batch` is 0 or
    /// `params` pass the parameter limit, and the sql_error of a statement the database
    /// refuses.
    batch_source(connection& conn, std::string_view sql, std::vector<value> params,
                 std::size_t batch);
    batch_source(const batch_source&) = delete;
    batch_source& operator=(const batch_source&) = delete;
    ~batch_source();

    /// Reads the next batch into rows(); false, with no rows, once there are none left
    /// (the transaction of its own is committed then). A failure ends the stream (and
    /// rolls that transaction back) before it is thrown.
    bool next();
    /// next(), each row of the batch handed to `sink` as views instead of kept in rows().
    bool next_each(row_sink& sink);
    [[nodiscard]] row_buffer& rows() noexcept { return rows_; }
    [[nodiscard]] std::size_t batch() const noexcept { return batch_; }

  private:
    void check_transaction() const;
    /// A batch read by `fetch(cursor)`: next() and next_each() but for how rows arrive.
    template <class Fetch>
    bool advance(Fetch&& fetch);
    void finish(bool commit);

    connection& conn_;
    std::vector<value> params_; // bound by reference: they live as long as the cursor
    std::vector<param_ref> refs_;
    std::optional<transaction> own_tx_;
    std::unique_ptr<prepared_statement> stmt_;
    std::unique_ptr<row_cursor> cursor_; // goes before the statement
    row_buffer rows_;
    std::size_t batch_;
    std::uint64_t transaction_ = 0; // connection_access::transactions_begun at the start
};

} // namespace tabella::detail
