// The key of a row as the session handles it. A table with one integer key column keeps
// keys as std::int64_t (the fast path: no allocation, run-length identity map); any other
// key (a string, a UUID, several columns) is the canonical byte encoding of its values
// (append_key_part per key column), so one comparison and one hash serve every kind.
#pragma once

#include "tabella/detail/entity_mapping.hpp"
#include "tabella/expression.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tabella::detail {

/// A key: `integer` for integer-keyed tables, else `bytes` (never empty).
struct key_view {
    std::int64_t integer = 0;
    std::string_view bytes;
    friend bool operator==(key_view, key_view) noexcept = default;
};

/// A key that owns its bytes.
struct owned_key {
    std::int64_t integer = 0;
    std::string bytes;
    owned_key() = default;
    explicit owned_key(key_view k) : integer(k.integer), bytes(k.bytes) {}
    [[nodiscard]] key_view view() const noexcept { return {integer, bytes}; }
};

struct key_hash {
    using is_transparent = void;
    std::size_t operator()(key_view k) const noexcept {
        return std::hash<std::int64_t>{}(k.integer) ^ std::hash<std::string_view>{}(k.bytes);
    }
    std::size_t operator()(const owned_key& k) const noexcept { return (*this)(k.view()); }
};
struct key_equal {
    using is_transparent = void;
    static key_view of(key_view k) noexcept { return k; }
    static key_view of(const owned_key& k) noexcept { return k.view(); }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
        return of(a) == of(b);
    }
};
/// key -> V, looked up by key_view without copying.
template <class V>
using key_map = std::unordered_map<owned_key, V, key_hash, key_equal>;

/// The key of `obj`, or nullopt while it has none (an unset generated key, a ref to a
/// parent without a key yet). General keys are encoded into `buffer`, which the view
/// points into.
[[nodiscard]] std::optional<key_view> object_key(const entity_mapping& m, const void* obj,
                                                 std::string& buffer);
/// The key of the row `cells` (member order); general keys are encoded into `buffer`.
[[nodiscard]] key_view cells_key(const entity_mapping& m, const value* cells, std::string& buffer);
/// The key of one bound value per key column (session::get), encoded into `buffer`.
[[nodiscard]] key_view params_key(const entity_mapping& m, std::span<const param_ref> parts,
                                  std::string& buffer);
/// Writes one parameter per key column, viewing `k` (which must outlive them).
void bind_key(const entity_mapping& m, key_view k, param_ref* out);
/// "42", "'FR'", "(order_id=1, line_no=2)": a key for messages.
[[nodiscard]] std::string describe_key(const entity_mapping& m, key_view k);
/// key_columns = key, as a WHERE condition.
[[nodiscard]] condition key_equals(const entity_mapping& m, key_view k);
/// The rows with any of `keys`: `k IN (...)`, or ORed conditions for a composite key.
[[nodiscard]] condition key_in(const entity_mapping& m, std::span<const key_view> keys);
/// The rows of `table` whose `columns` (one per key column of `owner`) hold one of `keys`,
/// keys of `owner`: a foreign key's columns matched against parents' keys.
[[nodiscard]] condition columns_in(const entity_mapping& owner, std::span<const key_view> keys,
                                   std::string_view table,
                                   std::span<const std::string_view> columns);
/// Clears a key the database or the session generated (rollback, failed flush).
void clear_generated_key(const entity_mapping& m, void* obj);

/// entry -> integer, 0 until set, stored a page of entries at a time. A page whose keys
/// so far run up by one from its first entry (rows loaded in key order, objects inserted
/// with consecutive generated keys) is kept as its first key and a count: a million such
/// keys take a few kilobytes. The first key that breaks the run writes the page out.
class integer_column {
  public:
    void resize(std::size_t n) { pages_.resize((n + page_size - 1) / page_size); }
    [[nodiscard]] std::int64_t operator[](std::size_t e) const noexcept {
        const page& p = pages_[e / page_size];
        const std::size_t at = e % page_size;
        if (p.values) return p.values[at];
        return at < p.count ? p.first + static_cast<std::int64_t>(at) : 0;
    }
    void set(std::size_t e, std::int64_t v);

  private:
    static constexpr std::size_t page_size = 4096;
    struct page {
        std::int64_t first = 0; ///< the value of the page's first entry, while a run
        std::size_t count = 0;  ///< entries of the run (the rest hold 0)
        std::unique_ptr<std::int64_t[]> values; ///< every entry, once the run broke
    };
    std::vector<page> pages_;
};

/// entry -> the key of the row the entry's object stands for.
class row_keys {
  public:
    explicit row_keys(bool integer) : integer_(integer) {}
    void resize(std::size_t n) {
        if (integer_)
            ints_.resize(n);
        else
            wide_.resize(n);
    }
    [[nodiscard]] key_view operator[](std::uint32_t e) const noexcept {
        return integer_ ? key_view{ints_[e], {}} : key_view{0, wide_[e]};
    }
    void set(std::uint32_t e, key_view k) {
        if (integer_)
            ints_.set(e, k.integer);
        else
            wide_[e].assign(k.bytes.data(), k.bytes.size());
    }

  private:
    bool integer_;
    integer_column ints_;
    std::vector<std::string> wide_;
};

} // namespace tabella::detail
