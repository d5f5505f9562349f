// Primary key -> object entry, stored as runs of consecutive keys: a flush that inserts a
// million objects with consecutive keys adds one run per statement, not a million nodes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace tabella::detail {

class identity_map {
  public:
    /// The entry of `key`, if tracked.
    [[nodiscard]] std::optional<std::uint32_t> find(std::int64_t key) const;
    /// Adds key -> entry; extends the previous run when both continue it.
    void insert(std::int64_t key, std::uint32_t entry);
    /// Removes `key` (splitting its run).
    void erase(std::int64_t key);
    void clear() noexcept { runs_.clear(); }
    /// The largest key tracked.
    [[nodiscard]] std::optional<std::int64_t> max_key() const noexcept {
        if (runs_.empty()) return std::nullopt;
        const auto& last = *runs_.rbegin();
        return last.first + static_cast<std::int64_t>(last.second.length) - 1;
    }

  private:
    struct run {
        std::uint32_t first_entry;
        std::uint32_t length;
    };
    std::map<std::int64_t, run> runs_; // first key -> run
};

} // namespace tabella::detail
