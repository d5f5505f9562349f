// Large allocations in 2 MiB pages (see tabella/detail/pages.hpp).
#include "tabella/detail/pages.hpp"

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace tabella::detail {

namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;

constexpr std::size_t round_up(std::size_t bytes) noexcept {
    return (bytes + huge_page - 1) / huge_page * huge_page;
}

} // namespace

#if defined(__linux__) && defined(MADV_HUGEPAGE)

void* allocate_pages(std::size_t bytes) {
    const std::size_t size = round_up(bytes);
    // Map a huge page more than needed and trim it, so that the start is 2 MiB aligned:
    // the kernel backs only aligned ranges with huge pages.
    void* raw = ::mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = round_up(start);
    if (aligned > start) ::munmap(raw, aligned - start);
    const std::uintptr_t tail = start + size + huge_page - (aligned + size);
    if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
    void* p = reinterpret_cast<void*>(aligned);
    (void)::madvise(p, size, MADV_HUGEPAGE); // a hint: without huge pages, 4 KiB pages
    return p;
}

void release_pages(void* p, std::size_t bytes) noexcept {
    ::munmap(p, round_up(bytes));
}

void advise_large_pages(void* p, std::size_t bytes) noexcept {
    if (bytes < 2 * huge_page) return;
    const auto start = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = round_up(start);
    const std::uintptr_t last = (start + bytes) / huge_page * huge_page;
    if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

#else

void* allocate_pages(std::size_t bytes) {
    return ::operator new (round_up(bytes), std::align_val_t{huge_page});
}

void release_pages(void* p, std::size_t bytes) noexcept {
    ::operator delete (p, round_up(bytes), std::align_val_t{huge_page});
}

void advise_large_pages(void*, std::size_t) noexcept {}

#endif

} // namespace tabella::detail
