// Authors and books for the relationship tests (issue 12): a ref with ON DELETE CASCADE,
// a nullable self-reference with ON DELETE SET NULL, and a fixture that seeds them.
#pragma once

#include "correctness_fixture.hpp"

#include <string>
#include <vector>

namespace tabella::testing {

struct author {
    BOOST_HANA_DEFINE_STRUCT(author, (std::optional<std::int64_t>, id), (std::string, name));
};
struct book {
    BOOST_HANA_DEFINE_STRUCT(book, (std::optional<std::int64_t>, id),
                             (tabella::ref<author, tabella::on_delete::cascade>, author_id),
                             (std::optional<tabella::ref<book, tabella::on_delete::set_null>>,
                              sequel_of),
                             (std::string, title));
};
/// A book's review: restrict (the default) towards books.
struct review {
    BOOST_HANA_DEFINE_STRUCT(review, (std::optional<std::int64_t>, id),
                             (tabella::ref<book>, book_id), (std::string, text));
};

} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::author> {
    static constexpr std::string_view name = "authors";
};
template <>
struct tabella::table_traits<tabella::testing::book> {
    static constexpr std::string_view name = "books";
};
template <>
struct tabella::table_traits<tabella::testing::review> {
    static constexpr std::string_view name = "reviews";
};

namespace tabella::testing {

/// authors, books and reviews created for each test and dropped after it.
template <class B>
class navigation_test : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (this->engine_) reset_library();
    }
    void TearDown() override {
        if (this->engine_) drop_all<author, book, review>(this->eng());
        correctness_test<B>::TearDown();
    }
    void reset_library() {
        drop_all<author, book, review>(this->eng());
        create_all<author, book, review>(this->eng());
    }

    /// Commits one author per count (names a0, a1...), each with that many books titled
    /// a<i>-b<j>; returns the authors' keys.
    std::vector<std::int64_t> seed_library(std::initializer_list<int> books_per_author) {
        session s(this->eng());
        std::vector<author*> authors;
        int i = 0;
        for (const int n : books_per_author) {
            author& a = s.add(author{std::nullopt, "a" + std::to_string(i)});
            for (int j = 0; j < n; ++j)
                s.add(book{std::nullopt, a, std::nullopt,
                           "a" + std::to_string(i) + "-b" + std::to_string(j)});
            authors.push_back(&a);
            ++i;
        }
        s.commit();
        std::vector<std::int64_t> keys;
        for (const author* a : authors) keys.push_back(*a->id);
        this->echo_lines_.clear();
        return keys;
    }

    /// Commits `n` authors named w<i>, each with one book titled w<i>-book.
    void seed_authors_with_one_book_each(std::size_t n) {
        session s(this->eng());
        std::vector<author> as(n);
        for (std::size_t i = 0; i < n; ++i) as[i].name = "w" + std::to_string(i);
        auto kept = s.add_all(std::move(as));
        std::vector<book> bs(n);
        for (std::size_t i = 0; i < n; ++i) {
            bs[i].author_id = kept[i];
            bs[i].title = kept[i].name + "-book";
        }
        s.add_all(std::move(bs));
        s.commit();
        this->echo_lines_.clear();
    }

    /// Echoed SELECTs that read from `table`.
    std::size_t selects_from(std::string_view table) const {
        const std::string from = " FROM " + std::string(table);
        return static_cast<std::size_t>(std::count_if(
            this->echo_lines_.begin(), this->echo_lines_.end(), [&](const std::string& l) {
                return l.starts_with("SELECT") && l.find(from) != l.npos;
            }));
    }
    /// The echoed parameters of the first SELECT from `table`, or "".
    std::string parameters_of_select_from(std::string_view table) const {
        const std::string from = " FROM " + std::string(table);
        for (std::size_t i = 0; i + 1 < this->echo_lines_.size(); ++i)
            if (this->echo_lines_[i].starts_with("SELECT") &&
                this->echo_lines_[i].find(from) != std::string::npos)
                return this->echo_lines_[i + 1];
        return "";
    }
};

} // namespace tabella::testing
