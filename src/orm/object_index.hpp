// Session entry <-> object address, stored as runs of objects laid out at a fixed stride:
// add_all of a million objects, or a million rows loaded into the store's chunks, is a
// run per chunk, not a million pointers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace tabella::detail {

class object_index {
  public:
    /// Records `count` objects from `first`, `stride` bytes apart, as the next entries.
    void append(void* first, std::size_t count, std::size_t stride);
    /// The number of entries recorded.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// The object of `entry` (< size()).
    [[nodiscard]] void* operator[](std::size_t entry) const noexcept {
        const run* r = &runs_[last_run_];
        if (entry < r->first_entry || entry - r->first_entry >= r->count) r = &run_of(entry);
        return r->first + (entry - r->first_entry) * r->stride;
    }
    /// The entry of the object at `obj`, if recorded (the newest, if an address was reused).
    [[nodiscard]] std::optional<std::uint32_t> find(const void* obj) const;

  private:
    struct run {
        std::size_t first_entry;
        std::size_t count;
        std::size_t stride;
        char* first;
    };
    /// Finds the run of `entry` by bisection and remembers it for the next lookup.
    const run& run_of(std::size_t entry) const noexcept;

    std::vector<run> runs_{run{0, 0, 1, nullptr}};     ///< in entry order (an empty one first)
    std::map<std::uintptr_t, std::size_t> by_address_; ///< first address -> its run in runs_
    mutable std::size_t last_run_ = 0;                 ///< the run of the last lookup
    std::size_t size_ = 0;
};

} // namespace tabella::detail
