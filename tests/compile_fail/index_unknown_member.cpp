// table_traits<T>::indexes naming a member the struct does not have.
// expect: table_traits<T>::indexes or unique_constraints names a member the struct does not have
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct ticket {
    BOOST_HANA_DEFINE_STRUCT(ticket, (std::int64_t, id), (std::string, title));
};
template <>
struct tabella::table_traits<ticket> {
    static constexpr std::string_view name = "tickets";
    static constexpr std::array indexes = {tabella::index_def{{"titel"}}};
};

void misuse(tabella::session& s) {
    s.add(ticket{1, "x"});
}
