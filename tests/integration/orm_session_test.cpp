// The session beyond inserts: identity map, queries, updates, deletes, rollback, types.
#include "../support/orm_fixture.hpp"

#include <algorithm>

namespace tabella::testing {
namespace {

using models::course;
using models::sample;
using models::student;

template <class B>
class orm_session : public orm_test<B> {};
TYPED_TEST_SUITE(orm_session, all_backends);

TYPED_TEST(orm_session, the_documented_api_compiles_and_works_as_written) {
    tabella::session session(this->eng());
    student& bob = session.add(student{.name = "Bob", .lastname = "Chrismansyah"});
    std::span<student> many =
        session.add_all(std::vector<student>{{.name = "Ann", .lastname = "Lee", .age = 19},
                                             {.name = "Cy", .lastname = "Ng", .age = 17}});
    session.flush();
    ASSERT_TRUE(bob.id && many[0].id && many[1].id);
    session.commit();

    student* s = session.get<student>(*bob.id);
    EXPECT_EQ(s, &bob);
    std::vector<student*> adults = session.query<student>()
                                       .where(tabella::col(&student::age) >= 18)
                                       .order_by(&student::name)
                                       .limit(10)
                                       .all();
    ASSERT_EQ(adults.size(), 1u);
    EXPECT_EQ(adults[0], &many[0]);
    s->lastname = "Langau";
    session.remove(many[1]);
    session.commit();
    const auto rows = this->rows();
    EXPECT_EQ(std::get<1>(rows.at(*bob.id)), "Langau");
    EXPECT_FALSE(rows.contains(*many[1].id));
}

TYPED_TEST(orm_session, get_returns_one_object_per_row) {
    std::int64_t key = 0;
    {
        session s(this->eng());
        key = s.add(student{.name = "Ann", .lastname = "Lee"}).id.emplace(77);
        s.commit();
    }
    session s(this->eng());
    student* a = s.get<student>(key);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->name, "Ann");
    EXPECT_EQ(s.get<student>(key), a);
    EXPECT_EQ(s.query<student>().first(), a);
    EXPECT_EQ(s.get<student>(key + 1), nullptr);
    a->name = "changed in memory";
    EXPECT_EQ(s.query<student>().all().front()->name, "changed in memory"); // not overwritten
}

TYPED_TEST(orm_session, get_of_untracked_keys_reuses_one_prepared_statement) {
    {
        session s(this->eng());
        for (std::int64_t k = 1; k <= 3; ++k)
            s.add(student{.name = "s" + std::to_string(k), .lastname = "x"}).id.emplace(k);
        s.commit();
    }
    auto conn = this->eng().connect();
    auto tx = conn.begin();
    session s(conn);
    this->echo_lines_.clear();
    for (std::int64_t k = 1; k <= 3; ++k) {
        student* st = s.get<student>(k);
        ASSERT_NE(st, nullptr);
        EXPECT_EQ(st->name, "s" + std::to_string(k));
    }
    EXPECT_EQ(s.get<student>(4), nullptr);
    std::vector<std::string> selects;
    for (const auto& l : this->echo_lines_)
        if (l.starts_with("SELECT")) selects.push_back(l);
    ASSERT_EQ(selects.size(), 4u);
    EXPECT_TRUE(std::all_of(selects.begin(), selects.end(),
                            [&](const std::string& l) { return l == selects[0]; }))
        << "one statement text, its parameters bound: " << selects[0];
    if constexpr (std::is_same_v<TypeParam, postgres>) {
        // The driver prepares a statement on the server at its second execution: one
        // prepared statement for four gets, not one per get (nor none).
        EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM pg_prepared_statements WHERE "
                                   "statement LIKE 'SELECT%students%'")
                      .template scalar<std::int64_t>(),
                  1);
    }
}

TYPED_TEST(orm_session, queries_filter_order_limit_and_count) {
    session s(this->eng());
    s.add_all(this->make_students(50));
    s.commit();
    using tabella::col;
    auto q = s.query<student>().where(col(&student::age) < 10 && col(&student::age).is_not_null());
    EXPECT_EQ(q.count(), static_cast<std::int64_t>(q.all().size()));
    auto page = s.query<student>().order_by(&student::name, true).limit(3).offset(1).all();
    ASSERT_EQ(page.size(), 3u);
    EXPECT_GT(page[0]->name, page[1]->name);
    auto nulls = s.query<student>().where(col(&student::age) == std::nullopt).all();
    for (auto* p : nulls) EXPECT_FALSE(p->age.has_value());
    EXPECT_EQ(nulls.size(), 8u); // i % 7 == 0 for i in [0, 50)
    auto named = s.query<student>().where(col(&student::name).in_({"name3", "name4"})).all();
    EXPECT_EQ(named.size(), 2u);
}

