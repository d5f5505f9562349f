// ref<P> relationships: parents are written before children whatever the order they were
// added in, the child's row gets the parent's generated key, deletes go children first.
#include "../support/orm_fixture.hpp"

namespace tabella::testing {
namespace {

using models::course;
using models::enrollment;
using models::student;

template <class B>
class orm_relationship : public orm_test<B> {};
TYPED_TEST_SUITE(orm_relationship, all_backends);

TYPED_TEST(orm_relationship, parents_are_inserted_first_and_children_get_their_keys) {
    session s(this->eng());
    // Children first: the flush still writes students and courses before enrollments.
    std::vector<student> people = this->make_students(3);
    std::vector<enrollment> enrollments;
    auto kids = s.add_all(std::vector<enrollment>(3));
    auto parents = s.add_all(std::move(people));
    course& db = s.add(course{std::nullopt, "Databases", 6});
    for (std::size_t i = 0; i < 3; ++i) {
        kids[i].student_id = parents[i];
        kids[i].term = "2026-" + std::to_string(i);
        if (i == 0) kids[i].course_id = tabella::ref<course>(db);
    }
    s.commit();
    auto rows = this->eng().connect().execute_sql(
        "SELECT id, student_id, course_id FROM enrollments ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto key = rows[i].template get<std::int64_t>("id");
        const auto kid =
            std::find_if(kids.begin(), kids.end(), [&](auto& k) { return *k.id == key; });
        ASSERT_NE(kid, kids.end());
        EXPECT_EQ(rows[i].template get<std::int64_t>("student_id"), *kid->student_id.get()->id);
        EXPECT_EQ(kid->student_id.key(), kid->student_id.get()->id);
    }
    EXPECT_EQ(*kids[0].course_id->key(), *db.id);
    EXPECT_TRUE(rows[1]["course_id"].is_null() || rows[0]["course_id"].is_null() ||
                rows[2]["course_id"].is_null());
}

TYPED_TEST(orm_relationship, the_foreign_key_is_enforced_and_loaded_refs_carry_the_key) {
    std::int64_t student_key = 0;
    {
        session s(this->eng());
        student& bob = s.add(student{std::nullopt, "Bob", "C", 20});
        s.add(enrollment{std::nullopt, bob, std::nullopt, "fall"});
        s.commit();
        student_key = *bob.id;
    }
    session s(this->eng());
    auto loaded = s.query<enrollment>().all();
    ASSERT_EQ(loaded.size(), 1u);
    EXPECT_EQ(loaded[0]->student_id.key(), student_key);
    EXPECT_EQ(loaded[0]->student_id.get(), nullptr);
    EXPECT_FALSE(loaded[0]->course_id.has_value());
    s.add(enrollment{std::nullopt, tabella::ref<student>(student_key + 1000), std::nullopt, "x"});
    EXPECT_THROW(s.flush(), foreign_key_violation);
}

TYPED_TEST(orm_relationship, deletes_remove_children_before_parents) {
    std::int64_t bob_key = 0;
    {
        session s(this->eng());
        student& bob = s.add(student{std::nullopt, "Bob", "C", 20});
        s.add(enrollment{std::nullopt, bob, std::nullopt, "fall"});
        s.commit();
        bob_key = *bob.id;
    }
    session s(this->eng());
    auto kids = s.query<enrollment>().all(); // the child type is known to the session first
    student* bob = s.get<student>(bob_key);
    ASSERT_EQ(kids.size(), 1u);
    ASSERT_NE(bob, nullptr);
    s.remove(*bob);
    s.remove(*kids[0]);
    s.commit(); // enrollments are deleted before students, or the foreign key would refuse
    EXPECT_EQ(this->rows().size(), 0u);
    EXPECT_EQ(s.query<enrollment>().count(), 0);
}

TYPED_TEST(orm_relationship, a_ref_to_an_object_without_a_key_is_a_usage_error) {
    session s(this->eng());
    student stray{std::nullopt, "not", "added", 1}; // never given to the session
    auto& kid = s.add(enrollment{std::nullopt, stray, std::nullopt, "x"});
    EXPECT_THROW(s.flush(), usage_error);
    EXPECT_FALSE(kid.id.has_value());
}

} // namespace
} // namespace tabella::testing
