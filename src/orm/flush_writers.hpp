// The ways a flush sends INSERTs: complete rows in multi-row statements or COPY (keys set
// before sending), or one reused single-row statement whose generated key comes back.
#pragma once

#include "flush.hpp"

#include <map>
#include <memory>

namespace tabella::detail {

/// Sends chunks of complete rows, keys included.
class keyed_writer {
  public:
    keyed_writer(connection& conn, table_runtime& t);
    virtual ~keyed_writer() = default;
    [[nodiscard]] virtual std::size_t rows_per_chunk() const noexcept = 0;
    /// Inserts the objects of `entries`; `total` counts the flush's pending objects of the
    /// table, for error messages.
    virtual void write(std::span<const std::uint32_t> entries, std::size_t total) = 0;

  protected:
    /// Binds every column of every object of `entries` into params_, row after row.
    void bind_rows(std::span<const std::uint32_t> entries);

    connection& conn_;
    table_runtime& t_;
    std::vector<std::string> columns_;
    std::vector<param_ref> params_; ///< one chunk at a time
};

/// Sends rows with every column, keys included, as multi-row INSERTs.
class chunk_writer final : public keyed_writer {
  public:
    chunk_writer(connection& conn, table_runtime& t, std::size_t page_size);
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_statement_; }
    void write(std::span<const std::uint32_t> entries, std::size_t total) override;

  private:
    std::optional<std::size_t> locate_failure(std::span<const std::uint32_t> entries);

    std::size_t per_statement_;
    std::map<std::size_t, std::unique_ptr<prepared_statement>> statements_; // by row count
};

/// Sends rows with every column, keys included, with COPY FROM STDIN.
class copy_writer final : public keyed_writer {
  public:
    copy_writer(connection& conn, table_runtime& t, std::size_t page_size)
        : keyed_writer(conn, t), per_chunk_(page_size ? page_size : 10000) {}
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_chunk_; }
    void write(std::span<const std::uint32_t> entries, std::size_t total) override;

  private:
    std::size_t per_chunk_;
};

/// One prepared single-row INSERT without the key column, reused for every object; the
/// key the database generated comes back with RETURNING.
class row_by_row_writer {
  public:
    row_by_row_writer(connection& conn, table_runtime& t);
    void write(std::uint32_t entry, std::size_t total);

  private:
    connection& conn_;
    table_runtime& t_;
    std::unique_ptr<prepared_statement> stmt_;
};

/// " at object 7 of 10 pending": where `entry` stands among the pending objects of its
/// table in the order they were added, for messages.
[[nodiscard]] std::string object_position(const table_runtime& t, std::uint32_t entry,
                                          std::size_t total);

} // namespace tabella::detail
