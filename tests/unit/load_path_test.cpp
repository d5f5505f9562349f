// The pieces of the load path that need no database: the text fingerprint, the identity
// map's runs, the entry <-> object runs, paged row keys, views of text values.
#include "fingerprint_store.hpp"
#include "identity_map.hpp"
#include "object_index.hpp"
#include "row_key.hpp"

#include <tabella/detail/hash_mix.hpp>
#include <tabella/error.hpp>
#include <tabella/value.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tabella::detail {
namespace {

// Strings of `length` bytes over the alphabet a-h, `limit` of them (repeating once all
// 8^length are made).
std::vector<std::string> strings_of(std::size_t length, std::size_t limit) {
    std::vector<std::string> out;
    std::string s(length, 'a');
    for (std::size_t n = 0; n < limit; ++n) {
        out.push_back(s);
        for (std::size_t i = 0; i < length && ++s[i] > 'h'; ++i) s[i] = 'a'; // odometer
    }
    return out;
}

TEST(load_path, texts_of_one_length_do_not_share_fingerprints) {
    // Every tail length (1-3 bytes, 4-7 bytes, whole words) and texts of several words.
    for (const std::size_t length : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 12u, 16u, 23u}) {
        std::unordered_set<std::uint64_t> seen;
        const auto strings = strings_of(length, 50'000);
        const std::unordered_set<std::string> distinct(strings.begin(), strings.end());
        for (const auto& s : distinct) seen.insert(hash_bytes(s.data(), s.size()));
        EXPECT_EQ(seen.size(), distinct.size()) << "length " << length;
        std::size_t all = 1; // 8^length, the texts there are, or 50,000
        for (std::size_t i = 0; i < length && all < 50'000; ++i) all *= 8;
        EXPECT_EQ(distinct.size(), std::min<std::size_t>(all, 50'000));
    }
}

TEST(load_path, text_of_other_lengths_fingerprints_apart) {
    // "a" and "a\0": the zero padding of the last word must not make them alike.
    const std::string with_nul("a\0", 2);
    EXPECT_NE(hash_bytes("a", 1), hash_bytes(with_nul.data(), 2));
    EXPECT_NE(hash_bytes("", 0), hash_bytes(with_nul.data() + 1, 1));
    EXPECT_NE(hash_bytes("abcdefgh", 8), hash_bytes("abcdefgh\0", 9));
}

TEST(load_path, identity_map_extends_the_last_run_and_still_finds_every_key) {
    identity_map ids;
    for (std::uint32_t e = 0; e < 1000; ++e) ids.insert({1000 + e, {}}, e); // in key order
    ids.insert({5, {}}, 1000);                                              // below every run
    ids.insert({2000, {}}, 1001); // continues the keys, not the entries: a new run
    ids.insert({2001, {}}, 1002); // continues that run
    ids.insert({1500, {}}, 1003); // a key mapped again moves to its new entry
    for (std::uint32_t e = 0; e < 1000; ++e) {
        if (e == 500) continue;
        ASSERT_EQ(ids.find({1000 + e, {}}), e) << e;
    }
    EXPECT_EQ(ids.find({1500, {}}), 1003u);
    EXPECT_EQ(ids.find({5, {}}), 1000u);
    EXPECT_EQ(ids.find({2000, {}}), 1001u);
    EXPECT_EQ(ids.find({2001, {}}), 1002u);
    EXPECT_EQ(ids.find({2002, {}}), std::nullopt);
    EXPECT_EQ(ids.find({999, {}}), std::nullopt);
    EXPECT_EQ(ids.max_key(), 2001);
    ids.erase({1999, {}});
    EXPECT_EQ(ids.find({1999, {}}), std::nullopt);
    EXPECT_EQ(ids.find({1998, {}}), 998u);
    // The extremes of the key range: no run is extended across them.
    ids.insert({INT64_MAX, {}}, 2000);
    ids.insert({INT64_MIN, {}}, 2001);
    EXPECT_EQ(ids.find({INT64_MAX, {}}), 2000u);
    EXPECT_EQ(ids.find({INT64_MIN, {}}), 2001u);
    EXPECT_EQ(ids.find({INT64_MIN + 1, {}}), std::nullopt);
}

TEST(load_path, object_index_finds_entries_and_objects_across_runs) {
    std::vector<std::uint64_t> chunk(100);
    std::vector<std::uint64_t> other(10);
    object_index index;
    for (std::size_t i = 0; i < 50; ++i) index.append(&chunk[i], 1, sizeof(chunk[0])); // one run
    index.append(other.data(), other.size(), sizeof(other[0])); // elsewhere: a new run
    index.append(&chunk[50], 50, sizeof(chunk[0]));             // not after `other`: new run
    index.append(&chunk[0], 2, 2 * sizeof(chunk[0])); // the same address again, other stride
    ASSERT_EQ(index.size(), 112u);
    // Entries in both directions, looked up out of order (the remembered run moves).
    for (const std::size_t e : {0u, 49u, 50u, 59u, 60u, 109u, 110u, 111u, 3u, 105u}) {
        void* expected = e < 50    ? static_cast<void*>(&chunk[e])
                         : e < 60  ? static_cast<void*>(&other[e - 50])
                         : e < 110 ? static_cast<void*>(&chunk[e - 10])
                                   : static_cast<void*>(&chunk[2 * (e - 110)]);
        EXPECT_EQ(index[e], expected) << e;
    }
    EXPECT_EQ(index.find(&chunk[60]), 70u);
    EXPECT_EQ(index.find(&other[9]), 59u);
    EXPECT_EQ(index.find(&chunk[99]), 109u);
    EXPECT_EQ(index.find(&chunk[0]), 110u); // the newest entry of a reused address
    EXPECT_EQ(index.find(&chunk[2]), 111u);
    EXPECT_EQ(index.find(reinterpret_cast<char*>(&chunk[3]) + 1), std::nullopt); // inside
}

TEST(load_path, integer_keys_are_paged_as_runs_until_one_breaks) {
    integer_column keys;
    keys.resize(10'000);
    for (std::size_t e = 0; e < 9'000; ++e) keys.set(e, 1'000 + static_cast<std::int64_t>(e));
    keys.set(100, 1'100);      // the value it has: the run stays
    EXPECT_EQ(keys[9'500], 0); // never set
    keys.set(5'000, -7);       // breaks the second page's run
    keys.set(9'999, 42);       // after the end of a run: written out, the rest still 0
    for (std::size_t e = 0; e < 9'000; ++e)
        ASSERT_EQ(keys[e], e == 5'000 ? -7 : 1'000 + static_cast<std::int64_t>(e)) << e;
    EXPECT_EQ(keys[9'000], 0);
    EXPECT_EQ(keys[9'998], 0);
    EXPECT_EQ(keys[9'999], 42);
    keys.set(4'000, 0); // back to 0 inside a run
    EXPECT_EQ(keys[4'000], 0);
    EXPECT_EQ(keys[4'001], 5'001);
}

TEST(load_path, fingerprints_keep_their_values_as_the_store_grows) {
    for (const std::size_t width : {0u, 1u, 4u, 5u, 63u}) {
        fingerprint_store store(width);
        const std::size_t rows = 200'000; // the first block grows, then full blocks follow
        EXPECT_EQ(std::as_const(store).row(10)[0], 0u); // no room made yet: zeros
        for (std::size_t e = 0; e < rows; ++e)
            for (std::size_t c = 0; c < width; ++c) store.row(e)[c] = e * 64 + c + 1;
        for (std::size_t e = 0; e < rows; e += 997)
            for (std::size_t c = 0; c < width; ++c)
                ASSERT_EQ(std::as_const(store).row(e)[c], e * 64 + c + 1) << width << " " << e;
        EXPECT_EQ(std::as_const(store).row(rows * 10)[0], 0u);
        std::uint64_t* far = store.row(rows * 3); // a jump past several blocks: zeroed room
        for (std::size_t c = 0; c < width; ++c) EXPECT_EQ(far[c], 0u);
        EXPECT_EQ(std::as_const(store).row(rows - 1)[0], width ? (rows - 1) * 64 + 1 : 0u);
    }
}

TEST(load_path, a_text_value_is_viewed_without_a_copy) {
    const value v(std::string("Chrismansyah"));
    const auto view = v.as<std::string_view>();
    EXPECT_EQ(view, "Chrismansyah");
    EXPECT_EQ(view.data(), v.ref().data); // the value's own bytes
    EXPECT_EQ(value().as<std::optional<std::string_view>>(), std::nullopt);
    EXPECT_THROW((void)value(42).as<std::string_view>(), conversion_error);
}

} // namespace
} // namespace tabella::detail
