// on_delete mirrored in the session (issue 12): removing a parent removes (cascade) or
// empties the ref of (set_null) the children the session holds, the database does the same
// for rows the session does not hold, restrict refuses with nothing sent, and a flush that
// fails puts every child back as it was.
#include "../support/navigation_models.hpp"

namespace tabella::testing {
namespace {

template <class B>
class orm_delete_rules : public navigation_test<B> {
  protected:
    std::int64_t books_titled(const std::string& title) {
        return this->count("books", "title = '" + title + "'");
    }
    std::int64_t books_with_null_sequel() { return this->count("books", "sequel_of IS NULL"); }
    std::size_t deletes_sent() const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [](const std::string& l) { return l.starts_with("DELETE"); }));
    }
};
TYPED_TEST_SUITE(orm_delete_rules, all_backends);

TYPED_TEST(orm_delete_rules, cascade_removes_the_children_held_and_the_database_the_rest) {
    const auto keys = this->seed_library({3, 1});
    session s(this->eng());
    author* ann = s.get<author>(keys[0]);
    auto held = s.query<book>().where(col(&book::title) == "a0-b0").all();
    ASSERT_EQ(held.size(), 1u);
    s.remove(*ann);
    s.commit();
    EXPECT_EQ(s.state_of(*held[0]), object_state::detached) << "removed with its author";
    EXPECT_EQ(this->count("authors"), 1);
    EXPECT_EQ(this->count("books"), 1) << "a0's books held and not held are gone";
    EXPECT_EQ(this->books_titled("a1-b0"), 1) << "another author's book stays";
}

TYPED_TEST(orm_delete_rules, cascade_drops_a_pending_child_that_was_never_inserted) {
    const auto keys = this->seed_library({0});
    session s(this->eng());
    author* ann = s.get<author>(keys[0]);
    book& draft = s.add(book{std::nullopt, *ann, std::nullopt, "draft"});
    s.remove(*ann);
    s.commit();
    EXPECT_EQ(s.state_of(draft), object_state::detached);
    EXPECT_FALSE(draft.id.has_value()) << "never inserted";
    EXPECT_EQ(this->count("books"), 0);
    EXPECT_EQ(this->count("authors"), 0);
}

TYPED_TEST(orm_delete_rules, set_null_empties_the_refs_held_and_the_database_the_rest) {
    for (const bool track_changes : {true, false}) {
        this->reset_library();
        std::int64_t first_key = 0;
        {
            session s(this->eng());
            author& a = s.add(author{std::nullopt, "Ann"});
            book& first = s.add(book{std::nullopt, a, std::nullopt, "first"});
            s.add(book{std::nullopt, a, ref<book, on_delete::set_null>(first), "held"});
            s.add(book{std::nullopt, a, ref<book, on_delete::set_null>(first), "not held"});
            s.commit();
            first_key = *first.id;
        }
        session s(this->eng(), {.track_changes = track_changes});
        book* first = s.get<book>(first_key);
        auto held = s.query<book>().where(col(&book::title) == "held").all();
        ASSERT_EQ(held.size(), 1u);
        ASSERT_TRUE(held[0]->sequel_of.has_value());
        s.remove(*first);
        s.commit();
        EXPECT_FALSE(held[0]->sequel_of.has_value()) << "track_changes " << track_changes;
        EXPECT_EQ(s.state_of(*held[0]), object_state::persistent);
        EXPECT_EQ(this->count("books"), 2);
        EXPECT_EQ(this->books_with_null_sequel(), 2) << "held and not held: NULL";
    }
}

TYPED_TEST(orm_delete_rules, restrict_refuses_a_held_child_with_nothing_sent) {
    const auto keys = this->seed_library({1});
    session s(this->eng());
    auto bs = s.children(*s.get<author>(keys[0]), &book::author_id);
    ASSERT_EQ(bs.size(), 1u);
    s.add(review{std::nullopt, *bs[0], "great"});
    s.commit();
    review& second = s.add(review{std::nullopt, *bs[0], "pending"});
    s.remove(*bs[0]);
    this->echo_lines_.clear();
    try {
        s.flush();
        FAIL() << "expected foreign_key_violation";
    } catch (const foreign_key_violation& e) {
        EXPECT_NE(std::string(e.what()).find("book_id"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(this->echo_lines_.empty()) << "nothing sent: " << this->echo_lines_.front();
    EXPECT_EQ(s.state_of(second), object_state::pending);
    EXPECT_EQ(s.state_of(*bs[0]), object_state::persistent);
    s.rollback();
    EXPECT_EQ(this->count("books"), 1);
    EXPECT_EQ(this->count("reviews"), 1);
}

TYPED_TEST(orm_delete_rules, a_failed_flush_puts_every_child_back) {
    // Ann's book b0 is held and cascades; b1 is not held and has a review (restrict) that
    // makes the database refuse; Bo's book points at b0 with set_null.
    const auto keys = this->seed_library({2, 0});
    std::int64_t b0 = 0;
    {
        session s(this->eng());
        auto hers = s.query<book>().order_by(&book::title).all();
        ASSERT_EQ(hers.size(), 2u);
        b0 = *hers[0]->id;
        s.add(review{std::nullopt, *hers[1], "keeps b1"});
        s.add(book{std::nullopt, ref<author, on_delete::cascade>(keys[1]),
                   ref<book, on_delete::set_null>(*hers[0]), "bo's"});
        s.commit();
    }
    session s(this->eng());
    book* held = s.get<book>(b0);
    auto bos = s.query<book>().where(col(&book::title) == "bo's").load(&book::sequel_of).all();
    ASSERT_EQ(bos.size(), 1u);
    ASSERT_EQ(bos[0]->sequel_of->get(), held);
    s.remove(*s.get<author>(keys[0]));
    EXPECT_THROW(s.flush(), foreign_key_violation);
    ASSERT_TRUE(bos[0]->sequel_of.has_value()) << "set_null undone";
    EXPECT_EQ(bos[0]->sequel_of->get(), held) << "pointing at the same object";
    EXPECT_EQ(s.state_of(*held), object_state::persistent);
    EXPECT_EQ(this->count("books"), 3);
    EXPECT_EQ(this->books_with_null_sequel(), 2);
    // Once the review is gone the same removal goes through.
    this->exec({"DELETE FROM reviews"});
    s.commit();
    EXPECT_FALSE(bos[0]->sequel_of.has_value());
    EXPECT_EQ(s.state_of(*held), object_state::detached);
    EXPECT_EQ(this->count("books"), 1);
    EXPECT_EQ(this->books_with_null_sequel(), 1);
}

TYPED_TEST(orm_delete_rules, a_child_moved_to_another_parent_is_not_cascaded) {
    const auto keys = this->seed_library({1, 0});
    session s(this->eng());
    author* ann = s.get<author>(keys[0]);
    author* bo = s.get<author>(keys[1]);
    auto hers = s.children(*ann, &book::author_id);
    ASSERT_EQ(hers.size(), 1u);
    hers[0]->author_id = *bo;
    s.remove(*ann);
    s.commit();
    EXPECT_EQ(s.state_of(*hers[0]), object_state::persistent);
    EXPECT_EQ(this->count("books", "author_id = " + std::to_string(keys[1])), 1);
    EXPECT_EQ(this->count("authors"), 1);
}

} // namespace
} // namespace tabella::testing
