// The session's state machine (docs/session.md): state_of in every state, expunge, rollback
// (plain, nested, inside a caller's transaction), row switch and autoflush. Every test
// checks the database through an engine of its own as well as through the session.
#include "../support/correctness_fixture.hpp"

namespace tabella::testing {
namespace {

using models::student;
using tabella::col;

template <class B>
class orm_states : public correctness_test<B> {};
TYPED_TEST_SUITE(orm_states, all_backends);

TYPED_TEST(orm_states, state_of_reports_every_state) {
    this->seed_students({101});
    session s(this->eng());
    const student stranger{};
    EXPECT_EQ(s.state_of(stranger), object_state::detached); // never owned
    student* loaded = s.get<student>(101);
    ASSERT_NE(loaded, nullptr);
    EXPECT_EQ(s.state_of(*loaded), object_state::persistent);
    student& fresh = s.add(student{.name = "fresh", .lastname = "x"});
    EXPECT_EQ(s.state_of(fresh), object_state::pending);
    s.flush();
    EXPECT_EQ(s.state_of(fresh), object_state::persistent);
    s.remove(*loaded);
    EXPECT_EQ(s.state_of(*loaded), object_state::persistent); // marked, DELETE not sent yet
    s.flush();
    EXPECT_EQ(s.state_of(*loaded), object_state::deleted);
    s.rollback();
    EXPECT_EQ(s.state_of(*loaded), object_state::persistent);
    EXPECT_EQ(s.get<student>(101), loaded);
    EXPECT_EQ(s.state_of(fresh), object_state::detached); // added since the last commit
    EXPECT_FALSE(fresh.id.has_value());
    s.remove(*loaded);
    s.flush();
    s.commit();
    EXPECT_EQ(s.state_of(*loaded), object_state::detached); // deleted, then committed
    student& dropped = s.add(student{.name = "dropped", .lastname = "x"});
    s.remove(dropped);
    EXPECT_EQ(s.state_of(dropped), object_state::detached); // pending, removed
    s.commit();
    EXPECT_EQ(this->count("students"), 0);
}

TYPED_TEST(orm_states, expunged_objects_are_forgotten) {
    this->seed_students({101, 102});
    session s(this->eng());
    student* a = s.get<student>(101);
    student* b = s.get<student>(102);
    ASSERT_TRUE(a && b);
    student& p = s.add(student{.name = "pending", .lastname = "x"});
    s.expunge(p);
    EXPECT_EQ(s.state_of(p), object_state::detached);
    a->name = "changed, then expunged";
    s.expunge(*a);
    EXPECT_EQ(s.state_of(*a), object_state::detached);
    s.remove(*b);
    s.expunge(*b); // its DELETE is not sent either
    s.commit();
    EXPECT_FALSE(p.id.has_value());
    EXPECT_EQ(this->student_rows(), (std::map<std::int64_t, typename TestFixture::student_row>{
                                        {101, this->seeded(101)}, {102, this->seeded(102)}}));
    student* again = s.get<student>(101);
    ASSERT_NE(again, nullptr);
    EXPECT_NE(again, a); // a new object, loaded from the row
    EXPECT_EQ(again->name, "name101");
    EXPECT_EQ(a->name, "changed, then expunged"); // the expunged object stays valid
    EXPECT_NO_THROW(s.expunge(*a));               // detached: nothing
}

TYPED_TEST(orm_states, a_nested_rollback_returns_objects_to_their_state_at_begin_nested) {
    this->seed_students({101, 102});
    session s(this->eng());
    student* a = s.get<student>(101);
    student* b = s.get<student>(102);
    ASSERT_TRUE(a && b);
    student& before = s.add(student{.name = "before", .lastname = "x"});
    a->name = "outer";
    {
        auto sp = s.begin_nested(); // flushes `before` and a's change first
        EXPECT_EQ(s.state_of(before), object_state::persistent);
        ASSERT_TRUE(before.id.has_value());
        a->name = "inner";
        a->age = 1;
        s.remove(*b);
        student& inner = s.add(student{.name = "inner", .lastname = "x"});
        s.flush();
        EXPECT_EQ(s.state_of(*b), object_state::deleted);
        sp.rollback();
        EXPECT_FALSE(sp.is_active());
        EXPECT_EQ(a->name, "outer");
        EXPECT_EQ(a->age, 30);
        EXPECT_EQ(s.state_of(*b), object_state::persistent);
        EXPECT_EQ(s.state_of(inner), object_state::detached);
        EXPECT_FALSE(inner.id.has_value());
        EXPECT_EQ(s.state_of(before), object_state::persistent);
        EXPECT_TRUE(before.id.has_value());
    }
    this->echo_lines_.clear();
    s.commit();
    EXPECT_EQ(this->echoed("UPDATE"), 0u); // a's "outer" went out at begin_nested
    auto rows = this->student_rows();
    EXPECT_EQ(rows.size(), 3u);
    EXPECT_EQ(std::get<0>(rows.at(101)), "outer");
    EXPECT_EQ(rows.at(102), this->seeded(102));
    EXPECT_EQ(this->count("students", "name = 'inner'"), 0);

    {
        auto sp = s.begin_nested();
        s.add(student{.name = "kept", .lastname = "x"});
        a->name = "kept change";
        sp.commit();
    }
    {
        auto sp = s.begin_nested();
        s.add(student{.name = "dropped", .lastname = "x"});
        s.flush();
    } // rolled back when it goes out of scope
    s.commit();
    rows = this->student_rows();
    EXPECT_EQ(rows.size(), 4u);
    EXPECT_EQ(std::get<0>(rows.at(101)), "kept change");
    EXPECT_EQ(this->count("students", "name = 'kept'"), 1);
    EXPECT_EQ(this->count("students", "name = 'dropped'"), 0);
}

TYPED_TEST(orm_states, rollback_in_a_callers_transaction_undoes_only_the_sessions_work) {
    auto conn = this->eng().connect();
    auto tx = conn.begin();
    conn.execute_sql("INSERT INTO students (id, name, lastname) VALUES (201, 'caller', 'row')");
    {
        session s(conn);
        student& x = s.add(student{.name = "rolled back", .lastname = "row"});
        s.flush();
        ASSERT_TRUE(x.id.has_value());
        s.rollback();
        EXPECT_EQ(s.state_of(x), object_state::detached);
        EXPECT_FALSE(x.id.has_value());
        EXPECT_TRUE(conn.in_transaction()); // the caller's transaction is still open
        student& y = s.add(student{.name = "kept", .lastname = "row"});
        s.commit(); // the session's work joins the caller's transaction
        EXPECT_EQ(s.state_of(y), object_state::persistent);
        EXPECT_TRUE(conn.in_transaction());
    }
    tx.commit();
    EXPECT_EQ(this->count("students"), 2);
    EXPECT_EQ(this->count("students", "name = 'caller'"), 1);
    EXPECT_EQ(this->count("students", "name = 'kept'"), 1);
    EXPECT_EQ(this->count("students", "name = 'rolled back'"), 0);
}

TYPED_TEST(orm_states, commit_in_a_callers_transaction_does_not_commit_it) {
    auto conn = this->eng().connect();
    auto tx = conn.begin();
    {
        session s(conn);
        s.add_all(this->make_students(3));
        s.commit();
    }
    EXPECT_TRUE(conn.in_transaction());
    tx.rollback();
    EXPECT_EQ(this->count("students"), 0);
}

TYPED_TEST(orm_states, rollback_never_resends_untouched_objects) {
    // Another client changes a row the session loaded but never changed, after the
    // session's rollback; the session's next commit must leave that change alone.
    this->seed_students({101, 102});
    for (const bool open_transaction : {false, true}) {
        SCOPED_TRACE(open_transaction ? "rollback of a flushed transaction" : "plain rollback");
        const std::int64_t k = open_transaction ? 102 : 101;
        session s(this->eng());
        student* a = s.get<student>(k);
        ASSERT_NE(a, nullptr);
        if (open_transaction) {
            s.add(student{.name = "rolled back", .lastname = "x"});
            s.flush();
        }
        s.rollback();
        this->exec({"UPDATE students SET name = 'other client' WHERE id = " + std::to_string(k)});
        s.add(student{.name = "unrelated", .lastname = "x"});
        this->echo_lines_.clear();
        s.commit();
        EXPECT_EQ(this->echoed("UPDATE"), 0u);
        EXPECT_EQ(std::get<0>(this->student_rows().at(k)), "other client");
        EXPECT_EQ(s.state_of(*a), object_state::persistent);
    }
    EXPECT_EQ(this->count("students", "name = 'rolled back'"), 0);
}

TYPED_TEST(orm_states, rollback_reloads_changed_objects_and_sends_nothing_later) {
    this->seed_students({101, 102});
    for (const bool flushed : {false, true}) {
        SCOPED_TRACE(flushed ? "change flushed before the rollback" : "change not flushed");
        const std::int64_t k = flushed ? 102 : 101;
        session s(this->eng());
        student* a = s.get<student>(k);
        ASSERT_NE(a, nullptr);
        // Another client commits a change the session has not seen...
        this->exec({"UPDATE students SET name = 'other client' WHERE id = " + std::to_string(k)});
        a->lastname = "mine"; // ...and the session changes another member
        if (flushed) s.flush();
        s.rollback();
        // Modified objects hold what their rows hold again.
        EXPECT_EQ(a->lastname, "last" + std::to_string(k));
        EXPECT_EQ(a->name, "other client");
        EXPECT_EQ(s.state_of(*a), object_state::persistent);
        this->echo_lines_.clear();
        s.commit();
        EXPECT_EQ(this->echoed("UPDATE"), 0u);
        const auto rows = this->student_rows();
        EXPECT_EQ(std::get<0>(rows.at(k)), "other client");
        EXPECT_EQ(std::get<1>(rows.at(k)), "last" + std::to_string(k));
    }
}

TYPED_TEST(orm_states, row_switch_updates_the_row_with_the_new_objects_values) {
    this->seed_students({101});
    session s(this->eng());
    student* old = s.get<student>(101);
    ASSERT_NE(old, nullptr);
    s.remove(*s.get<student>(101));
    student& replacement =
        s.add(student{.id = 101, .name = "new", .lastname = "switched", .age = 5});
    this->echo_lines_.clear();
    s.flush();
    EXPECT_EQ(s.state_of(*old), object_state::deleted);
    EXPECT_EQ(s.state_of(replacement), object_state::persistent);
    EXPECT_EQ(this->echoed("UPDATE students"), 1u);
    EXPECT_EQ(this->echoed("INSERT") + this->echoed("DELETE") + this->echoed("COPY"), 0u);
    s.commit();
    EXPECT_EQ(s.state_of(*old), object_state::detached);
    EXPECT_EQ(s.state_of(replacement), object_state::persistent);
    EXPECT_EQ(s.get<student>(101), &replacement);
    EXPECT_EQ(this->student_rows(), (std::map<std::int64_t, typename TestFixture::student_row>{
                                        {101, {"new", "switched", 5}}}));
}

TYPED_TEST(orm_states, autoflush_sends_changes_before_queries_and_gets) {
    this->seed_students({101, 102, 103});
    session s(this->eng());
    student* a = s.get<student>(101);
    student* b = s.get<student>(102);
    ASSERT_TRUE(a && b);
    a->name = "new";
    const auto found = s.query<student>().where(col(&student::name) == "new").all();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0], a);
    EXPECT_EQ(s.query<student>().where(col(&student::name) == "new").count(), 1);
    EXPECT_EQ(s.query<student>().where(col(&student::name) == "name101").first(), nullptr);
    b->lastname = "changed";
    this->echo_lines_.clear();
    EXPECT_EQ(s.get<student>(999), nullptr); // a key the session does not hold: flushes
    EXPECT_EQ(this->echoed("UPDATE"), 1u);
    s.commit();
    const auto rows = this->student_rows();
    EXPECT_EQ(std::get<0>(rows.at(101)), "new");
    EXPECT_EQ(std::get<1>(rows.at(102)), "changed");
}

TYPED_TEST(orm_states, without_autoflush_all_and_count_agree) {
    this->seed_students({101, 102, 103, 104, 105});
    session s(this->eng(), {.autoflush = false});
    auto loaded = s.query<student>().all();
    ASSERT_EQ(loaded.size(), 5u);
    s.remove(*loaded[0]);
    s.add(student{.name = "added", .lastname = "x"});
    s.add(student{.name = "added too", .lastname = "x"});
    this->echo_lines_.clear();
    const auto all = s.query<student>().all();
    const auto n = s.query<student>().count();
    EXPECT_EQ(static_cast<std::int64_t>(all.size()), n);
    EXPECT_EQ(n, 5); // the database's rows: nothing was sent
    EXPECT_EQ(this->echoed("INSERT") + this->echoed("DELETE") + this->echoed("COPY"), 0u);
    s.commit();
    EXPECT_EQ(s.query<student>().count(), 6);
    EXPECT_EQ(s.query<student>().all().size(), 6u);
    EXPECT_EQ(this->count("students"), 6);
}

} // namespace
} // namespace tabella::testing
