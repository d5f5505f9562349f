// What a load leaves behind on every backend: objects whose change-tracking snapshot matches
// their members, whatever kind each cell arrives in. The session fingerprints a cell as it
// is read when the member reads that kind unchanged (int, std::int64_t, double, std::string
// and their optionals), and through the member otherwise, so that a flush after a load sends
// nothing and a change sends exactly its column.
#include "../support/correctness_fixture.hpp"

namespace tabella::testing {
namespace {

/// A member of each kind the load path fingerprints from the cell.
struct reading {
    BOOST_HANA_DEFINE_STRUCT(reading, (std::int64_t, id), (int, whole), (std::int64_t, big),
                             (double, ratio), (std::string, label), (std::optional<double>, spread),
                             (std::optional<std::string>, note));
};

/// The same table read into members that convert its cells: doubles from integer columns.
struct converted_reading {
    BOOST_HANA_DEFINE_STRUCT(converted_reading, (std::int64_t, id), (double, whole), (double, big),
                             (double, ratio), (std::string, label), (std::optional<double>, spread),
                             (std::optional<std::string>, note));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::reading> {
    static constexpr std::string_view name = "load_kinds";
};
template <>
struct tabella::table_traits<tabella::testing::converted_reading> {
    static constexpr std::string_view name = "load_kinds";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_load : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        this->drop_tables(this->eng(), {"load_kinds"});
        create_all<reading>(this->eng());
        session s(this->eng());
        s.add_all(
            std::vector<reading>{{1, 7, 1LL << 40, 0.25, "seven", 1.5, "a note"},
                                 {2, -3, -5, -0.0, "", std::nullopt, std::nullopt},
                                 {3, 0, 0, 1e300, "a label of more than eight bytes", -2.0, ""}});
        s.commit();
        this->echo_lines_.clear();
    }
    void TearDown() override {
        if (this->engine_) this->drop_tables(this->eng(), {"load_kinds"});
        correctness_test<B>::TearDown();
    }
};
TYPED_TEST_SUITE(orm_load, all_backends);

TYPED_TEST(orm_load, loaded_objects_are_clean_and_each_change_updates_its_column_only) {
    session s(this->eng());
    auto rows = s.query<reading>().order_by(&reading::id).all();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]->big, 1LL << 40);
    EXPECT_EQ(rows[2]->label, "a label of more than eight bytes");
    EXPECT_EQ(rows[1]->note, std::nullopt);
    s.flush();
    EXPECT_EQ(this->echoed("UPDATE"), 0u); // nothing changed, nothing sent

    rows[0]->whole = 8;
    rows[1]->spread = 0.5;        // NULL -> a number
    rows[2]->note = std::nullopt; // "" -> NULL
    rows[2]->label.back() = 'S';  // same length, last byte
    s.flush();
    EXPECT_EQ(this->echoed("UPDATE load_kinds SET whole = "), 1u);
    EXPECT_EQ(this->echoed("UPDATE load_kinds SET spread = "), 1u);
    EXPECT_EQ(this->echoed("UPDATE load_kinds SET label = "), 1u);
    EXPECT_EQ(this->echoed("UPDATE"), 3u);
    for (const auto& line : this->echo_lines_) // label and note together, nothing else
        if (line.starts_with("UPDATE load_kinds SET label = ")) {
            const auto set = line.substr(0, line.find(" WHERE "));
            EXPECT_NE(set.find(", note = "), std::string::npos) << line;
            for (const char* other : {"whole", "big", "ratio", "spread"})
                EXPECT_EQ(set.find(other), std::string::npos) << line;
        }
    s.commit();

    session again(this->eng());
    const auto reread = again.query<reading>().order_by(&reading::id).all();
    EXPECT_EQ(reread[0]->whole, 8);
    EXPECT_EQ(reread[1]->spread, 0.5);
    EXPECT_EQ(reread[2]->note, std::nullopt);
    EXPECT_EQ(reread[2]->label, "a label of more than eight byteS");
}

TYPED_TEST(orm_load, members_that_convert_their_cells_are_clean_after_a_load) {
    session s(this->eng());
    auto rows = s.query<converted_reading>().order_by(&converted_reading::id).all();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]->whole, 7.0);
    EXPECT_EQ(rows[0]->big, static_cast<double>(1LL << 40));
    s.flush();
    EXPECT_EQ(this->echoed("UPDATE"), 0u); // an integer cell in a double member is unchanged

    rows[1]->label = "changed";
    s.flush();
    EXPECT_EQ(this->echoed("UPDATE load_kinds SET label = "), 1u); // not whole nor big
    EXPECT_EQ(this->echoed("UPDATE"), 1u);
}

} // namespace
} // namespace tabella::testing
