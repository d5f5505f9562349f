// The five-column struct the load and stream benchmarks read, and where its rows live.
#pragma once

#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tabella_load {

/// Five columns, as in the insert benchmarks.
struct student {
    BOOST_HANA_DEFINE_STRUCT(student, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::string, lastname), (int, age), (double, score));
};

} // namespace tabella_load

template <>
struct tabella::table_traits<tabella_load::student> {
    static constexpr std::string_view name = "students";
};

namespace tabella_load {

/// Creates the students table at `url` and stores `rows` students in it.
inline void fill_students(const std::string& url, std::size_t rows) {
    auto eng = tabella::create_engine(url);
    tabella::create_all<student>(eng);
    tabella::session s(eng);
    std::vector<student> objs;
    objs.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i)
        objs.push_back({std::nullopt, "name" + std::to_string(i), "last" + std::to_string(i),
                        static_cast<int>(i % 90), static_cast<double>(i) * 0.5});
    s.add_all(std::move(objs));
    s.commit();
}

/// A SQLite file holding `rows` students, written once per size.
[[nodiscard]] const std::string& students_database(std::size_t rows);
/// The PostgreSQL server's URL (TABELLA_TEST_POSTGRES_DSN) with search_path set to a schema
/// of this process holding `rows` students (made at first use, dropped at exit), or ""
/// without a server or without the PostgreSQL driver.
[[nodiscard]] const std::string& postgres_database(std::size_t rows);

} // namespace tabella_load
