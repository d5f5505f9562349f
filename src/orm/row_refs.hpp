// Room for the bound views of one row's columns on the stack, initialized only as far as
// the row is wide: `param_ref refs[64]` would set all 64 (2.5 KiB) for every object.
#pragma once

#include "tabella/value.hpp"

#include <cstddef>
#include <memory>
#include <new>

namespace tabella::detail {

class row_refs {
  public:
    static constexpr std::size_t capacity = 64; ///< the widest row a mapping may have

    /// Room for `width` (at most `capacity`) views, each of them NULL.
    explicit row_refs(std::size_t width) noexcept {
        std::uninitialized_default_construct_n(data(), width);
    }
    row_refs(const row_refs&) = delete;
    row_refs& operator=(const row_refs&) = delete;

    [[nodiscard]] param_ref* data() noexcept {
        return std::launder(reinterpret_cast<param_ref*>(storage_));
    }
    [[nodiscard]] param_ref& operator[](std::size_t i) noexcept { return data()[i]; }

  private:
    alignas(param_ref) std::byte storage_[capacity * sizeof(param_ref)];
};

} // namespace tabella::detail
