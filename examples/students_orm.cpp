// The ORM quickstart: plain structs in, batched inserts out, every key written back.
// Usage: students_orm [URL]   (default: sqlite:///college_orm.db)
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <iostream>

struct student {
    BOOST_HANA_DEFINE_STRUCT(student, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::string, lastname), (std::optional<int>, age));
};

template <>
struct tabella::table_traits<student> {
    static constexpr std::string_view name = "students";
};

int main(int argc, char** argv) try {
    auto engine = tabella::create_engine(argc > 1 ? argv[1] : "sqlite:///college_orm.db");
    tabella::drop_all<student>(engine);
    tabella::create_all<student>(engine);

    tabella::session session(engine);
    student& bob = session.add(student{std::nullopt, "Bob", "Chrismansyah", 21});
    std::vector<student> many;
    for (int i = 0; i < 10000; ++i)
        many.push_back(
            {std::nullopt, "name" + std::to_string(i), "last" + std::to_string(i), i % 90});
    std::span<student> added = session.add_all(std::move(many));
    session.commit(); // a handful of multi-row INSERTs; every id is set
    std::cout << "bob.id = " << *bob.id << ", first of many = " << *added.front().id
              << ", last of many = " << *added.back().id << "\n";

    std::vector<student*> adults = session.query<student>()
                                       .where(tabella::col(&student::age) >= 18)
                                       .order_by(&student::name)
                                       .limit(3)
                                       .all();
    for (const student* s : adults) std::cout << *s->id << " " << s->name << " " << *s->age << "\n";

    student* s = session.get<student>(*bob.id); // the same object: identity map
    s->lastname = "Langau";                     // flushed as an UPDATE of that column
    session.remove(added[0]);                   // flushed as a DELETE
    session.commit();
    std::cout << "bob is now " << s->name << " " << s->lastname << "\n";
    return 0;
} catch (const tabella::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
}
