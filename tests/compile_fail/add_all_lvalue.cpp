// session::add_all takes ownership of the vector.
// expect: session::add_all takes ownership of the objects
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct pupil {
    BOOST_HANA_DEFINE_STRUCT(pupil, (std::optional<std::int64_t>, id), (std::string, name));
};
template <>
struct tabella::table_traits<pupil> {
    static constexpr std::string_view name = "pupils";
};

void misuse(tabella::session& s) {
    std::vector<pupil> v(3);
    s.add_all(v);
}
