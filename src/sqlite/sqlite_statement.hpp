// A prepared SQLite statement: binding parameters (without copying text), stepping, reading.
#pragma once

#include "tabella/detail/driver.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tabella::detail {

class sqlite_statement final : public prepared_statement {
  public:
    /// Prepares `sql`; throws the typed error SQLite's message calls for.
    sqlite_statement(sqlite3* db, std::string sql);
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;
    ~sqlite_statement() override;

    std::int64_t execute(std::span<const param_ref> params, row_buffer* out) override;
    /// Steps the rows into `buffer`, calling `sink` every `batch` rows.
    std::int64_t execute_batched(std::span<const param_ref> params, row_buffer& buffer,
                                 std::size_t batch,
                                 const std::function<void(row_buffer&)>& sink) override;
    /// Steps the rows, handing each to `sink` as views of SQLite's own buffers.
    std::int64_t execute_each(std::span<const param_ref> params, row_sink& sink) override;
    /// Steps the rows as the cursor is read; the statement is reset when it is destroyed.
    std::unique_ptr<row_cursor> open(std::span<const param_ref> params) override;
    const std::string& sql() const noexcept override { return sql_; }

  private:
    friend class sqlite_cursor;
    void bind_all(std::span<const param_ref> params);
    /// Runs to the end, `each_row` after every row; resets the statement whatever happens.
    template <class EachRow>
    std::int64_t step_all(EachRow&& each_row);

    sqlite3* db_;
    std::string sql_;
    sqlite3_stmt* stmt_ = nullptr;
};

} // namespace tabella::detail
