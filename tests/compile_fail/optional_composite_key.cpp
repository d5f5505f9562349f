// A composite primary key with a member the database would generate.
// expect: every member of a composite primary key is set by the program
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct visit {
    BOOST_HANA_DEFINE_STRUCT(visit, (std::optional<std::int64_t>, id), (std::int64_t, day));
};
template <>
struct tabella::table_traits<visit> {
    static constexpr std::string_view name = "visits";
    static constexpr std::array<std::string_view, 2> primary_key = {"id", "day"};
};

void misuse(tabella::session& s) {
    s.add(visit{std::nullopt, 1});
}
