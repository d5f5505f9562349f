// create_all / drop_all of Core metadata with indexes, UNIQUE constraints and two tables that
// reference each other, on every backend; the catalog is read with raw SQL.
#include "../support/backend_traits.hpp"

#include <tabella/tabella.hpp>

#include <algorithm>
#include <set>

namespace tabella::testing {
namespace {

template <class B>
class core_schema : public backend_test<B> {
  protected:
    using traits = backend_traits<B>;

    void SetUp() override {
        backend_test<B>::SetUp();
        if (this->url_.empty()) return;
        using enum column_type;
        meta_.add_table("authors", {column("id", integer).primary_key(),
                                    column("name", string).not_null().index()});
        meta_
            .add_table("books",
                       {column("id", integer).primary_key(),
                        column("author_id", integer).not_null().references("authors", "id"),
                        column("title", string).not_null(), column("isbn", string),
                        column("year", integer)})
            .index({"title", "year"})
            .unique({"isbn", "author_id"});
        meta_
            .add_table("reviews", {column("id", integer).primary_key(),
                                   column("book_id", integer).references("books", "id"),
                                   column("reviewer", string)})
            .unique({"book_id", "reviewer"});
        // Two tables that reference each other.
        meta_.add_table("emp", {column("id", integer).primary_key(), column("name", string),
                                column("dept_id", integer).references("dept", "id")});
        meta_.add_table(
            "dept", {column("id", integer).primary_key(), column("name", string),
                     column("manager_id", integer).references("emp", "id", on_delete::set_null)});
        engine_.emplace(this->make_engine());
        meta_.drop_all(*engine_);
        meta_.create_all(*engine_);
    }
    void TearDown() override {
        if (engine_) meta_.drop_all(*engine_);
    }

    std::set<std::string> index_names(const std::string& table) {
        std::set<std::string> out;
        auto conn = engine_->connect();
        for (const auto& r : conn.execute_sql(traits::index_names_sql, {value(table)}))
            out.insert(r.template get<std::string>(0));
        return out;
    }
    void insert(const std::string& table, param_set row) {
        auto conn = engine_->connect();
        conn.execute(meta_.get_table(table).insert().values(std::move(row)));
    }
    std::int64_t count(const std::string& table) {
        auto conn = engine_->connect();
        return conn.execute_sql(conn.dialect().count_rows(table)).template scalar<std::int64_t>();
    }

    metadata meta_;
    std::optional<engine> engine_;
};
TYPED_TEST_SUITE(core_schema, all_backends);

TYPED_TEST(core_schema, create_all_makes_declared_and_foreign_key_indexes) {
    EXPECT_TRUE(this->index_names("authors").count("ix_authors_name"));
    const auto books = this->index_names("books");
    EXPECT_TRUE(books.count("ix_books_title_year")) << "declared";
    EXPECT_TRUE(books.count("ix_books_author_id")) << "the foreign key's";
    const auto reviews = this->index_names("reviews");
    EXPECT_FALSE(reviews.count("ix_reviews_book_id")) << "the UNIQUE constraint starts with it";
    EXPECT_TRUE(this->index_names("emp").count("ix_emp_dept_id"));
    EXPECT_TRUE(this->index_names("dept").count("ix_dept_manager_id"));
}

TYPED_TEST(core_schema, a_unique_constraint_rejects_a_duplicate_with_unique_violation) {
    this->insert("authors", {{"id", 1}, {"name", "Ann"}});
    this->insert("books", {{"id", 1}, {"author_id", 1}, {"title", "A"}, {"isbn", "111"}});
    this->insert("books", {{"id", 2}, {"author_id", 1}, {"title", "B"}, {"isbn", "222"}});
    EXPECT_THROW(
        this->insert("books", {{"id", 3}, {"author_id", 1}, {"title", "C"}, {"isbn", "111"}}),
        unique_violation);
    EXPECT_EQ(this->count("books"), 2);
}

TYPED_TEST(core_schema, two_tables_that_reference_each_other_hold_rows_that_do) {
    this->meta_.create_all(*this->engine_); // again: nothing to do, and no error
    this->insert("dept", {{"id", 1}, {"name", "research"}});
    this->insert("emp", {{"id", 7}, {"name", "Ann"}, {"dept_id", 1}});
    {
        auto conn = this->engine_->connect();
        const std::string_view set[] = {"manager_id"};
        conn.execute_sql(conn.dialect().update_by_key("dept", set, "id"), {value(7), value(1)});
        EXPECT_EQ(conn.execute_sql("SELECT manager_id FROM dept").template scalar<std::int64_t>(),
                  7);
    }
    // Both foreign keys are there: each rejects a row that references nothing.
    EXPECT_THROW(this->insert("dept", {{"id", 2}, {"manager_id", 99}}), foreign_key_violation);
    EXPECT_THROW(this->insert("emp", {{"id", 8}, {"dept_id", 99}}), foreign_key_violation);

    this->meta_.drop_all(*this->engine_); // with the rows that reference each other
    this->meta_.create_all(*this->engine_);
    EXPECT_EQ(this->count("dept"), 0);
    EXPECT_EQ(this->count("emp"), 0);
    EXPECT_THROW(this->insert("dept", {{"id", 2}, {"manager_id", 99}}), foreign_key_violation);
}

} // namespace
} // namespace tabella::testing
