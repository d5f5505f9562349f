// A ref to a composite key used as part of a primary key.
// expect: in a primary key must refer to a struct with a one-column key
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct line {
    BOOST_HANA_DEFINE_STRUCT(line, (std::int64_t, order_id), (int, line_no));
};
struct note {
    BOOST_HANA_DEFINE_STRUCT(note, (tabella::ref<line>, line), (std::string, text));
};
template <>
struct tabella::table_traits<line> {
    static constexpr std::string_view name = "lines";
    static constexpr std::array<std::string_view, 2> primary_key = {"order_id", "line_no"};
};
template <>
struct tabella::table_traits<note> {
    static constexpr std::string_view name = "notes";
    static constexpr std::string_view primary_key = "line";
};

note* misuse(tabella::session& s) {
    return s.get<note>(std::int64_t{1});
}
