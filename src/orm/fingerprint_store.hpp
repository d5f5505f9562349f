// entry -> the fingerprints of its tracked columns (snapshot_width() words, contiguous), in
// blocks that never move: growing copies nothing and needs no contiguous gigabyte, and each
// full block is one 2 MiB page. The first block starts small and doubles up to full size,
// so that a session of a few objects does not take a large page.
#pragma once

#include "tabella/detail/pages.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tabella::detail {

class fingerprint_store {
  public:
    explicit fingerprint_store(std::size_t width);
    fingerprint_store(const fingerprint_store&) = delete;
    fingerprint_store& operator=(const fingerprint_store&) = delete;
    ~fingerprint_store();

    /// The fingerprints of `entry`, made room for (zeroed) when new.
    [[nodiscard]] std::uint64_t* row(std::size_t entry) {
        const std::size_t block = entry / per_block_;
        if (block >= blocks_.size() || (block == 0 && entry >= first_capacity_)) make_room(entry);
        return blocks_[block] + (entry % per_block_) * width_;
    }
    /// The fingerprints of `entry`: zeros where row() never made room (a mapping has at
    /// most 64 columns).
    [[nodiscard]] const std::uint64_t* row(std::size_t entry) const noexcept {
        const std::size_t block = entry / per_block_;
        if (block >= blocks_.size() || (block == 0 && entry >= first_capacity_)) return none;
        return blocks_[block] + (entry % per_block_) * width_;
    }

  private:
    void make_room(std::size_t entry);

    static constexpr std::uint64_t none[64] = {};

    std::size_t width_;
    std::size_t per_block_ = 1;      ///< entries of a full block (2 MiB)
    std::size_t first_capacity_ = 0; ///< entries the first block holds, up to per_block_
    std::vector<std::uint64_t*> blocks_;
};

} // namespace tabella::detail
