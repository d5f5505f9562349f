// Core expressions (issue 13): select({...}).select_from() with aggregates, GROUP BY,
// HAVING and DISTINCT; functions and arithmetic; IN and EXISTS with subqueries; NULLs
// placed in ORDER BY; UPDATE ... SET column = expression.
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_query : public college_test<B> {
  protected:
    void SetUp() override {
        college_test<B>::SetUp();
        if (this->url_.empty()) return;
        this->eng().connect().execute(
            this->students().insert(),
            {{{"name", "Ann"}, {"lastname", "Ng"}, {"age", 20}, {"score", 3.5}},
             {{"name", "Bob"}, {"lastname", nullptr}, {"age", 17}, {"score", 2.0}},
             {{"name", "Cid"}, {"lastname", "Ng"}, {"age", nullptr}, {"score", 4.0}},
             {{"name", "Dee"}, {"lastname", "Po"}, {"age", 30}, {"score", 1.0}},
             {{"name", "Eve"}, {"lastname", "Ng"}, {"age", 22}, {"score", 2.5}}});
    }
    std::vector<std::string> names(const select_statement& q) {
        std::vector<std::string> out;
        for (const auto& r : this->eng().connect().execute(q))
            out.push_back(r.template get<std::string>(0));
        return out;
    }
};
TYPED_TEST_SUITE(core_query, all_backends);

using names_t = std::vector<std::string>;

TYPED_TEST(core_query, group_by_with_count_sum_and_having) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    const auto res = conn.execute(
        tabella::select({s.c("lastname"), tabella::count(), tabella::sum(s.c("age")).label("ages")})
            .select_from(s)
            .group_by(s.c("lastname"))
            .having(tabella::count() > 1));
    ASSERT_EQ(res.size(), 1u);
    EXPECT_EQ(res[0].template get<std::string>(0), "Ng");
    EXPECT_EQ(res[0].template get<std::int64_t>(1), 3);
    EXPECT_EQ(res[0].template get<std::int64_t>("ages"), 42) << "SUM skips the NULL age";
    EXPECT_EQ(
        conn.execute(tabella::select({tabella::count()}).select_from(s)).template scalar<int>(), 5);
    const auto stats =
        conn.execute(tabella::select({tabella::min(s.c("score")), tabella::max(s.c("score")),
                                      tabella::avg(s.c("score")), tabella::count(s.c("age"))})
                         .select_from(s))
            .one();
    EXPECT_DOUBLE_EQ(stats.template get<double>(0), 1.0);
    EXPECT_DOUBLE_EQ(stats.template get<double>(1), 4.0);
    EXPECT_DOUBLE_EQ(stats.template get<double>(2), 2.6);
    EXPECT_EQ(stats.template get<std::int64_t>(3), 4) << "COUNT(x) skips NULLs";
    EXPECT_EQ(conn.execute(tabella::select({tabella::count(tabella::distinct(s.c("lastname")))}))
                  .template scalar<int>(),
              2)
        << "FROM is the table of the first column named";
}

TYPED_TEST(core_query, distinct_functions_and_arithmetic) {
    const auto& s = this->students();
    EXPECT_EQ(this->names(tabella::select({s.c("lastname")})
                              .distinct()
                              .where(s.c("lastname").is_not_null())
                              .order_by(s.c("lastname"))),
              (names_t{"Ng", "Po"}));
    EXPECT_EQ(this->names(tabella::select({tabella::upper(s.c("name"))})
                              .where(tabella::lower(s.c("name")) == "bob")),
              (names_t{"BOB"}));
    EXPECT_EQ(this->names(
                  tabella::select({tabella::coalesce(s.c("lastname"), "?")}).order_by(s.c("name"))),
              (names_t{"Ng", "?", "Ng", "Po", "Ng"}));
    auto conn = this->eng().connect();
    const auto r = conn.execute(tabella::select({s.c("age") * 2 + 1, s.c("score") - s.c("age"),
                                                 tabella::literal(7) - s.c("age")})
                                    .where(s.c("name") == "Ann"))
                       .one();
    EXPECT_EQ(r.template get<std::int64_t>(0), 41);
    EXPECT_DOUBLE_EQ(r.template get<double>(1), -16.5);
    EXPECT_EQ(r.template get<std::int64_t>(2), -13);
    EXPECT_EQ(this->names(tabella::select({s.c("name")}).where(s.c("age") + 3 > 25)),
              (names_t{"Dee"}));
}

