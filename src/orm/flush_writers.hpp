// The ways a flush sends INSERTs: complete rows in multi-row statements or COPY (keys set
// before sending), multi-row statements whose generated keys come back in VALUES order, or
// one reused single-row statement whose generated key comes back.
#pragma once

#include "flush.hpp"

#include <memory>

namespace tabella::detail {

/// Sends chunks of complete rows, keys included.
class keyed_writer {
  public:
    keyed_writer(statement_runner& run, table_runtime& t);
    virtual ~keyed_writer() = default;
    [[nodiscard]] virtual std::size_t rows_per_chunk() const noexcept = 0;
    /// Inserts the objects of `entries`; `total` counts the flush's pending objects of the
    /// table, for error messages.
    virtual void write(std::span<const std::uint32_t> entries, std::size_t total) = 0;

  protected:
    /// Binds every column of every object of `entries` into params_, row after row.
    void bind_rows(std::span<const std::uint32_t> entries);

    statement_runner& run_;
    table_runtime& t_;
    std::vector<std::string> columns_;
    std::vector<param_ref> params_; ///< one chunk at a time
};

/// Sends rows with every column, keys included, as multi-row INSERTs.
class chunk_writer final : public keyed_writer {
  public:
    chunk_writer(statement_runner& run, table_runtime& t, std::size_t page_size);
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_statement_; }
    void write(std::span<const std::uint32_t> entries, std::size_t total) override;

  private:
    std::optional<std::size_t> locate_failure(std::span<const std::uint32_t> entries);

    std::size_t per_statement_;
};

/// Sends rows with every column, keys included, with COPY FROM STDIN.
class copy_writer final : public keyed_writer {
  public:
    copy_writer(statement_runner& run, table_runtime& t, std::size_t page_size)
        : keyed_writer(run, t), per_chunk_(page_size ? page_size : 10000) {}
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_chunk_; }
    void write(std::span<const std::uint32_t> entries, std::size_t total) override;

  private:
    std::size_t per_chunk_;
};

/// Multi-row INSERTs without the key column, ... RETURNING key: the n-th key returned is
/// the n-th row's (drivers whose capabilities promise the order).
class returning_writer {
  public:
    returning_writer(statement_runner& run, table_runtime& t, std::size_t page_size);
    /// Rows a statement of this writer holds for `t` (one column fewer than with keys).
    [[nodiscard]] static std::size_t rows_per_statement_for(const statement_runner& run,
                                                            const table_runtime& t,
                                                            std::size_t page_size);
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept { return per_statement_; }
    /// Inserts `entries` (one statement, in a SAVEPOINT) and writes each returned key into
    /// its object. Returns false, having undone the statement, when the returned rows do
    /// not hold the values sent at their positions (a trigger or a conversion changed
    /// them, or the order differs): the caller sends those objects row by row.
    [[nodiscard]] bool write(std::span<const std::uint32_t> entries, std::size_t total);

  private:
    /// True when each returned row holds the values of the row sent at its position.
    [[nodiscard]] bool returned_as_sent(const row_buffer& returned) const;

    statement_runner& run_;
    table_runtime& t_;
    std::vector<std::string> columns_; ///< every column but the key
    std::size_t per_statement_;
    std::vector<param_ref> params_;
};

/// One prepared single-row INSERT without the key column, reused for every object; the
/// key the database generated comes back with RETURNING.
class row_by_row_writer {
  public:
    row_by_row_writer(statement_runner& run, table_runtime& t);
    void write(std::uint32_t entry, std::size_t total);

  private:
    statement_runner& run_;
    table_runtime& t_;
    prepared_statement& stmt_;
};

/// Writes a key the database returned for a row into the object of `entry`; throws
/// when it returned none (NULL: the key column is not generated).
void assign_returned_key(table_runtime& t, std::uint32_t entry, const value* key,
                         std::size_t total);

/// " at object 7 of 10 pending": where `entry` stands among the pending objects of its
/// table in the order they were added, for messages.
[[nodiscard]] std::string object_position(const table_runtime& t, std::uint32_t entry,
                                          std::size_t total);

} // namespace tabella::detail