TYPED_TEST(orm_session, changes_are_flushed_as_updates_of_changed_columns_only) {
    session s(this->eng());
    auto objs = s.add_all(this->make_students(5));
    s.commit();
    this->echo_lines_.clear();
    objs[1].lastname = "Langau";
    objs[3].lastname = "Other";
    objs[4].age = 99;
    s.commit();
    EXPECT_EQ(this->echoed("UPDATE students SET lastname = "), 2u);
    EXPECT_EQ(this->echoed("UPDATE students SET age = "), 1u);
    EXPECT_EQ(this->echoed("UPDATE"), 3u);
    const auto rows = this->rows();
    EXPECT_EQ(std::get<1>(rows.at(*objs[1].id)), "Langau");
    EXPECT_EQ(std::get<0>(rows.at(*objs[1].id)), "name1");
    EXPECT_EQ(std::get<2>(rows.at(*objs[4].id)), 99);
    this->echo_lines_.clear();
    s.commit(); // nothing changed since
    EXPECT_EQ(this->echoed("UPDATE"), 0u);
}

TYPED_TEST(orm_session, without_change_tracking_inserts_and_removes_work_but_changes_are_not_sent) {
    session s(this->eng(), {.track_changes = false});
    auto objs = s.add_all(this->make_students(3));
    s.commit();
    objs[0].lastname = "not sent";
    s.remove(objs[1]);
    s.commit();
    const auto rows = this->rows();
    EXPECT_EQ(rows.size(), 2u);
    EXPECT_EQ(std::get<1>(rows.at(*objs[0].id)), "last0");
    EXPECT_EQ(this->echoed("UPDATE"), 0u);
}

TYPED_TEST(orm_session, a_changed_key_is_sent_as_an_update_of_the_row_it_was_loaded_from) {
    session s(this->eng());
    student& a = s.add(student{.name = "A", .lastname = "B"});
    s.commit();
    const auto old_key = *a.id;
    a.id = old_key + 1000;
    this->echo_lines_.clear();
    s.commit();
    EXPECT_EQ(this->echoed("UPDATE students SET id"), 1u);
    const auto rows = this->rows();
    EXPECT_EQ(rows.count(old_key), 0u);
    EXPECT_EQ(std::get<0>(rows.at(old_key + 1000)), "A");
    EXPECT_EQ(s.get<student>(old_key + 1000), &a);
}

TYPED_TEST(orm_session, removed_objects_are_deleted_in_batches) {
    session s(this->eng());
    auto objs = s.add_all(this->make_students(30));
    s.commit();
    this->echo_lines_.clear();
    for (std::size_t i = 0; i < 30; i += 2) s.remove(objs[i]);
    EXPECT_EQ(s.get<student>(*objs[0].id), nullptr);
    s.commit();
    EXPECT_EQ(this->echoed("DELETE FROM students"), 1u);
    EXPECT_EQ(this->rows().size(), 15u);
    student stranger;
    EXPECT_THROW(s.remove(stranger), usage_error);
    student& pending = s.add(student{.name = "never", .lastname = "sent"});
    s.remove(pending);
    s.commit();
    EXPECT_EQ(this->rows().size(), 15u);
}

TYPED_TEST(orm_session, rollback_detaches_objects_added_since_the_last_commit) {
    session s(this->eng());
    auto objs = s.add_all(this->make_students(10));
    s.flush();
    ASSERT_TRUE(objs[0].id.has_value());
    student& never_flushed = s.add(student{.name = "late", .lastname = "comer"});
    s.rollback();
    EXPECT_EQ(this->rows().size(), 0u);
    EXPECT_EQ(s.pending_count(), 0u);
    EXPECT_EQ(s.state_of(never_flushed), object_state::detached);
    for (const auto& o : objs) {
        EXPECT_FALSE(o.id.has_value());
        EXPECT_EQ(s.state_of(o), object_state::detached);
    }
    s.commit(); // nothing of the rolled-back transaction comes back
    EXPECT_EQ(this->rows().size(), 0u);
}

TYPED_TEST(orm_session, rollback_restores_removed_objects_and_reloads_changed_ones) {
    session s(this->eng());
    auto objs = s.add_all(this->make_students(3));
    s.commit();
    s.remove(objs[0]);
    objs[1].lastname = "rolled back";
    s.flush();
    EXPECT_EQ(s.state_of(objs[0]), object_state::deleted);
    s.rollback();
    EXPECT_EQ(this->rows().size(), 3u);
    EXPECT_EQ(s.state_of(objs[0]), object_state::persistent);
    EXPECT_EQ(s.get<student>(*objs[0].id), &objs[0]);
    EXPECT_EQ(objs[1].lastname, "last1"); // the committed value is back
    this->echo_lines_.clear();
    s.commit(); // and nothing is sent for it
    EXPECT_EQ(this->echoed("UPDATE"), 0u);
    EXPECT_EQ(std::get<1>(this->rows().at(*objs[1].id)), "last1");
}

