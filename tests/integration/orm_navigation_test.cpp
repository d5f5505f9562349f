// Navigating relationships (issue 12): a child's ref<P>.get() and a parent's children(),
// loaded explicitly with query<T>().load() / .load_children() in one statement each,
// whatever the number of parents, and answered from the session afterwards.
#include "../support/navigation_models.hpp"

#include <algorithm>
#include <set>

namespace tabella::testing {
namespace {

template <class B>
class orm_navigation : public navigation_test<B> {};
TYPED_TEST_SUITE(orm_navigation, all_backends);

TYPED_TEST(orm_navigation, children_are_loaded_in_one_select_then_answered_from_the_session) {
    const auto keys = this->seed_library({0, 1, 3});
    session s(this->eng());
    author* ann = s.get<author>(keys[2]);
    ASSERT_NE(ann, nullptr);
    this->echo_lines_.clear();
    std::vector<book*> hers = s.children(*ann, &book::author_id);
    EXPECT_EQ(this->selects_from("books"), 1u);
    ASSERT_EQ(hers.size(), 3u);
    std::set<std::string> titles;
    for (book* b : hers) {
        titles.insert(b->title);
        EXPECT_EQ(b->author_id.get(), ann) << "the child points at the session's parent";
    }
    EXPECT_EQ(titles, (std::set<std::string>{"a2-b0", "a2-b1", "a2-b2"}));
    this->echo_lines_.clear();
    EXPECT_EQ(s.children(*ann, &book::author_id), hers) << "the same objects, in the same order";
    EXPECT_TRUE(this->echo_lines_.empty()) << "a loaded collection sends nothing";
    EXPECT_TRUE(s.children(*s.get<author>(keys[0]), &book::author_id).empty());
}

TYPED_TEST(orm_navigation, load_fetches_every_parent_in_one_statement_for_1_10_and_10000) {
    for (const std::size_t parents : {std::size_t{1}, std::size_t{10}, std::size_t{10000}}) {
        this->reset_library();
        this->seed_authors_with_one_book_each(parents);
        session s(this->eng());
        this->echo_lines_.clear();
        std::vector<book*> bs = s.query<book>().load(&book::author_id).all();
        EXPECT_EQ(this->selects_from("books"), 1u) << parents;
        EXPECT_EQ(this->selects_from("authors"), 1u) << parents << " parents: one statement";
        ASSERT_EQ(bs.size(), parents);
        this->echo_lines_.clear();
        for (book* b : bs) {
            author* a = b->author_id.get();
            ASSERT_NE(a, nullptr);
            EXPECT_EQ(a->id, b->author_id.key());
            EXPECT_EQ(a, s.get<author>(*b->author_id.key())) << "the identity map's object";
            EXPECT_EQ(b->title, a->name + "-book");
        }
        EXPECT_TRUE(this->echo_lines_.empty()) << "navigation sends nothing after load";
    }
}

TYPED_TEST(orm_navigation, load_children_fetches_every_collection_in_one_statement) {
    for (const std::size_t parents : {std::size_t{1}, std::size_t{10}, std::size_t{10000}}) {
        this->reset_library();
        this->seed_authors_with_one_book_each(parents);
        session s(this->eng());
        this->echo_lines_.clear();
        std::vector<author*> as = s.query<author>().load_children(&book::author_id).all();
        EXPECT_EQ(this->selects_from("authors"), 1u) << parents;
        EXPECT_EQ(this->selects_from("books"), 1u) << parents << " parents: one statement";
        ASSERT_EQ(as.size(), parents);
        this->echo_lines_.clear();
        for (author* a : as) {
            const std::vector<book*> cached = s.children(*a, &book::author_id);
            ASSERT_EQ(cached.size(), 1u);
            EXPECT_EQ(cached[0]->title, a->name + "-book");
            EXPECT_EQ(cached[0]->author_id.get(), a);
        }
        EXPECT_EQ(this->selects_from("books"), 0u) << "children() answered from the session";
    }
}

TYPED_TEST(orm_navigation, parents_the_session_holds_are_not_loaded_again) {
    const auto keys = this->seed_library({2, 2});
    session s(this->eng());
    author* first = s.get<author>(keys[0]);
    first->name = "changed, not flushed";
    this->echo_lines_.clear();
    std::vector<book*> bs = s.query<book>().order_by(&book::title).load(&book::author_id).all();
    ASSERT_EQ(bs.size(), 4u);
    EXPECT_EQ(bs[0]->author_id.get(), first);
    EXPECT_EQ(first->name, "changed, not flushed") << "loading never overwrites a change";
    EXPECT_EQ(bs[2]->author_id.get(), s.get<author>(keys[1]));
    // The change was autoflushed before the query; only the other author was selected.
    EXPECT_EQ(this->selects_from("authors"), 1u);
    EXPECT_EQ(this->parameters_of_select_from("authors"), "(" + std::to_string(keys[1]) + ",)")
        << "the tracked author's key is not asked for again";
}

TYPED_TEST(orm_navigation, children_follow_the_sessions_changes) {
    const auto keys = this->seed_library({2, 0});
    session s(this->eng());
    author* ann = s.get<author>(keys[0]);
    author* bo = s.get<author>(keys[1]);
    auto hers = s.children(*ann, &book::author_id);
    ASSERT_EQ(hers.size(), 2u);
    book& fresh = s.add(book{std::nullopt, *ann, std::nullopt, "fresh"});
    hers[0]->author_id = *bo; // moved to another author
    s.remove(*hers[1]);
    const auto now = s.children(*ann, &book::author_id);
    ASSERT_EQ(now.size(), 1u) << "added, moved away and removed books are followed";
    EXPECT_EQ(now[0], &fresh);
    const auto his = s.children(*bo, &book::author_id);
    ASSERT_EQ(his.size(), 1u);
    EXPECT_EQ(his[0], hers[0]);
    s.rollback();
    this->echo_lines_.clear();
    EXPECT_EQ(s.children(*ann, &book::author_id).size(), 2u) << "rolled back";
    EXPECT_EQ(this->selects_from("books"), 1u) << "a rollback forgets loaded collections";
}

TYPED_TEST(orm_navigation, expunged_objects_leave_the_loaded_collections) {
    const auto keys = this->seed_library({3});
    session s(this->eng());
    author* ann = s.get<author>(keys[0]);
    auto hers = s.children(*ann, &book::author_id);
    ASSERT_EQ(hers.size(), 3u);
    s.expunge(*hers[1]);
    this->echo_lines_.clear();
    const auto now = s.children(*ann, &book::author_id);
    EXPECT_EQ(now, (std::vector<book*>{hers[0], hers[2]}));
    EXPECT_TRUE(this->echo_lines_.empty()) << "still answered from the session";
    EXPECT_EQ(hers[1]->author_id.get(), ann) << "an expunged child keeps its ref";
    s.expunge(*ann);
    EXPECT_THROW((void)s.children(*ann, &book::author_id), usage_error);
}

TYPED_TEST(orm_navigation, self_references_load_both_ways) {
    session s(this->eng());
    author& ann = s.add(author{std::nullopt, "Ann"});
    book& first = s.add(book{std::nullopt, ann, std::nullopt, "first"});
    s.add(book{std::nullopt, ann, ref<book, on_delete::set_null>(first), "second"});
    s.commit();
    session t(this->eng());
    auto bs = t.query<book>().order_by(&book::title).load(&book::sequel_of).all();
    ASSERT_EQ(bs.size(), 2u);
    ASSERT_TRUE(bs[1]->sequel_of.has_value());
    EXPECT_EQ(bs[1]->sequel_of->get(), bs[0]);
    EXPECT_FALSE(bs[0]->sequel_of.has_value());
    const auto sequels = t.children(*bs[0], &book::sequel_of);
    ASSERT_EQ(sequels.size(), 1u);
    EXPECT_EQ(sequels[0], bs[1]);
}

TYPED_TEST(orm_navigation, children_of_an_object_the_session_does_not_hold_is_a_usage_error) {
    session s(this->eng(), {.autoflush = false});
    author stranger{std::int64_t{1}, "stranger"};
    EXPECT_THROW((void)s.children(stranger, &book::author_id), usage_error);
    author& pending = s.add(author{std::nullopt, "pending"});
    EXPECT_THROW((void)s.children(pending, &book::author_id), usage_error);
}

} // namespace
} // namespace tabella::testing

