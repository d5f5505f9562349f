// Memory for a session's large arrays (its objects, their entries and snapshots): an
// allocation of 1 MiB or more is mapped in 2 MiB pages where the system has them
// (Linux's transparent huge pages, asked for with madvise), so that loading millions of
// rows costs one page fault per 2 MiB instead of one per 4 KiB, and the cost of a row does
// not grow with the size of the result.
#pragma once

#include "tabella/export.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace tabella::detail {

/// Allocations of at least this many bytes are mapped in large pages.
inline constexpr std::size_t large_allocation = std::size_t{1} << 20;

/// `bytes` (at least large_allocation) aligned to 2 MiB; throws std::bad_alloc.
[[nodiscard]] TABELLA_EXPORT void* allocate_pages(std::size_t bytes);
/// Frees what allocate_pages(bytes) returned.
TABELLA_EXPORT void release_pages(void* p, std::size_t bytes) noexcept;

/// Asks for large pages for the 2 MiB-aligned part of [p, p + bytes): memory from new or
/// malloc that nothing has touched yet. A hint, ignored for less than 4 MiB.
TABELLA_EXPORT void advise_large_pages(void* p, std::size_t bytes) noexcept;

/// Doubles the capacity of `v` (a std::vector<T*> of a query's results, whose allocator is
/// not ours) in memory asked for in large pages before the items are copied into it.
template <class P>
void grow_in_large_pages(std::vector<P>& v) {
    std::vector<P> bigger;
    bigger.reserve(v.capacity() < 64 ? 64 : 2 * v.capacity());
    advise_large_pages(bigger.data(), bigger.capacity() * sizeof(P));
    bigger.insert(bigger.end(), v.begin(), v.end());
    v.swap(bigger);
}

/// std::allocator, but large allocations in large pages.
template <class T>
struct page_allocator {
    using value_type = T;
    page_allocator() noexcept = default;
    template <class U>
    page_allocator(const page_allocator<U>&) noexcept {}

    [[nodiscard]] T* allocate(std::size_t n) {
        if (n * sizeof(T) < large_allocation) return std::allocator<T>().allocate(n);
        return static_cast<T*>(allocate_pages(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < large_allocation) return std::allocator<T>().deallocate(p, n);
        release_pages(p, n * sizeof(T));
    }
    template <class U>
    friend bool operator==(const page_allocator&, const page_allocator<U>&) noexcept {
        return true;
    }
};

/// A vector that may grow to millions of items (one per session entry), in large pages.
template <class T>
using large_vector = std::vector<T, page_allocator<T>>;

} // namespace tabella::detail
