// Streams: the rows of a SELECT read from the database a batch at a time, so that memory
// stays flat whatever the row count (connection::stream, query<T>::stream).
#pragma once

#include "tabella/export.hpp"

#include "tabella/result.hpp"

#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace tabella {

namespace detail {
class batch_source;
/// Deletes a batch_source where its type is complete (src/core/stream.cpp).
struct TABELLA_EXPORT batch_source_deleter {
    void operator()(batch_source* source) const noexcept;
};
/// The open cursor of a stream, its statement and its transaction.
using batch_source_ptr = std::unique_ptr<batch_source, batch_source_deleter>;
} // namespace detail

/// The rows of a statement read from the database `batch` rows at a time, made by
/// connection::stream(): an input range, read once, front to back. A row is valid until
/// the iterator moves on. The stream runs in the connection's transaction, or in one of its
/// own (committed once the last row is read, rolled back when the stream is destroyed
/// before) that other statements on the connection join until the stream ends. Destroying
/// the stream early closes its cursor and leaves the connection usable. It must not outlive
/// its connection, and ending the transaction it reads in ends it: the next read throws
/// usage_error.
class TABELLA_EXPORT row_stream {
  public:
    explicit row_stream(detail::batch_source_ptr source) noexcept;
    row_stream(row_stream&&) noexcept;
    row_stream& operator=(row_stream&&) noexcept;
    ~row_stream();

    /// An input iterator over the rows; equal to end() once the last row is passed.
    class iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = row;
        using difference_type = std::ptrdiff_t;
        using reference = const row&;
        using pointer = const row*;

        iterator() = default;
        [[nodiscard]] const row& operator*() const noexcept { return stream_->current_; }
        [[nodiscard]] const row* operator->() const noexcept { return &stream_->current_; }
        /// Moves to the next row, reading the next batch when this one is used up.
        iterator& operator++() {
            stream_->advance();
            return *this;
        }
        void operator++(int) { stream_->advance(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return it.at_end();
        }

      private:
        friend class row_stream;
        explicit iterator(row_stream* s) noexcept : stream_(s) {}
        [[nodiscard]] bool at_end() const noexcept { return !stream_ || stream_->done_; }
        row_stream* stream_ = nullptr;
    };

    /// The first row not yet passed (the first batch is read at the first call).
    [[nodiscard]] iterator begin();
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }
    /// The names of the result's columns (reads the first batch if it is not read yet).
    [[nodiscard]] const std::vector<std::string>& columns();

  private:
    void advance();

    detail::batch_source_ptr source_;
    std::shared_ptr<const std::vector<std::string>> columns_;
    row current_;
    std::size_t next_ = 0; ///< the next row of the batch read last
    bool started_ = false;
    bool done_ = false;
};

} // namespace tabella
