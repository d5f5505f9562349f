// Run-length identity map.
#include "identity_map.hpp"

namespace tabella::detail {

std::optional<std::uint32_t> identity_map::find(key_view key) const {
    if (key.bytes.empty()) return find_run(key.integer);
    const auto it = hashed_.find(key.bytes);
    if (it == hashed_.end()) return std::nullopt;
    return it->second;
}

void identity_map::insert(key_view key, std::uint32_t entry) {
    if (key.bytes.empty()) return insert_run(key.integer, entry);
    hashed_.insert_or_assign(std::string(key.bytes), entry);
}

void identity_map::erase(key_view key) {
    if (key.bytes.empty()) return erase_run(key.integer);
    const auto it = hashed_.find(key.bytes);
    if (it != hashed_.end()) hashed_.erase(it);
}

std::optional<std::uint32_t> identity_map::find_run(std::int64_t key) const {
    if (runs_.empty()) return std::nullopt;
    // Rows read in key order ask for keys at or past the last run: no search.
    if (const auto& [first, last] = *runs_.rbegin(); key >= first) {
        const auto offset = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(first);
        if (offset >= last.length) return std::nullopt;
        return last.first_entry + static_cast<std::uint32_t>(offset);
    }
    auto it = runs_.upper_bound(key);
    if (it == runs_.begin()) return std::nullopt;
    --it;
    const auto offset = static_cast<std::uint64_t>(key - it->first);
    if (offset >= it->second.length) return std::nullopt;
    return it->second.first_entry + static_cast<std::uint32_t>(offset);
}

void identity_map::insert_run(std::int64_t key, std::uint32_t entry) {
    // Rows loaded in key order continue the last run: past every key tracked, so that key
    // cannot be mapped already.
    if (!runs_.empty()) {
        auto& [first, last] = *runs_.rbegin();
        if (key > first &&
            static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(first) == last.length &&
            entry == last.first_entry + last.length && last.length < UINT32_MAX) {
            ++last.length;
            return;
        }
    }
    erase_run(key); // a key mapped already (a rollback restoring it) must not overlap its run
    auto next = runs_.upper_bound(key);
    if (next != runs_.begin()) {
        auto prev = std::prev(next);
        const run& r = prev->second;
        if (key - prev->first == r.length && entry == r.first_entry + r.length &&
            (next == runs_.end() || next->first != key)) {
            ++prev->second.length;
            return;
        }
    }
    runs_.insert_or_assign(key, run{entry, 1});
}

void identity_map::erase_run(std::int64_t key) {
    auto it = runs_.upper_bound(key);
    if (it == runs_.begin()) return;
    --it;
    const std::int64_t first = it->first;
    const run r = it->second;
    const auto offset = static_cast<std::uint32_t>(key - first);
    if (static_cast<std::uint64_t>(key - first) >= r.length) return;
    runs_.erase(it);
    if (offset > 0) runs_.emplace(first, run{r.first_entry, offset});
    if (offset + 1 < r.length)
        runs_.emplace(key + 1, run{r.first_entry + offset + 1, r.length - offset - 1});
}

} // namespace tabella::detail
