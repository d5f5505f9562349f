// ORM streams: query<T>().stream(n) reads objects a batch at a time, not kept by the
// session, on every backend.
#include "../support/orm_fixture.hpp"

#include <tabella/error.hpp>

#include <set>

namespace tabella::testing {
namespace {

using models::student;
using tabella::col;

template <class B>
class orm_stream : public orm_test<B> {
  protected:
    void SetUp() override {
        orm_test<B>::SetUp();
        if (this->url_.empty()) return;
        session s(this->eng());
        s.add_all(this->make_students(2500));
        s.commit();
        this->echo_lines_.clear();
    }
    /// (id, name) of every students row in key order, read with the Core layer.
    std::vector<std::pair<std::int64_t, std::string>> stored() {
        std::vector<std::pair<std::int64_t, std::string>> out;
        for (const auto& [id, row] : this->rows()) out.emplace_back(id, std::get<0>(row));
        return out;
    }
};
TYPED_TEST_SUITE(orm_stream, all_backends);

TYPED_TEST(orm_stream, reads_every_object_in_batches_in_order) {
    const auto expected = this->stored();
    ASSERT_EQ(expected.size(), 2500u);
    for (const std::size_t n : {std::size_t{1000}, std::size_t{1}}) {
        session s(this->eng());
        std::vector<std::pair<std::int64_t, std::string>> got;
        for (const student& st : s.query<student>().order_by(&student::id).stream(n))
            got.emplace_back(*st.id, st.name);
        EXPECT_EQ(got, expected) << "batch " << n;
    }
}

TYPED_TEST(orm_stream, objects_are_not_kept_by_the_session_and_their_buffer_is_reused) {
    session s(this->eng());
    std::set<const student*> addresses;
    std::int64_t first_id = 0;
    const student* first = nullptr;
    for (student& st : s.query<student>().order_by(&student::id).stream(100)) {
        addresses.insert(&st);
        if (!first) {
            first = &st;
            first_id = *st.id;
            EXPECT_EQ(s.state_of(st), object_state::detached);
        }
    }
    EXPECT_EQ(addresses.size(), 100u); // one batch of objects, filled again and again
    // The stream's buffer is gone: a new object may sit at its address, so only the
    // statements tell that nothing was kept.
    student* tracked = s.get<student>(first_id);
    ASSERT_NE(tracked, nullptr);
    EXPECT_EQ(s.state_of(*tracked), object_state::persistent);
    EXPECT_EQ(this->echoed("SELECT"), 2u); // the stream's, then get()'s: nothing was kept
}

TYPED_TEST(orm_stream, where_and_order_by_are_respected) {
    session s(this->eng());
    auto q = s.query<student>()
                 .where(col(&student::age) >= 30 && col(&student::age) < 40)
                 .order_by(&student::name, true);
    std::vector<std::string> all;
    for (student* p : q.all()) all.push_back(p->name);
    ASSERT_GT(all.size(), 100u);
    session fresh(this->eng());
    std::vector<std::string> streamed;
    for (const student& st : fresh.query<student>()
                                 .where(col(&student::age) >= 30 && col(&student::age) < 40)
                                 .order_by(&student::name, true)
                                 .stream(64)) {
        ASSERT_TRUE(st.age && *st.age >= 30 && *st.age < 40);
        streamed.push_back(st.name);
    }
    EXPECT_EQ(streamed, all);
}

TYPED_TEST(orm_stream, for_update_streams_the_locked_rows) {
    session s(this->eng());
    std::size_t rows = 0;
    for (const student& st : s.query<student>().for_update().stream(700)) rows += st.id ? 1 : 0;
    EXPECT_EQ(rows, 2500u);
    s.commit();
}

TYPED_TEST(orm_stream, an_empty_result_streams_nothing) {
    session s(this->eng());
    auto objects = s.query<student>().where(col(&student::name) == "nobody").stream(10);
    EXPECT_TRUE(objects.begin() == objects.end());
}

TYPED_TEST(orm_stream, an_early_break_leaves_the_session_usable) {
    session s(this->eng());
    {
        int seen = 0;
        for (const student& st : s.query<student>().order_by(&student::id).stream(1000)) {
            (void)st;
            if (++seen == 1500) break;
        }
    }
    s.add(student{.name = "after", .lastname = "break"});
    s.commit();
    EXPECT_EQ(s.query<student>().count(), 2501);
    EXPECT_EQ(s.query<student>().where(col(&student::name) == "after").all().size(), 1u);
}

TYPED_TEST(orm_stream, pending_changes_are_flushed_first_and_tracked_objects_are_not_consulted) {
    session s(this->eng());
    s.add(student{.name = "pending", .lastname = "p"});
    std::size_t found = 0;
    for (const student& st : s.query<student>().where(col(&student::name) == "pending").stream(5))
        found += st.id.has_value() ? 1 : 0;
    EXPECT_EQ(found, 1u); // autoflush sent it first, as all() does
    s.commit();

    session manual(this->eng(), {.autoflush = false});
    student* tracked = manual.query<student>().where(col(&student::name) == "name7").first();
    ASSERT_NE(tracked, nullptr);
    tracked->lastname = "changed in memory";
    for (const student& st :
         manual.query<student>().where(col(&student::name) == "name7").stream(5))
        EXPECT_EQ(st.lastname, "last7"); // the row's values, not the session's object
    EXPECT_EQ(tracked->lastname, "changed in memory");
}

TYPED_TEST(orm_stream, the_session_may_write_while_streaming) {
    session s(this->eng());
    int added = 0;
    for (const student& st : s.query<student>().order_by(&student::id).stream(400)) {
        if (st.name.ends_with("00")) {
            s.add(student{.name = "added after " + st.name + ".", .lastname = "x"});
            s.flush();
            ++added;
        }
    }
    s.commit();
    EXPECT_EQ(added, 24); // name100 ... name2400
    EXPECT_EQ(s.query<student>().count(), 2524);
}

TYPED_TEST(orm_stream, misuse_is_a_usage_error) {
    const std::string tenth = this->stored().at(9).second;
    session s(this->eng());
    EXPECT_THROW((void)s.query<student>().stream(0), usage_error);
    EXPECT_THROW(
        (void)s.query<models::enrollment>().load(&models::enrollment::student_id).stream(10),
        usage_error);
    auto objects = s.query<student>().order_by(&student::id).stream(10);
    auto it = objects.begin();
    for (int i = 0; i < 9; ++i) ++it;
    EXPECT_EQ(it->name, tenth);
    s.commit(); // ends the transaction the stream reads in
    EXPECT_THROW(++it, usage_error);
    EXPECT_TRUE(it == objects.end());
    EXPECT_EQ(s.query<student>().count(), 2500);
}

} // namespace
} // namespace tabella::testing