TYPED_TEST(core_query, in_and_exists_take_subqueries) {
    const auto& s = this->students();
    metadata extra;
    extra.add_table("grades", {column("student_name", column_type::string),
                               column("grade", column_type::integer)});
    const auto& g = extra.get_table("grades");
    extra.drop_all(this->eng());
    extra.create_all(this->eng());
    auto conn = this->eng().connect();
    conn.execute(g.insert(), {{{"student_name", "Ann"}, {"grade", 1}},
                              {{"student_name", "Dee"}, {"grade", 5}},
                              {{"student_name", "Dee"}, {"grade", 2}}});
    EXPECT_EQ(this->names(tabella::select({s.c("name")})
                              .where(s.c("name").in_(
                                  tabella::select({g.c("student_name")}).where(g.c("grade") < 3)))
                              .order_by(s.c("name"))),
              (names_t{"Ann", "Dee"}));
    EXPECT_EQ(
        this->names(tabella::select({s.c("name")})
                        .where(!tabella::exists(
                            tabella::select({g.c("grade")})
                                .where(g.c("student_name") == s.c("name") && g.c("grade") > 4)))
                        .where(s.c("age") > 18)
                        .order_by(s.c("name"))),
        (names_t{"Ann", "Eve"}))
        << "a correlated NOT EXISTS, its parameters numbered before the outer query's";
    extra.drop_all(this->eng());
}

TYPED_TEST(core_query, nulls_first_and_last_are_the_same_on_every_database) {
    const auto& s = this->students();
    EXPECT_EQ(this->names(tabella::select({s.c("name")}).order_by(s.c("age").asc().nulls_first())),
              (names_t{"Cid", "Bob", "Ann", "Eve", "Dee"}));
    EXPECT_EQ(this->names(tabella::select({s.c("name")}).order_by(s.c("age").desc().nulls_last())),
              (names_t{"Dee", "Eve", "Ann", "Bob", "Cid"}));
    EXPECT_EQ(this->names(tabella::select({s.c("name")}).order_by(s.c("age").desc().nulls_first())),
              (names_t{"Cid", "Dee", "Eve", "Ann", "Bob"}));
    EXPECT_EQ(
        this->names(tabella::select({s.c("name")}).order_by((s.c("score") * -1).asc()).limit(2)),
        (names_t{"Cid", "Ann"}))
        << "ORDER BY an expression";
}

TYPED_TEST(core_query, update_sets_columns_from_expressions) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    const auto res = conn.execute(s.update()
                                      .where(s.c("age").is_not_null())
                                      .set("age", s.c("age") + 1)
                                      .values({{"lastname", "X"}}));
    EXPECT_EQ(res.rowcount(), 4);
    const auto ann = conn.execute(s.select().where(s.c("name") == "Ann")).one();
    EXPECT_EQ(ann.template get<int>("age"), 21);
    EXPECT_EQ(ann.template get<std::string>("lastname"), "X");
    EXPECT_EQ(conn.execute(s.select().where(s.c("name") == "Cid"))
                  .one()
                  .template get<std::string>("lastname"),
              "Ng");
    EXPECT_THROW((void)s.update().set("nope", s.c("age")), usage_error);
}

TYPED_TEST(core_query, a_select_without_from_is_refused_where_it_needs_one) {
    EXPECT_THROW((void)tabella::select({}), usage_error);
    EXPECT_THROW((void)tabella::select({tabella::literal(1)}).target(), usage_error);
    const auto& s = this->students();
    EXPECT_THROW((void)this->eng().connect().execute(
                     tabella::select({tabella::literal(1)}).join(s, s.c("id") == 1)),
                 usage_error);
}

} // namespace
} // namespace tabella::testing
