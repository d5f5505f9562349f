// Core UPDATE and DELETE by criteria (issue 13): rows changed counted, RETURNING where the
// database has it, every value bound.
#include "../support/college.hpp"

#include <algorithm>

namespace tabella::testing {
namespace {

template <class B>
class core_write : public college_test<B> {
  protected:
    void SetUp() override {
        college_test<B>::SetUp();
        if (this->url_.empty()) return;
        auto conn = this->eng().connect();
        conn.execute(this->students().insert(),
                     {{{"name", "Ann"}, {"lastname", "Ng"}, {"age", 20}, {"score", 3.5}},
                      {{"name", "Bob"}, {"lastname", nullptr}, {"age", 17}, {"score", 2.0}},
                      {{"name", "Cid"}, {"lastname", nullptr}, {"age", nullptr}, {"score", 4.0}},
                      {{"name", "Dee"}, {"lastname", "Po"}, {"age", 30}, {"score", 1.0}}});
    }
    std::vector<std::string> names(const condition& where) {
        const auto& s = this->students();
        std::vector<std::string> out;
        for (const auto& r :
             this->eng().connect().execute(s.select().where(where).order_by(s.c("name"))))
            out.push_back(r.template get<std::string>("name"));
        return out;
    }
};
TYPED_TEST_SUITE(core_write, all_backends);

using names_t = std::vector<std::string>;

TYPED_TEST(core_write, update_sets_the_rows_the_condition_selects) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    auto r = conn.execute(s.update().where(s.c("name") == "Bob").values({{"name", "Robert"}}));
    EXPECT_EQ(r.rowcount(), 1);
    EXPECT_EQ(this->names(s.c("age") == 17), names_t{"Robert"});
    r = conn.execute(s.update()
                         .where(s.c("lastname").is_null())
                         .values({{"lastname", "Unknown"}, {"score", 0.0}}));
    EXPECT_EQ(r.rowcount(), 2);
    EXPECT_EQ(this->names(s.c("lastname") == "Unknown" && s.c("score") == 0.0),
              (names_t{"Cid", "Robert"}));
    EXPECT_EQ(conn.execute(s.update().where(s.c("age") > 100).values({{"age", 1}})).rowcount(), 0);
    EXPECT_EQ(this->names(s.c("name") == "Ann' OR 1=1 --"), names_t{}) << "values are bound";
}

TYPED_TEST(core_write, delete_removes_the_rows_the_condition_selects_and_returns_them) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    auto r = conn.execute(s.delete_().where(s.c("lastname").is_null()).returning({"name"}));
    EXPECT_EQ(r.rowcount(), 2);
    names_t returned;
    for (const auto& row : r) returned.push_back(row.template get<std::string>(0));
    std::sort(returned.begin(), returned.end());
    EXPECT_EQ(returned, (names_t{"Bob", "Cid"}));
    EXPECT_EQ(this->count_students(), 2);
    EXPECT_EQ(conn.execute(s.delete_()).rowcount(), 2) << "no condition: every row";
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_write, update_returning_where_the_database_has_it) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    auto stmt = s.update().where(s.c("age") >= 20).values({{"score", 5.0}}).returning({"name"});
    if (!conn.dialect().returns_from_update()) {
        EXPECT_THROW((void)conn.execute(stmt), usage_error);
        EXPECT_EQ(this->names(s.c("score") == 5.0), names_t{}) << "nothing was sent";
        return;
    }
    const auto r = conn.execute(stmt);
    names_t returned;
    for (const auto& row : r) returned.push_back(row.template get<std::string>("name"));
    std::sort(returned.begin(), returned.end());
    EXPECT_EQ(returned, (names_t{"Ann", "Dee"}));
    EXPECT_EQ(this->names(s.c("score") == 5.0), (names_t{"Ann", "Dee"}));
}

TYPED_TEST(core_write, a_value_that_does_not_fit_is_refused_before_anything_is_sent) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    this->echo_lines_.clear();
    EXPECT_THROW((void)conn.execute(s.update().values({{"age", "thirty"}})), conversion_error);
    EXPECT_TRUE(this->echo_lines_.empty());
    EXPECT_EQ(this->names(s.c("age") == 20), names_t{"Ann"});
}

} // namespace
} // namespace tabella::testing

namespace tabella::testing {
namespace {

TYPED_TEST(core_write, upserts_skip_or_update_conflicting_rows_one_or_many_at_a_time) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    const auto ann =
        conn.execute(s.select().where(s.c("name") == "Ann")).one().template get<std::int64_t>("id");
    // One row: skipped on conflict, then updated.
    conn.execute(s.insert()
                     .values({{"id", ann}, {"name", "Ann2"}, {"lastname", "X"}})
                     .on_conflict_do_nothing({"id"}));
    EXPECT_EQ(this->names(s.c("id") == ann), names_t{"Ann"}) << "skipped";
    conn.execute(s.insert()
                     .values({{"id", ann}, {"name", "Anne"}, {"lastname", "X"}})
                     .on_conflict_do_update({"id"}, {"name"}));
    EXPECT_EQ(this->names(s.c("id") == ann), names_t{"Anne"});
    EXPECT_EQ(this->names(s.c("lastname") == "X"), names_t{}) << "only the columns named";
    // Many rows in one multi-VALUES statement: one conflicting, one new.
    conn.execute(
        s.insert()
            .values(std::vector<param_set>{{{"id", ann}, {"name", "Annie"}, {"score", 9.0}},
                                           {{"id", ann + 100}, {"name", "Eve"}, {"score", 9.0}}})
            .on_conflict_do_update({"id"}, {"name", "score"}));
    EXPECT_EQ(this->names(s.c("score") == 9.0), (names_t{"Annie", "Eve"}));
    EXPECT_EQ(this->count_students(), 5);
    // executemany with skipping: nothing changes for the conflicting rows.
    conn.execute(s.insert().on_conflict_do_nothing({"id"}),
                 {{{"id", ann}, {"name", "ignored"}}, {{"id", ann + 101}, {"name", "Fay"}}});
    EXPECT_EQ(this->names(s.c("name") == "ignored"), names_t{});
    EXPECT_EQ(this->count_students(), 6);
}

} // namespace
} // namespace tabella::testing
