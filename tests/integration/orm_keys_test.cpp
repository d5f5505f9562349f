// Keys (docs/session.md, "Keys"): UPDATE and DELETE address the row an object was loaded
// from; objects hold exactly the keys their rows hold, whatever the table's key column,
// triggers or history; a plain integer key is the application's, 0 included.
#include "../support/correctness_fixture.hpp"

#include <cctype>

namespace tabella::testing {
namespace {

using models::item;
using models::numbered;
using models::student;

template <class B>
class orm_keys : public correctness_test<B> {};
TYPED_TEST_SUITE(orm_keys, all_backends);

TYPED_TEST(orm_keys, echo_shows_the_statements_that_reserve_keys) {
    // Statements a driver runs on its own (key reservation, catalog checks) are sent like
    // any other: echo shows them, between BEGIN and the INSERT that uses the keys.
    if (!backend_traits<TypeParam>::key_reservation_sql) GTEST_SKIP() << "keys not reserved";
    auto eng = this->make_engine(true);
    drop_all<item>(eng);
    create_all<item>(eng);
    this->echo_lines_.clear();
    session s(eng);
    auto items = s.add_all(std::vector<item>{{std::nullopt, "a"}, {std::nullopt, "b"}});
    s.commit();
    const auto& lines = this->echo_lines_;
    const auto reserve = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.find(backend_traits<TypeParam>::key_reservation_sql) != std::string::npos;
    });
    const auto insert = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.starts_with("INSERT INTO items") || l.starts_with("COPY items");
    });
    ASSERT_NE(reserve, lines.end()) << "no key reservation in echo";
    ASSERT_NE(insert, lines.end());
    EXPECT_LT(reserve, insert);
    EXPECT_TRUE(items[0].id && items[1].id);
    drop_all<item>(eng);
}

TYPED_TEST(orm_keys, delete_addresses_the_row_the_object_was_loaded_from) {
    this->seed_students({101, 102});
    session s(this->eng());
    student* a = s.get<student>(101);
    student* b = s.get<student>(102);
    ASSERT_TRUE(a && b);
    a->id = 102; // b's key
    s.remove(*a);
    s.commit();
    EXPECT_EQ(this->student_rows(), (std::map<std::int64_t, typename TestFixture::student_row>{
                                        {102, this->seeded(102)}}));
    EXPECT_EQ(s.state_of(*a), object_state::detached);
    EXPECT_EQ(s.state_of(*b), object_state::persistent);
    EXPECT_EQ(s.get<student>(102), b);
}

TYPED_TEST(orm_keys, a_changed_key_is_sent_as_an_update_of_the_loaded_row) {
    this->seed_students({101, 102});
    session s(this->eng());
    student* a = s.get<student>(101);
    ASSERT_NE(a, nullptr);
    a->id = 5001; // a free key
    a->name = "moved";
    s.commit();
    auto rows = this->student_rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows.at(5001), (typename TestFixture::student_row{"moved", "last101", 30}));
    EXPECT_EQ(rows.at(102), this->seeded(102));
    EXPECT_EQ(s.get<student>(5001), a);
    EXPECT_EQ(s.get<student>(101), nullptr);
    a->id = 5002; // the loaded key is 5001 now
    s.commit();
    rows = this->student_rows();
    EXPECT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows.contains(5002));
    EXPECT_EQ(s.get<student>(5002), a);
}

TYPED_TEST(orm_keys, a_key_changed_to_a_taken_one_fails_without_touching_that_row) {
    this->seed_students({101, 102});
    const std::map<std::int64_t, typename TestFixture::student_row> seeded{
        {101, this->seeded(101)}, {102, this->seeded(102)}};
    auto conn = this->eng().connect();
    session s(conn);
    student* a = s.get<student>(101);
    ASSERT_NE(a, nullptr);
    a->id = 102;
    a->name = "collides";
    EXPECT_THROW(s.flush(), error);
    EXPECT_EQ(this->student_rows_on(conn), seeded); // inside the session's transaction
    s.rollback();
    EXPECT_EQ(a->id, 101);
    EXPECT_EQ(this->student_rows(), seeded);
}

TYPED_TEST(orm_keys, rollback_restores_the_loaded_key) {
    this->seed_students({101});
    session s(this->eng());
    student* a = s.get<student>(101);
    ASSERT_NE(a, nullptr);
    for (const bool flushed : {false, true}) {
        SCOPED_TRACE(flushed ? "flushed" : "not flushed");
        a->id = 6001;
        a->name = "moving";
        if (flushed) s.flush();
        s.rollback();
        EXPECT_EQ(a->id, 101);
        EXPECT_EQ(a->name, "name101");
        EXPECT_EQ(s.get<student>(101), a);
        this->echo_lines_.clear();
        s.commit();
        EXPECT_EQ(this->echoed("UPDATE"), 0u);
        EXPECT_EQ(this->student_rows(), (std::map<std::int64_t, typename TestFixture::student_row>{
                                            {101, this->seeded(101)}}));
    }
}

TYPED_TEST(orm_keys, values_a_trigger_changes_do_not_misplace_keys) {
    // The rows a multi-row RETURNING gives back then differ from the rows sent: the keys
    // must still reach the right objects (row by row where their order cannot be checked).
    for (const auto strategy : TestFixture::traits::strategies()) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        this->recreate_items(TestFixture::traits::generated_key,
                             TestFixture::traits::upper_label_trigger());
        auto conn = this->eng().connect();
        session s(conn, {.strategy = strategy});
        auto objs = s.add_all(this->make_items(30, "mixed-"));
        if (!this->commit_unless_refused(s, conn, strategy, objs, 0)) continue;
        const auto rows = this->item_rows();
        ASSERT_EQ(rows.size(), 30u);
        for (const auto& o : objs) {
            std::string upper = o.label;
            for (auto& c : upper)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            ASSERT_EQ(rows.count(upper), 1u) << upper;
            EXPECT_EQ(rows.find(upper)->second, o.id) << o.label;
        }
    }
}

