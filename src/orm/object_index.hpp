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
    object_index() = default;
    object_index(const object_index&) = delete; // last_ points into runs_
    object_index& operator=(const object_index&) = delete;
    object_index(object_index&&) noexcept = default; // map nodes move with the map
    object_index& operator=(object_index&&) noexcept = default;

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
    run* last_ = nullptr;                // the run inserted last (map nodes do not move)
    std::uintptr_t last_first_ = 0;      // ... and its first address
};

} // namespace tabella::detail
