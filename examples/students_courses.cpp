// Relationships: the students of college.db (see students.cpp) take courses. A course and
// a student are joined by an enrollment, an association struct with two refs (many to
// many); each collection is loaded in one statement, whatever the number of students.
// Usage: students_courses [URL]   (default: sqlite:///college.db, after `students`)
#include <tabella/index_def.hpp>
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <iostream>

using tabella::on_delete;
using tabella::ref;

struct student {
    BOOST_HANA_DEFINE_STRUCT(student, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::string, lastname));
};
struct course {
    BOOST_HANA_DEFINE_STRUCT(course, (std::optional<std::int64_t>, id), (std::string, title));
};
/// Removing a student or a course removes its enrollments (in the session and the database).
struct enrollment {
    BOOST_HANA_DEFINE_STRUCT(enrollment, (std::optional<std::int64_t>, id),
                             (ref<student, on_delete::cascade>, student_id),
                             (ref<course, on_delete::cascade>, course_id));
};

template <>
struct tabella::table_traits<student> {
    static constexpr std::string_view name = "students";
};
template <>
struct tabella::table_traits<course> {
    static constexpr std::string_view name = "courses";
};
template <>
struct tabella::table_traits<enrollment> {
    static constexpr std::string_view name = "enrollments";
    // A student takes a course once. (Each ref column is indexed by create_all anyway.)
    static constexpr std::array unique_constraints = {
        tabella::unique_def{{"student_id", "course_id"}}};
};

namespace {

void print_timetable(tabella::session& s) {
    // Two statements: the students, then every enrollment of all of them.
    auto students =
        s.query<student>().order_by(&student::id).load_children(&enrollment::student_id).all();
    // Two more: the enrollments' courses (enrollments already held are not read again).
    (void)s.query<enrollment>().load(&enrollment::course_id).all();
    for (student* st : students) {
        std::cout << "  " << st->name << " " << st->lastname << ":";
        for (enrollment* e : s.children(*st, &enrollment::student_id)) // no query
            std::cout << " [" << e->course_id.get()->title << "]";
        std::cout << "\n";
    }
}

} // namespace

int main(int argc, char** argv) try {
    auto engine = tabella::create_engine(argc > 1 ? argv[1] : "sqlite:///college.db");
    tabella::drop_all<course, enrollment>(engine);
    tabella::create_all<student, course, enrollment>(engine); // students: kept if there

    tabella::session s(engine);
    if (s.query<student>().count() == 0) { // run alone: a few students of our own
        s.add(student{std::nullopt, "Bob", "Chrismansyah"});
        s.add(student{std::nullopt, "Rajiv", "Khanna"});
    }
    course& databases = s.add(course{std::nullopt, "Databases"});
    course& compilers = s.add(course{std::nullopt, "Compilers"});
    course& networks = s.add(course{std::nullopt, "Networks"});
    course* catalogue[] = {&databases, &compilers, &networks};
    std::size_t i = 0;
    for (student* st : s.query<student>().order_by(&student::id).all()) {
        // Refs to new objects: the flush inserts the courses first and stores their keys.
        s.add(enrollment{std::nullopt, *st, *catalogue[i % 3]});
        if (i % 2 == 0 && catalogue[i % 3] != &networks)
            s.add(enrollment{std::nullopt, *st, networks});
        ++i;
    }
    s.commit();
    std::cout << "Timetable:\n";
    print_timetable(s);

    try { // the UNIQUE constraint refuses a second enrollment in the same course
        student* first = s.query<student>().order_by(&student::id).first();
        s.add(enrollment{std::nullopt, *first, databases});
        s.commit();
    } catch (const tabella::unique_violation&) {
        std::cout << "The first student takes Databases already: unique_violation, nothing kept\n";
        s.rollback();
    }

    s.remove(networks); // cascade: its enrollments go with it
    s.commit();
    std::cout << "After Networks was cancelled:\n";
    print_timetable(s);
    return 0;
} catch (const tabella::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
}
