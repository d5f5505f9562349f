// Run-length index of object addresses.
#include "object_index.hpp"

namespace tabella::detail {

void object_index::insert(const void* first, std::size_t count, std::size_t stride,
                          std::uint32_t entry) {
    if (count == 0) return;
    const auto addr = reinterpret_cast<std::uintptr_t>(first);
    // Objects added one by one usually sit right after the ones added before them (the
    // store's chunks): extend the run inserted last.
    if (last_ && last_->stride == stride && last_first_ + last_->count * stride == addr &&
        last_->first_entry + last_->count == entry) {
        last_->count += count;
        return;
    }
    last_ = &runs_.insert_or_assign(addr, run{count, stride, entry}).first->second;
    last_first_ = addr;
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
