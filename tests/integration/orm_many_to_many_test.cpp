// Many to many through an association struct with two refs (issue 12), as in
// examples/students_courses.cpp: students and courses joined by enrollments, navigated
// both ways with a constant number of statements, enrollments removed with either side.
#include "../support/correctness_fixture.hpp"

#include <set>

namespace tabella::testing {

struct mm_student {
    BOOST_HANA_DEFINE_STRUCT(mm_student, (std::optional<std::int64_t>, id), (std::string, name));
};
struct mm_course {
    BOOST_HANA_DEFINE_STRUCT(mm_course, (std::optional<std::int64_t>, id), (std::string, title));
};
struct mm_enrollment {
    BOOST_HANA_DEFINE_STRUCT(mm_enrollment, (std::optional<std::int64_t>, id),
                             (tabella::ref<mm_student, tabella::on_delete::cascade>, student_id),
                             (tabella::ref<mm_course, tabella::on_delete::cascade>, course_id));
};

} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::mm_student> {
    static constexpr std::string_view name = "mm_students";
};
template <>
struct tabella::table_traits<tabella::testing::mm_course> {
    static constexpr std::string_view name = "mm_courses";
};
template <>
struct tabella::table_traits<tabella::testing::mm_enrollment> {
    static constexpr std::string_view name = "mm_enrollments";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_many_to_many : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<mm_student, mm_course, mm_enrollment>(this->eng());
        create_all<mm_student, mm_course, mm_enrollment>(this->eng());
        // 30 students; student i takes course i % 3 and, when i is even, course 3.
        session s(this->eng());
        std::vector<mm_course*> courses;
        for (int c = 0; c < 4; ++c)
            courses.push_back(&s.add(mm_course{std::nullopt, "c" + std::to_string(c)}));
        for (int i = 0; i < 30; ++i) {
            auto& st = s.add(mm_student{std::nullopt, "s" + std::to_string(i)});
            s.add(mm_enrollment{std::nullopt, st, *courses[i % 3]});
            if (i % 2 == 0) s.add(mm_enrollment{std::nullopt, st, *courses[3]});
        }
        s.commit();
        this->echo_lines_.clear();
    }
    void TearDown() override {
        if (this->engine_) drop_all<mm_student, mm_course, mm_enrollment>(this->eng());
        correctness_test<B>::TearDown();
    }
    std::size_t selects() const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [](const std::string& l) { return l.starts_with("SELECT"); }));
    }
};
TYPED_TEST_SUITE(orm_many_to_many, all_backends);

TYPED_TEST(orm_many_to_many, each_side_reaches_the_other_in_a_constant_number_of_statements) {
    session s(this->eng());
    auto students = s.query<mm_student>()
                        .order_by(&mm_student::id)
                        .load_children(&mm_enrollment::student_id)
                        .all();
    auto courses = s.query<mm_course>()
                       .order_by(&mm_course::title)
                       .load_children(&mm_enrollment::course_id)
                       .all();
    EXPECT_EQ(this->selects(), 4u) << "students, their enrollments, courses, theirs";
    ASSERT_EQ(students.size(), 30u);
    ASSERT_EQ(courses.size(), 4u);
    this->echo_lines_.clear();
    for (std::size_t i = 0; i < students.size(); ++i) {
        std::set<std::string> titles;
        for (auto* e : s.children(*students[i], &mm_enrollment::student_id)) {
            ASSERT_NE(e->course_id.get(), nullptr) << "linked by the courses' load";
            titles.insert(e->course_id.get()->title);
        }
        std::set<std::string> expected{"c" + std::to_string(i % 3)};
        if (i % 2 == 0) expected.insert("c3");
        EXPECT_EQ(titles, expected) << students[i]->name;
    }
    std::set<std::string> in_c3;
    for (auto* e : s.children(*courses[3], &mm_enrollment::course_id))
        in_c3.insert(e->student_id.get()->name);
    EXPECT_EQ(in_c3.size(), 15u);
    EXPECT_TRUE(in_c3.count("s0") && in_c3.count("s28") && !in_c3.count("s1"));
    EXPECT_EQ(this->selects(), 0u) << "navigation sends nothing after the loads";
}

TYPED_TEST(orm_many_to_many, removing_either_side_removes_its_enrollments) {
    session s(this->eng());
    auto c3 = s.query<mm_course>().where(col(&mm_course::title) == "c3").all();
    ASSERT_EQ(c3.size(), 1u);
    auto held = s.children(*c3[0], &mm_enrollment::course_id);
    ASSERT_EQ(held.size(), 15u);
    s.remove(*c3[0]);
    s.remove(*s.query<mm_student>().where(col(&mm_student::name) == "s1").all().at(0));
    s.commit();
    EXPECT_EQ(s.state_of(*held[0]), object_state::detached);
    EXPECT_EQ(this->count("mm_enrollments"), 29);
    EXPECT_EQ(this->count("mm_students"), 29);
    EXPECT_EQ(this->count("mm_courses"), 3);
}

} // namespace
} // namespace tabella::testing
