// col() of a ref to a composite key, which is several columns.
// expect: col() names one column
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct line {
    BOOST_HANA_DEFINE_STRUCT(line, (std::int64_t, order_id), (int, line_no));
};
struct parcel {
    BOOST_HANA_DEFINE_STRUCT(parcel, (std::int64_t, id), (tabella::ref<line>, line));
};
template <>
struct tabella::table_traits<line> {
    static constexpr std::string_view name = "lines";
    static constexpr std::array<std::string_view, 2> primary_key = {"order_id", "line_no"};
};
template <>
struct tabella::table_traits<parcel> {
    static constexpr std::string_view name = "parcels";
};

tabella::column_expr misuse() {
    return tabella::col(&parcel::line);
}
