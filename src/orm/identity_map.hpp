// Primary key -> object entry. Integer keys are stored as runs of consecutive keys: a
// flush that inserts a million objects with consecutive keys adds one run per statement,
// not a million nodes. Other keys (encoded bytes) go in a hash table.
#pragma once

#include "row_key.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tabella::detail {

class identity_map {
  public:
    /// The entry of `key`, if tracked.
    [[nodiscard]] std::optional<std::uint32_t> find(key_view key) const;
    /// Adds key -> entry; extends the previous run when both continue it.
    void insert(key_view key, std::uint32_t entry);
    /// Removes `key` (splitting its run).
    void erase(key_view key);
    void clear() noexcept {
        runs_.clear();
        hashed_.clear();
    }
    /// The largest integer key tracked.
    [[nodiscard]] std::optional<std::int64_t> max_key() const noexcept {
        if (runs_.empty()) return std::nullopt;
        const auto& last = *runs_.rbegin();
        return last.first + static_cast<std::int64_t>(last.second.length) - 1;
    }

  private:
    [[nodiscard]] std::optional<std::uint32_t> find_run(std::int64_t key) const;
    void insert_run(std::int64_t key, std::uint32_t entry);
    void erase_run(std::int64_t key);

    struct bytes_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::uint32_t, bytes_hash, std::equal_to<>> hashed_;
    struct run {
        std::uint32_t first_entry;
        std::uint32_t length;
    };
    std::map<std::int64_t, run> runs_; // first key -> run
};

} // namespace tabella::detail
