// A numeric member's column compared with a string.
// expect: col(&T::member) compared with a value of another type
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::int64_t, id), (double, price), (std::string, title));
};
template <>
struct tabella::table_traits<book> {
    static constexpr std::string_view name = "books";
};

tabella::condition misuse() {
    return tabella::col(&book::price) == "x";
}