namespace tabella::testing {
namespace {

TYPED_TEST(orm_navigation, queries_filter_and_order_on_a_joined_parent) {
    this->seed_library({2, 1, 0});
    session s(this->eng());
    auto of_a0 = s.query<book>()
                     .join(&book::author_id)
                     .where(col(&author::name) == "a0")
                     .order_by(&book::title)
                     .all();
    ASSERT_EQ(of_a0.size(), 2u);
    EXPECT_EQ(of_a0[0]->title, "a0-b0");
    EXPECT_EQ(of_a0[1]->title, "a0-b1");
    EXPECT_EQ(s.query<book>().join(&book::author_id).where(col(&author::name) != "a0").count(), 1);
    auto by_author = s.query<book>()
                         .join(&book::author_id)
                         .order_by(col(&author::name).desc())
                         .order_by(&book::title)
                         .all();
    ASSERT_EQ(by_author.size(), 3u);
    EXPECT_EQ(by_author[0]->title, "a1-b0") << "ordered by the joined author's name";
    EXPECT_EQ(s.query<book>().left_join(&book::author_id).count(), 3);
    EXPECT_THROW((void)s.query<book>().join(&book::sequel_of).all(), usage_error)
        << "a self-join needs an alias";
}

} // namespace
} // namespace tabella::testing
