// Returned rows matched to sent rows by their values (see returned_rows.hpp): a hash of
// each row's values finds the candidates, same_stored_value decides.
#include "tabella/detail/returned_rows.hpp"

#include "tabella/detail/hash_mix.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace tabella::detail {
namespace {

bool has_bytes(value_kind k) noexcept {
    return k == value_kind::text || k == value_kind::blob || k == value_kind::uuid;
}

// A hash equal for values same_stored_value calls equal: numbers by their integer value
// where they have one, bytes by their bytes.
std::uint64_t value_hash(const param_ref& p) noexcept {
    if (p.kind == value_kind::null) return 1;
    if (has_bytes(p.kind))
        return std::hash<std::string_view>{}({static_cast<const char*>(p.data), p.size});
    if (p.kind == value_kind::real) {
        const double r = p.real;
        if (std::trunc(r) == r && std::fabs(r) < 9.2e18)
            return mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(r)));
        return mix(std::bit_cast<std::uint64_t>(r) ^ 0x5555);
    }
    return mix(static_cast<std::uint64_t>(p.integer));
}

std::uint64_t row_hash(const param_ref* row, std::size_t width) noexcept {
    std::uint64_t h = 0;
    for (std::size_t c = 0; c < width; ++c) h = mix(h ^ value_hash(row[c]));
    return h;
}

bool same_row(const param_ref* sent, const param_ref* got, std::size_t width) noexcept {
    for (std::size_t c = 0; c < width; ++c)
        if (!same_stored_value(sent[c], got[c])) return false;
    return true;
}

} // namespace

bool same_stored_value(const param_ref& sent, const param_ref& got) noexcept {
    const auto numeric = [](value_kind k) {
        return k == value_kind::integer || k == value_kind::boolean || k == value_kind::timestamp;
    };
    if (sent.kind == value_kind::null || got.kind == value_kind::null) return sent.kind == got.kind;
    if (sent.kind == value_kind::date || got.kind == value_kind::date)
        return sent.kind == got.kind && sent.integer == got.integer;
    if (numeric(sent.kind) && numeric(got.kind)) return sent.integer == got.integer;
    if (numeric(sent.kind) && got.kind == value_kind::real)
        return static_cast<double>(sent.integer) == got.real;
    if (sent.kind == value_kind::real && got.kind == value_kind::real) return sent.real == got.real;
    if (has_bytes(sent.kind) && has_bytes(got.kind))
        return sent.size == got.size &&
               (sent.size == 0 || std::memcmp(sent.data, got.data, sent.size) == 0);
    return false;
}

std::optional<std::vector<std::size_t>> match_returned_rows(std::span<const param_ref> sent,
                                                            std::size_t width,
                                                            const row_buffer& returned,
                                                            std::size_t offset) {
    const std::size_t rows = returned.row_count();
    std::vector<std::size_t> out(rows);
    if (width == 0) {
        for (std::size_t r = 0; r < rows; ++r) out[r] = r;
        return out;
    }
    const std::size_t stride = returned.columns.size();
    const std::size_t sent_rows = sent.size() / width;
    if (stride < offset + width || rows > sent_rows) return std::nullopt;
    std::vector<bool> taken(sent_rows, false);
    std::unordered_multimap<std::uint64_t, std::size_t> by_hash; // built at the first miss
    std::vector<param_ref> got(width); // a returned row's matched columns, as parameters
    for (std::size_t r = 0; r < rows; ++r) {
        const value* cells = &returned.cells[r * stride + offset];
        for (std::size_t c = 0; c < width; ++c) got[c] = cells[c].ref();
        if (!taken[r] && same_row(&sent[r * width], got.data(), width)) {
            out[r] = r;
            taken[r] = true;
            continue;
        }
        if (by_hash.empty())
            for (std::size_t s = 0; s < sent_rows; ++s)
                if (!taken[s]) by_hash.emplace(row_hash(&sent[s * width], width), s);
        auto [it, end] = by_hash.equal_range(row_hash(got.data(), width));
        for (; it != end; ++it)
            if (!taken[it->second] && same_row(&sent[it->second * width], got.data(), width)) break;
        if (it == end) return std::nullopt;
        out[r] = it->second;
        taken[it->second] = true;
        by_hash.erase(it);
    }
    return out;
}

bool keyed_rows_tell_apart(std::span<const param_ref> full, std::size_t full_width,
                           std::span<const param_ref> keyed, std::size_t keyed_width) {
    if (keyed_width == 0 || full_width == 0) return keyed_width == full_width;
    const std::size_t rows = keyed.size() / keyed_width;
    std::unordered_multimap<std::uint64_t, std::size_t> seen;
    seen.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const param_ref* row = &keyed[r * keyed_width];
        const std::uint64_t h = row_hash(row, keyed_width);
        auto [it, end] = seen.equal_range(h);
        for (; it != end; ++it)
            if (same_row(&keyed[it->second * keyed_width], row, keyed_width) &&
                !same_row(&full[it->second * full_width], &full[r * full_width], full_width))
                return false;
        seen.emplace(h, r);
    }
    return true;
}

} // namespace tabella::detail
