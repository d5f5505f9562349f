// Returned rows matched to the rows sent by their values, whatever order they come in
// (the matching behind Core's insert().returning() and the ORM's RETURNING flush).
#include "tabella/detail/returned_rows.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tabella::detail {
namespace {

// Sent rows (name, age) and a RETURNING buffer (id, name, age) holding them in `order`.
struct fixture {
    std::vector<std::string> names{"a", "b", "c", "d"};
    std::vector<value> texts{value("a"), value("b"), value("c"), value("d")}; // sent views them
    std::vector<param_ref> sent;
    row_buffer returned;

    fixture() {
        for (std::size_t i = 0; i < names.size(); ++i) {
            sent.push_back(texts[i].ref());
            sent.push_back(param_ref::of_integer(static_cast<std::int64_t>(i)));
        }
        returned.columns = {"id", "name", "age"};
    }
    void give_back(const std::vector<std::size_t>& order) {
        for (const auto i : order) {
            returned.cells.emplace_back(static_cast<std::int64_t>(100 + i));
            returned.cells.emplace_back(names[i]);
            returned.cells.emplace_back(static_cast<std::int64_t>(i));
        }
    }
};

TEST(returned_rows, rows_in_the_order_sent_match_at_their_positions) {
    fixture f;
    f.give_back({0, 1, 2, 3});
    EXPECT_EQ(match_returned_rows(f.sent, 2, f.returned, 1),
              (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(returned_rows, rows_in_another_order_match_the_rows_whose_values_they_hold) {
    fixture f;
    f.give_back({3, 1, 0, 2});
    EXPECT_EQ(match_returned_rows(f.sent, 2, f.returned, 1),
              (std::vector<std::size_t>{3, 1, 0, 2}));
}

TEST(returned_rows, fewer_rows_match_a_subset_and_a_stranger_matches_nothing) {
    fixture f;
    f.give_back({2, 0});
    EXPECT_EQ(match_returned_rows(f.sent, 2, f.returned, 1), (std::vector<std::size_t>{2, 0}));
    f.returned.cells.emplace_back(std::int64_t{9});
    f.returned.cells.emplace_back(std::string("changed by a trigger"));
    f.returned.cells.emplace_back(std::int64_t{1});
    EXPECT_EQ(match_returned_rows(f.sent, 2, f.returned, 1), std::nullopt);
}

TEST(returned_rows, a_sent_row_is_taken_once) {
    fixture f;
    f.give_back({1, 1});
    EXPECT_EQ(match_returned_rows(f.sent, 2, f.returned, 1), std::nullopt);
}

TEST(returned_rows, numbers_match_as_the_database_stores_them) {
    EXPECT_TRUE(same_stored_value(param_ref::of_integer(3), value(3.0).ref()));
    EXPECT_TRUE(same_stored_value(value(true).ref(), param_ref::of_integer(1)));
    EXPECT_FALSE(same_stored_value(param_ref::of_integer(3), value(3.5).ref()));
    const value three("3");
    EXPECT_FALSE(same_stored_value(three.ref(), param_ref::of_integer(3)));
    EXPECT_TRUE(same_stored_value(value(nullptr).ref(), value(nullptr).ref()));
}

TEST(returned_rows, keyed_columns_must_tell_differing_rows_apart) {
    const std::vector<value> text{value("x"), value("x"), value("y")};
    // (key, other): rows 0 and 1 share key 1 but differ in `other`.
    std::vector<param_ref> full{param_ref::of_integer(1), text[0].ref(),
                                param_ref::of_integer(1), text[2].ref(),
                                param_ref::of_integer(2), text[2].ref()};
    const std::vector<param_ref> keyed{full[0], full[2], full[4]};
    EXPECT_FALSE(keyed_rows_tell_apart(full, 2, keyed, 1));
    full[3] = text[1].ref(); // now rows 0 and 1 are equal: interchangeable
    EXPECT_TRUE(keyed_rows_tell_apart(full, 2, keyed, 1));
}

} // namespace
} // namespace tabella::detail
