// A struct without a primary-key member.
// expect: has no primary-key member
// expect: keyless
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct keyless {
    BOOST_HANA_DEFINE_STRUCT(keyless, (std::string, name));
};
template <>
struct tabella::table_traits<keyless> {
    static constexpr std::string_view name = "keyless";
};

void misuse(tabella::session& s) {
    s.add(keyless{"x"});
}
