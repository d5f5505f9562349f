// A primary-key member of a type that cannot be a key (a double).
// expect: has a type tabella cannot use as a key
// expect: reading
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct sensor {
    BOOST_HANA_DEFINE_STRUCT(sensor, (double, reading), (std::string, name));
};
template <>
struct tabella::table_traits<sensor> {
    static constexpr std::string_view name = "sensors";
    static constexpr std::string_view primary_key = "reading";
};

void misuse(tabella::session& s) {
    s.add(sensor{1.5, "x"});
}
