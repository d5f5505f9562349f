// session::add takes ownership: an lvalue would leave the caller a copy the session
// never sees.
// expect: session::add takes ownership of the object
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
    pupil p{std::nullopt, "x"};
    s.add(p);
}