TYPED_TEST(orm_keys, keys_assigned_by_a_trigger_reach_the_objects) {
    const auto trigger = TestFixture::traits::key_assigning_trigger();
    if (trigger.empty()) GTEST_SKIP() << "triggers of this backend cannot assign the key";
    for (const auto strategy : TestFixture::traits::strategies()) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        this->recreate_items(TestFixture::traits::generated_key, trigger);
        auto conn = this->eng().connect();
        session s(conn, {.strategy = strategy});
        auto objs = s.add_all(this->make_items(20, "trigger-"));
        if (!this->commit_unless_refused(s, conn, strategy, objs, 0)) continue;
        EXPECT_EQ(this->count("items"), 20);
        this->expect_items_stored(objs);
    }
}

TYPED_TEST(orm_keys, a_key_column_the_database_does_not_fill_never_yields_made_up_keys) {
    // SQLite: INT PRIMARY KEY is not the rowid (the column stays NULL and the rowid is not
    // the key); PostgreSQL: a key without a default.
    for (const auto strategy : TestFixture::traits::strategies()) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        this->recreate_items(TestFixture::traits::ungenerated_key);
        auto conn = this->eng().connect();
        session s(conn, {.strategy = strategy});
        auto objs = s.add_all(this->make_items(5, "plain-"));
        try {
            s.commit();
        } catch (const error&) { // refusing is fine: nothing stored, no key made up
            this->expect_items_untouched(conn, objs, 0);
            EXPECT_EQ(s.pending_count(), 5u);
            continue;
        }
        this->expect_items_stored(objs); // or keys that are really the rows' keys
    }
}

TYPED_TEST(orm_keys, an_autoincrement_key_is_never_reused) {
    this->recreate_items(TestFixture::traits::autoincrement_key);
    auto conn = this->eng().connect(); // sees the table empty first
    {
        session s(conn);
        s.add(item{.label = "probe"});
        s.flush();
        s.rollback();
    }
    this->exec({"INSERT INTO items (label) VALUES ('o1'), ('o2'), ('o3'), ('o4'), ('o5')"});
    const auto highest =
        this->other().execute_sql("SELECT max(id) FROM items").template scalar<std::int64_t>();
    this->exec({"DELETE FROM items WHERE id = " + std::to_string(highest)});
    session s(conn);
    item& after = s.add(item{.label = "after"});
    s.commit();
    ASSERT_TRUE(after.id.has_value());
    EXPECT_GT(*after.id, highest) << "the deleted key " << highest << " was used again";
    this->expect_items_stored(std::span<const item>(&after, 1));
}

TYPED_TEST(orm_keys, triggers_are_seen_however_their_table_is_spelled) {
    if (TestFixture::traits::shadow_rows_trigger().empty())
        GTEST_SKIP() << "triggers of this backend cannot write their own table";
    for (const auto strategy : TestFixture::traits::strategies()) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        this->recreate_items(TestFixture::traits::generated_key,
                             TestFixture::traits::shadow_rows_trigger()); // ON ITEMS
        this->exec({"INSERT INTO items (label) VALUES ('earlier')"});
        auto conn = this->eng().connect();
        session s(conn, {.strategy = strategy});
        auto objs = s.add_all(this->make_items(30, "item-"));
        if (!this->commit_unless_refused(s, conn, strategy, objs, 2)) continue;
        EXPECT_EQ(this->count("items"), 2 + 60); // every row, and its shadow
        this->expect_items_stored(objs);
        const auto rows = this->item_rows();
        for (const auto& o : objs) EXPECT_EQ(rows.count("shadow of " + o.label), 1u) << o.label;
    }
}

TYPED_TEST(orm_keys, a_plain_integer_key_of_zero_is_a_real_key) {
    this->exec({"CREATE TABLE numbered (id BIGINT PRIMARY KEY, label TEXT NOT NULL)"});
    auto numbered_rows = [this] {
        std::map<std::int64_t, std::string> out;
        for (const auto& r : this->other().execute_sql("SELECT id, label FROM numbered"))
            out[r.template get<std::int64_t>(0)] = r.template get<std::string>(1);
        return out;
    };
    {
        session s(this->eng());
        numbered& zero = s.add(numbered{.id = 0, .label = "zero"});
        numbered& five = s.add(numbered{.id = 5, .label = "five"});
        s.commit();
        EXPECT_EQ(zero.id, 0);
        EXPECT_EQ(five.id, 5);
        EXPECT_EQ(s.state_of(zero), object_state::persistent);
        EXPECT_EQ(numbered_rows(), (std::map<std::int64_t, std::string>{{0, "zero"}, {5, "five"}}));
        zero.label = "zero, updated";
        s.commit();
        EXPECT_EQ(numbered_rows().at(0), "zero, updated");
        numbered& seven = s.add(numbered{.id = 7, .label = "seven"});
        s.flush();
        s.rollback();
        EXPECT_EQ(seven.id, 7); // the application's key is not cleared
        EXPECT_EQ(s.state_of(seven), object_state::detached);
    }
    session s(this->eng());
    numbered* zero = s.get<numbered>(0);
    ASSERT_NE(zero, nullptr);
    EXPECT_EQ(zero->label, "zero, updated");
    s.remove(*zero);
    s.commit();
    EXPECT_EQ(numbered_rows(), (std::map<std::int64_t, std::string>{{5, "five"}}));
}

} // namespace
} // namespace tabella::testing
