// The fingerprint of one bound value: 64 bits that the session keeps per tracked column of
// a persistent object, to notice which columns changed. Inline: a load takes one per column
// of every row.
#pragma once

#include "tabella/detail/hash_mix.hpp"
#include "tabella/value.hpp"

#include <bit>
#include <cstdint>

namespace tabella::detail {

inline std::uint64_t fingerprint(const param_ref& p) noexcept {
    const auto tag = static_cast<std::uint64_t>(p.kind) << 56;
    switch (p.kind) {
    case value_kind::null:
        return mix(tag);
    case value_kind::integer:
    case value_kind::boolean:
    case value_kind::timestamp:
    case value_kind::date:
        return mix(static_cast<std::uint64_t>(p.integer) + tag) ^ tag;
    case value_kind::real:
        return mix(std::bit_cast<std::uint64_t>(p.real) + tag) ^ tag;
    case value_kind::text:
    case value_kind::blob:
    case value_kind::uuid:
        return hash_bytes(p.data, p.size) ^ tag;
    }
    return 0;
}

} // namespace tabella::detail
