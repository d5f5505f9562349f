// A struct without table_traits.
// expect: specialize tabella::table_traits
// expect: untabled
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct untabled {
    BOOST_HANA_DEFINE_STRUCT(untabled, (std::optional<std::int64_t>, id));
};

void misuse(tabella::session& s) {
    (void)s.get<untabled>(1);
}
