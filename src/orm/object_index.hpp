// Object address -> session entry, stored as runs of objects laid out at a fixed stride:
// add_all of a million objects is one run, not a million nodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace tabella::detail {

class object_index {
  public:
    /// Records `count` objects from `first`, `stride` bytes apart, as entries from `entry`.
    void insert(const void* first, std::size_t count, std::size_t stride, std::uint32_t entry);
    /// The entry of the object at `obj`, if recorded.
    [[nodiscard]] std::optional<std::uint32_t> find(const void* obj) const;

  private:
    struct run {
        std::size_t count;
        std::size_t stride;
        std::uint32_t first_entry;
    };
    std::map<std::uintptr_t, run> runs_; // first address -> run
    std::uintptr_t last_ = 0;            // first address of the run inserted last, or 0
};

} // namespace tabella::detail
