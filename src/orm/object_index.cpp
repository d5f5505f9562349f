// Run-length index of object addresses.
#include "object_index.hpp"

#include <algorithm>

namespace tabella::detail {

void object_index::append(void* first, std::size_t count, std::size_t stride) {
    if (count == 0) return;
    const auto entry = static_cast<std::uint32_t>(size_);
    size_ += count;
    auto* bytes = static_cast<char*>(first);
    // Objects added one by one usually sit right after the ones added before them (the
    // store's chunks): extend the runs appended last.
    entry_run& tail = by_entry_.back();
    if (tail.stride == stride && tail.first + tail.count * stride == bytes)
        tail.count += count;
    else
        by_entry_.push_back({entry, count, stride, bytes});
    const auto addr = reinterpret_cast<std::uintptr_t>(first);
    if (last_ && last_->stride == stride && last_first_ + last_->count * stride == addr &&
        last_->first_entry + last_->count == entry) {
        last_->count += count;
        return;
    }
    last_ = &runs_.insert_or_assign(addr, run{count, stride, entry}).first->second;
    last_first_ = addr;
}

const object_index::entry_run& object_index::run_of(std::size_t entry) const noexcept {
    const auto it = std::upper_bound(
        by_entry_.begin(), by_entry_.end(), entry,
        [](std::size_t e, const entry_run& r) noexcept { return e < r.first_entry; });
    last_entry_run_ = static_cast<std::size_t>(it - by_entry_.begin()) - 1;
    return by_entry_[last_entry_run_];
}

std::optional<std::uint32_t> object_index::find(const void* obj) const {
    const auto addr = reinterpret_cast<std::uintptr_t>(obj);
    auto it = runs_.upper_bound(addr);
    if (it == runs_.begin()) return std::nullopt;
    --it;
    const std::uintptr_t offset = addr - it->first;
    const run& r = it->second;
    if (offset % r.stride != 0 || offset / r.stride >= r.count) return std::nullopt;
    return r.first_entry + static_cast<std::uint32_t>(offset / r.stride);
}

} // namespace tabella::detail
