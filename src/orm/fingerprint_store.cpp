// Blocks of fingerprints.
#include "fingerprint_store.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace tabella::detail {

namespace {

constexpr std::size_t full_block_bytes = std::size_t{2} << 20;

// Zeroed room for `words` fingerprints: in large pages from 1 MiB, as the session's other
// per-entry arrays.
std::uint64_t* allocate_block(std::size_t words) {
    std::uint64_t* p = page_allocator<std::uint64_t>().allocate(words);
    std::fill_n(p, words, std::uint64_t{0});
    return p;
}

void release_block(std::uint64_t* p, std::size_t words) noexcept {
    page_allocator<std::uint64_t>().deallocate(p, words);
}

} // namespace

fingerprint_store::fingerprint_store(std::size_t width) : width_(std::max<std::size_t>(width, 1)) {
    per_block_ = std::max<std::size_t>(full_block_bytes / (width_ * sizeof(std::uint64_t)), 1);
}

fingerprint_store::~fingerprint_store() {
    for (std::size_t b = 0; b < blocks_.size(); ++b)
        release_block(blocks_[b], (b == 0 ? first_capacity_ : per_block_) * width_);
}

void fingerprint_store::make_room(std::size_t entry) {
    if (blocks_.empty() || first_capacity_ < per_block_) { // the first block grows
        const std::size_t want = std::min(
            per_block_, std::bit_ceil(std::max<std::size_t>({entry + 1, 64, 2 * first_capacity_})));
        std::uint64_t* bigger = allocate_block(want * width_);
        if (!blocks_.empty()) {
            std::memcpy(bigger, blocks_[0], first_capacity_ * width_ * sizeof(std::uint64_t));
            release_block(blocks_[0], first_capacity_ * width_);
            blocks_[0] = bigger;
        } else {
            blocks_.push_back(bigger);
        }
        first_capacity_ = want;
    }
    while (blocks_.size() <= entry / per_block_) {
        blocks_.reserve(blocks_.size() + 1);
        blocks_.push_back(allocate_block(per_block_ * width_));
    }
}

} // namespace tabella::detail
