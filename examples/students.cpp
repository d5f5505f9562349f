// The classic SQLAlchemy Core tutorial, in C++: students in college.db.
// Usage: students [URL]   (default: sqlite:///college.db)
#include <tabella/tabella.hpp>

#include <iostream>

int main(int argc, char** argv) try {
    using enum tabella::column_type;
    const char* url = argc > 1 ? argv[1] : "sqlite:///college.db";
    auto engine = tabella::create_engine(url, {.echo = true});

    tabella::metadata meta;
    const auto& students =
        meta.add_table("students", {
                                       tabella::column("id", integer).primary_key(),
                                       tabella::column("name", string),
                                       tabella::column("lastname", string),
                                   });
    meta.drop_all(engine); // start from an empty table on every run
    meta.create_all(engine);

    auto conn = engine.connect();

    auto result =
        conn.execute(students.insert().values({{"name", "Bob"}, {"lastname", "Chrismansyah"}}));
    std::cout << "inserted_primary_key: " << result.inserted_primary_key() << "\n";

    result = conn.execute(students.insert(), {
                                                 {{"name", "Rajiv"}, {"lastname", "Khanna"}},
                                                 {{"name", "Komal"}, {"lastname", "Bhandari"}},
                                                 {{"name", "Abdul"}, {"lastname", "Sattar"}},
                                                 {{"name", "Priya"}, {"lastname", "Rajhans"}},
                                             });
    std::cout << "executemany keys:";
    for (const auto& key : result.inserted_primary_key_rows()) std::cout << ' ' << key;
    std::cout << "\n";

    result = conn.execute(students.insert().values(std::vector<tabella::param_set>{
        {{"name", "Ravi"}, {"lastname", "Kapoor"}},
        {{"name", "Anita"}, {"lastname", "Desai"}},
        {{"name", "Gopal"}, {"lastname", "Varma"}},
    }));
    std::cout << "multi-VALUES rows inserted: " << result.rowcount() << "\n";

    for (const auto& row : conn.execute(students.select().order_by(students.c("id"))))
        std::cout << row.get<std::int64_t>("id") << " " << row.get<std::string>("name") << " "
                  << row.get<std::string>("lastname") << "\n";
    return 0;
} catch (const tabella::error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
}
