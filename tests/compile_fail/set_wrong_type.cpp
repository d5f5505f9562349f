// A bulk update's set() with a value of another type than the member's.
// expect: set(&T::member, v) takes a value of the member's type
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::int64_t, id), (double, price), (std::string, title));
};
template <>
struct tabella::table_traits<book> {
    static constexpr std::string_view name = "books";
};

auto misuse() {
    return tabella::set(&book::title, 3.5);
}
