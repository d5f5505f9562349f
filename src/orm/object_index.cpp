// Run-length index of object addresses.
#include "object_index.hpp"

#include <algorithm>

namespace tabella::detail {

void object_index::append(void* first, std::size_t count, std::size_t stride) {
    if (count == 0) return;
    const std::size_t entry = size_;
    size_ += count;
    auto* bytes = static_cast<char*>(first);
    // Objects added one by one usually sit right after the ones added before them (the
    // store's chunks): extend the run appended last, which its address already finds.
    run& tail = runs_.back();
    if (tail.stride == stride && tail.first + tail.count * stride == bytes) {
        tail.count += count;
        return;
    }
    runs_.push_back({entry, count, stride, bytes});
    by_address_.insert_or_assign(reinterpret_cast<std::uintptr_t>(first), runs_.size() - 1);
}

const object_index::run& object_index::run_of(std::size_t entry) const noexcept {
    const auto it =
        std::upper_bound(runs_.begin(), runs_.end(), entry,
                         [](std::size_t e, const run& r) noexcept { return e < r.first_entry; });
    last_run_ = static_cast<std::size_t>(it - runs_.begin()) - 1;
    return runs_[last_run_];
}

std::optional<std::uint32_t> object_index::find(const void* obj) const {
    const auto addr = reinterpret_cast<std::uintptr_t>(obj);
    auto it = by_address_.upper_bound(addr);
    if (it == by_address_.begin()) return std::nullopt;
    --it;
    const run& r = runs_[it->second];
    const std::uintptr_t offset = addr - it->first;
    if (offset % r.stride != 0 || offset / r.stride >= r.count) return std::nullopt;
    return static_cast<std::uint32_t>(r.first_entry + offset / r.stride);
}

} // namespace tabella::detail
