// ORM streams: objects of a mapped struct read from a query's rows a batch at a time, not
// kept by the session (query<T>::stream).
#pragma once

#include "tabella/export.hpp"

#include "tabella/mapping.hpp"
#include "tabella/stream.hpp"

#include <cstddef>
#include <iterator>
#include <vector>

namespace tabella {

namespace detail {
class session_state;
struct query_spec;

/// Autoflushes, opens the session's transaction and a cursor over the rows of `spec`.
/// Throws usage_error when `batch` is 0 or the query load()s relationships.
[[nodiscard]] TABELLA_EXPORT batch_source_ptr open_object_stream(session_state& s,
                                                                 const entity_mapping& m,
                                                                 const query_spec& spec,
                                                                 std::size_t batch);
/// Reads the next batch of `source` into the objects at `first` (`m.object_size` apart, at
/// least the source's batch of them). Returns the count loaded, 0 at the end.
[[nodiscard]] TABELLA_EXPORT std::size_t load_object_batch(batch_source& source,
                                                           const entity_mapping& m, void* first);
} // namespace detail

/// The objects of a query read `batch` rows at a time, made by `query<T>::stream(n)`: an
/// input range, read once, front to back. The objects are the stream's own, not the
/// session's: not in its identity map, never flushed, each one the values of its row as
/// the database holds them (an object the session tracks with unflushed changes is not
/// consulted; autoflush sends them first). The stream fills a buffer of `batch` objects
/// again for every batch, so an object is valid until the iterator leaves its batch, and
/// memory stays flat whatever the row count. The rows are read in the session's
/// transaction (begun now if it has not been; on SQLite that takes the write lock): the
/// session's commit() or rollback() ends the stream, whose next read throws usage_error.
template <class T>
class object_stream {
  public:
    object_stream(detail::batch_source_ptr source, std::size_t batch)
        : source_(std::move(source)), objects_(batch) {}

    /// An input iterator over the objects; equal to end() once the last one is passed.
    class iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using reference = T&;
        using pointer = T*;

        iterator() = default;
        [[nodiscard]] T& operator*() const noexcept { return stream_->objects_[stream_->next_]; }
        [[nodiscard]] T* operator->() const noexcept { return &**this; }
        iterator& operator++() {
            stream_->advance();
            return *this;
        }
        void operator++(int) { stream_->advance(); }
        friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
            return it.at_end();
        }

      private:
        friend class object_stream;
        explicit iterator(object_stream* s) noexcept : stream_(s) {}
        [[nodiscard]] bool at_end() const noexcept { return !stream_ || stream_->done_; }
        object_stream* stream_ = nullptr;
    };

    /// The first object not yet passed (the first batch is read at the first call).
    [[nodiscard]] iterator begin() {
        if (!started_) {
            started_ = true;
            next_ = count_; // nothing loaded yet: advance() reads a batch
            advance();
        }
        return iterator(this);
    }
    [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  private:
    void advance() {
        if (done_) return;
        if (++next_ < count_) return;
        done_ = true; // until the next batch is read: a failure ends the stream
        count_ = detail::load_object_batch(*source_, detail::mapping_of<T>(), objects_.data());
        next_ = 0;
        done_ = count_ == 0;
    }

    detail::batch_source_ptr source_;
    std::vector<T> objects_;
    std::size_t count_ = 0; ///< objects of the batch read last
    std::size_t next_ = 0;  ///< the current object of that batch
    bool started_ = false;
    bool done_ = false;
};

} // namespace tabella
