// session::get with fewer values than the composite key has columns.
// expect: takes one value per primary-key column
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct line {
    BOOST_HANA_DEFINE_STRUCT(line, (std::int64_t, order_id), (int, line_no));
};
template <>
struct tabella::table_traits<line> {
    static constexpr std::string_view name = "lines";
    static constexpr std::array<std::string_view, 2> primary_key = {"order_id", "line_no"};
};

line* misuse(tabella::session& s) {
    return s.get<line>(std::int64_t{1});
}
