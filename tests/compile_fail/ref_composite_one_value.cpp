// A ref to a composite key made from one value.
// expect: takes one value per key column
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

tabella::ref<line> misuse() {
    return tabella::ref<line>(std::int64_t{7});
}
