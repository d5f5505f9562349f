// The ways a flush sends INSERTs: complete rows in multi-row statements or COPY (keys set
// before sending), multi-row statements whose generated keys and defaults come back with
// RETURNING, or one reused single-row statement whose generated values come back.
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

/// The columns an INSERT ... RETURNING sends, and those it reads back into the objects.
struct row_shape {
    std::uint64_t sent = 0;           ///< bit c: column c is sent
    std::vector<std::size_t> fetched; ///< the generated key (when not sent), then defaults
    /// Every column but those `omitted`; `key_back`: the key too, to be read back.
    [[nodiscard]] static row_shape of(const entity_mapping& m, bool key_back,
                                      std::uint64_t omitted);
};

/// Multi-row INSERT ... RETURNING <fetched>, <sent>: each returned row is matched to the
/// object whose sent values it holds (rows with equal sent values are interchangeable:
/// either object then describes either row), so the order RETURNING gives rows in does
/// not matter. The matching is tried at the same position first.
class returning_writer {
  public:
    returning_writer(statement_runner& run, table_runtime& t, std::size_t page_size,
                     row_shape shape);
    [[nodiscard]] std::size_t rows_per_chunk() const noexcept { return per_statement_; }
    /// Inserts `entries` (one statement, in a SAVEPOINT) and writes each returned key and
    /// default into its object. Returns false, having undone the statement, when a
    /// returned row holds values no sent row does (a trigger or a converting column type
    /// changed them): the caller sends those objects row by row.
    [[nodiscard]] bool write(std::span<const std::uint32_t> entries, std::size_t total);

  private:
    /// For each returned row, the sent row it holds; empty when one holds none.
    [[nodiscard]] std::vector<std::size_t> match(const row_buffer& returned) const;

    statement_runner& run_;
    table_runtime& t_;
    row_shape shape_;
    std::vector<std::size_t> sent_columns_;
    std::vector<std::string> columns_; ///< names of the sent columns
    std::string returning_;            ///< " RETURNING fetched..., sent..."
    std::size_t per_statement_;
    std::vector<param_ref> params_;
};

/// One prepared single-row INSERT ... RETURNING <fetched>, reused for every object.
class row_by_row_writer {
  public:
    row_by_row_writer(statement_runner& run, table_runtime& t, row_shape shape);
    void write(std::uint32_t entry, std::size_t total);

  private:
    statement_runner& run_;
    table_runtime& t_;
    row_shape shape_;
    prepared_statement& stmt_;
};

/// Binds the columns of `shape` of `obj` into `out`, in column order.
void bind_shape(const entity_mapping& m, const row_shape& shape, const void* obj, param_ref* out);
/// Writes the fetched values of a returned row (`cells`, in shape.fetched order) into the
/// object of `entry`.
void assign_fetched(table_runtime& t, const row_shape& shape, std::uint32_t entry,
                    const value* cells, std::size_t total);

/// Writes a key the database returned for a row into the object of `entry`; throws
/// when it returned none (NULL: the key column is not generated).
void assign_returned_key(table_runtime& t, std::uint32_t entry, const value* key,
                         std::size_t total);

/// " at object 7 of 10 pending": where `entry` stands among the pending objects of its
/// table in the order they were added, for messages.
[[nodiscard]] std::string object_position(const table_runtime& t, std::uint32_t entry,
                                          std::size_t total);

} // namespace tabella::detail