TYPED_TEST(orm_session, a_flush_inside_the_callers_transaction_uses_a_savepoint) {
    auto conn = this->eng().connect();
    auto tx = conn.begin();
    {
        session s(conn);
        s.add_all(this->make_students(3));
        s.flush();
    }
    EXPECT_GE(this->echoed("SAVEPOINT"), 1u);
    tx.rollback();
    EXPECT_EQ(this->rows().size(), 0u);
}

TYPED_TEST(orm_session, every_member_type_round_trips) {
    using namespace std::chrono;
    const auto at =
        system_clock::time_point(sys_days(year(2026) / 11 / 21) + hours(9) + microseconds(123456));
    const tabella::blob bytes{std::byte{0}, std::byte{0xff}, std::byte{'\''}};
    sample full{0,
                -7,
                0.1 + 0.2,
                true,
                "it's \"quoted\" \\ \xc3\xa9",
                bytes,
                models::level::senior,
                at,
                std::int64_t{1} << 40,
                2.5,
                false,
                "x",
                bytes,
                models::level::freshman,
                at};
    sample empty{};
    empty.sample_id = 1; // full's key is 0: a plain integer key is the application's, 0 too
    empty.label = "empty";
    {
        session s(this->eng());
        s.add(std::move(full));
        s.add(std::move(empty));
        s.commit();
    }
    session s(this->eng());
    auto all = s.query<sample>().order_by(&sample::sample_id).all();
    ASSERT_EQ(all.size(), 2u);
    const sample& a = *all[0];
    EXPECT_EQ(a.small, -7);
    EXPECT_EQ(a.ratio, 0.1 + 0.2);
    EXPECT_TRUE(a.flag);
    EXPECT_EQ(a.label, "it's \"quoted\" \\ \xc3\xa9");
    EXPECT_EQ(a.bytes, bytes);
    EXPECT_EQ(a.grade, models::level::senior);
    EXPECT_EQ(a.at, at);
    EXPECT_EQ(a.maybe_big, std::int64_t{1} << 40);
    EXPECT_EQ(a.maybe_ratio, 2.5);
    EXPECT_EQ(a.maybe_flag, false);
    EXPECT_EQ(a.maybe_label, "x");
    EXPECT_EQ(a.maybe_bytes, bytes);
    EXPECT_EQ(a.maybe_grade, models::level::freshman);
    EXPECT_EQ(a.maybe_at, at);
    const sample& b = *all[1];
    EXPECT_EQ(b.label, "empty");
    EXPECT_FALSE(b.maybe_big || b.maybe_ratio || b.maybe_flag || b.maybe_label || b.maybe_bytes ||
                 b.maybe_grade || b.maybe_at);
}

TYPED_TEST(orm_session, adapted_structs_work_the_same) {
    session s(this->eng());
    course& c = s.add(course{std::nullopt, "Databases", 7.5});
    s.commit();
    ASSERT_TRUE(c.id.has_value());
    session other(this->eng());
    course* loaded = other.get<course>(*c.id);
    ASSERT_NE(loaded, nullptr);
    EXPECT_EQ(loaded->title, "Databases");
    EXPECT_EQ(loaded->credits, 7.5);
}

TYPED_TEST(orm_session, not_null_columns_come_from_non_optional_members) {
    auto conn = this->eng().connect();
    EXPECT_THROW(conn.execute_sql("INSERT INTO students (name, lastname) VALUES (NULL, 'x')"),
                 not_null_violation);
    conn.execute_sql("INSERT INTO students (name, lastname, age) VALUES ('a', 'b', NULL)");
}

} // namespace
} // namespace tabella::testing

namespace tabella::testing {
namespace {

TYPED_TEST(orm_session, queries_take_like_between_and_column_comparisons) {
    session s(this->eng());
    s.add(student{.name = "Ann", .lastname = "Lee", .age = 19});
    s.add(student{.name = "Andy", .lastname = "Andy", .age = 25});
    s.add(student{.name = "bob", .lastname = "Ng", .age = 15});
    s.commit();
    using tabella::col;
    auto names = [](const std::vector<student*>& found) {
        std::vector<std::string> out;
        for (const student* st : found) out.push_back(st->name);
        return out;
    };
    EXPECT_EQ(
        names(s.query<student>()
                  .where(col(&student::name).like("An%") && col(&student::age).between(18, 20))
                  .all()),
        std::vector<std::string>{"Ann"});
    EXPECT_EQ(names(s.query<student>().where(col(&student::name).ilike("B%")).all()),
              std::vector<std::string>{"bob"});
    EXPECT_EQ(names(s.query<student>().where(col(&student::name) == col(&student::lastname)).all()),
              std::vector<std::string>{"Andy"});
    EXPECT_EQ(s.query<student>().where(col(&student::name).like("a%")).count(), 0);
}

} // namespace
} // namespace tabella::testing
