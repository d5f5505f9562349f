// A member type tabella cannot store: the error names the struct and the member.
// expect: has a type tabella cannot store
// expect: bad_student
// expect: "score"
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct bad_student {
    BOOST_HANA_DEFINE_STRUCT(bad_student, (std::optional<std::int64_t>, id), (float, score));
};
template <>
struct tabella::table_traits<bad_student> {
    static constexpr std::string_view name = "bad_students";
};

void misuse(tabella::engine& eng) {
    tabella::create_all<bad_student>(eng);
}
