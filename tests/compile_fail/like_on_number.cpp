// like() on a column that does not hold text.
// expect: like() is for columns of text
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::int64_t, id), (double, price));
};
template <>
struct tabella::table_traits<book> {
    static constexpr std::string_view name = "books";
};

tabella::condition misuse() {
    return tabella::col(&book::price).like("1%");
}
