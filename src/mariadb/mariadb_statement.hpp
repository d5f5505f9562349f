// MariaDB prepared statements on the binary protocol: parameters bound straight from the
// caller's memory, result cells read into tabella values.
#pragma once

#include "mariadb_link.hpp"
#include "tabella/detail/driver.hpp"

#include <vector>

namespace tabella::detail {

class mariadb_statement final : public prepared_statement {
  public:
    /// Prepares `sql` on the server; throws the sql_error of a statement it refuses.
    mariadb_statement(mariadb_link& link, std::string sql);
    mariadb_statement(const mariadb_statement&) = delete;
    mariadb_statement& operator=(const mariadb_statement&) = delete;
    ~mariadb_statement() override;

    std::int64_t execute(std::span<const param_ref> params, row_buffer* out) override;
    /// A read-only server-side cursor fetched n rows at a time (mariadb_cursor.cpp).
    /// Fetches the rows one at a time, handing each to `sink` as views of the fetch buffers.
    std::int64_t execute_each(std::span<const param_ref> params, row_sink& sink) override;
    std::unique_ptr<row_cursor> open(std::span<const param_ref> params) override;
    const std::string& sql() const noexcept override { return sql_; }

  private:
    friend class mariadb_cursor;
    void check_params(std::span<const param_ref> params) const;
    void bind(std::span<const param_ref> params);
    /// Reads every row of the result into `out` (or drops them); returns the count.
    /// Reads the rows of the statement just executed into `out` (when not null) or, as
    /// views, into `sink` (when not null); returns their count.
    std::int64_t read_rows(row_buffer* out, row_sink* sink = nullptr);
    /// Binds `params`, executes, reads the rows (read_rows) or the count of rows changed.
    std::int64_t run(std::span<const param_ref> params, row_buffer* out, row_sink* sink);

    mariadb_link& link_;
    std::string sql_;
    MYSQL_STMT* stmt_ = nullptr;
    std::vector<MYSQL_BIND> binds_;
    std::vector<MYSQL_TIME> times_; // timestamps converted for binding
};

} // namespace tabella::detail
