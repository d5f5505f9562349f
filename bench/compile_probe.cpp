// The compile-time probe: one translation unit that maps three structs, flushes a session
// and runs a query, as a typical user file does. scripts/bench times compiling it.
#include <tabella/engine.hpp>
#include <tabella/session.hpp>

#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace probe {

struct author {
    BOOST_HANA_DEFINE_STRUCT(author, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::optional<int>, born));
};

struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::optional<std::int64_t>, id), (std::int64_t, author_id),
                             (std::string, title), (int, pages), (double, price));
};

struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (std::optional<std::int64_t>, id), (std::int64_t, book_id),
                             (int, stars), (std::optional<std::string>, text));
};

} // namespace probe

template <>
struct tabella::table_traits<probe::author> {
    static constexpr std::string_view name = "authors";
};
template <>
struct tabella::table_traits<probe::book> {
    static constexpr std::string_view name = "books";
};
template <>
struct tabella::table_traits<probe::review> {
    static constexpr std::string_view name = "reviews";
};

/// Writes an author, her books and their reviews, and returns how many long books she has.
std::size_t compile_probe(tabella::engine& eng) {
    using namespace probe;
    tabella::create_all<author, book, review>(eng);
    tabella::session s(eng);
    author& a = s.add(author{.id = std::nullopt, .name = "Ursula", .born = 1929});
    s.flush();
    auto books = s.add_all(std::vector<book>{
        {.id = std::nullopt, .author_id = *a.id, .title = "Earthsea", .pages = 183, .price = 9.5},
        {.id = std::nullopt, .author_id = *a.id, .title = "Lathe", .pages = 184, .price = 8.0}});
    s.flush();
    std::vector<review> reviews;
    for (const book& b : books)
        reviews.push_back({.id = std::nullopt, .book_id = *b.id, .stars = 5, .text = "yes"});
    s.add_all(std::move(reviews));
    s.commit();
    return s.query<book>()
        .where(tabella::col(&book::author_id) == *a.id && tabella::col(&book::pages) > 100)
        .order_by(&book::title)
        .all()
        .size();
}
