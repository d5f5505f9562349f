// table_traits<T>::key_sequence on a key the program assigns (a plain std::int64_t).
// expect: key_sequence draws a key the database generates from a named sequence
// expect: std::optional<std::int64_t>
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct ticket {
    BOOST_HANA_DEFINE_STRUCT(ticket, (std::int64_t, id), (std::string, title));
};
template <>
struct tabella::table_traits<ticket> {
    static constexpr std::string_view name = "tickets";
    static constexpr std::string_view key_sequence = "ticket_ids";
};

void misuse(tabella::session& s) {
    s.add(ticket{1, "x"});
}
