// The pieces of the load path that need no database: the text fingerprint, the identity
// map's runs, views of text values.
#include "identity_map.hpp"

#include <tabella/detail/hash_mix.hpp>
#include <tabella/error.hpp>
#include <tabella/value.hpp>

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

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

TEST(load_path, text_of_one_length_never_shares_a_fingerprint) {
    for (const std::size_t length : {1u, 7u, 8u, 9u, 16u, 23u}) {
        std::unordered_set<std::uint64_t> seen;
        const auto strings = strings_of(length, 50'000);
        const std::unordered_set<std::string> distinct(strings.begin(), strings.end());
        for (const auto& s : distinct) seen.insert(hash_bytes(s.data(), s.size()));
        EXPECT_EQ(seen.size(), distinct.size()) << "length " << length;
        EXPECT_GE(distinct.size(), length == 1 ? 8u : 50'000u); // 8 letters; 8^7 > 50,000
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
