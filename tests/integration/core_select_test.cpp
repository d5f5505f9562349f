// Core SELECT behaviour: where, order_by, limit/offset, typed access, scalar.
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_select : public college_test<B> {
  protected:
    void SetUp() override {
        college_test<B>::SetUp();
        if (this->url_.empty()) return;
        auto conn = this->eng().connect();
        conn.execute(this->students().insert(),
                     {{{"name", "Ann"}, {"lastname", "Ng"}, {"age", 20}, {"score", 3.5}},
                      {{"name", "Bob"}, {"lastname", nullptr}, {"age", 17}, {"score", 2.0}},
                      {{"name", "Cid"}, {"lastname", "Oh"}, {"age", nullptr}, {"score", 4.0}},
                      {{"name", "Dee"}, {"lastname", "Po"}, {"age", 30}, {"score", 1.0}}});
    }
    std::vector<std::string> names(const select_statement& s) {
        std::vector<std::string> out;
        for (const auto& r : this->eng().connect().execute(s))
            out.push_back(r.template get<std::string>("name"));
        return out;
    }
};
TYPED_TEST_SUITE(core_select, all_backends);

using names_t = std::vector<std::string>;

TYPED_TEST(core_select, where_comparisons_and_boolean_combinations) {
    const auto& s = this->students();
    const auto by_name = s.c("name").asc();
    EXPECT_EQ(this->names(s.select().where(s.c("age") >= 18).order_by(by_name)),
              (names_t{"Ann", "Dee"}));
    EXPECT_EQ(
        this->names(s.select().where(s.c("age") < 18 || s.c("score") > 3.9).order_by(by_name)),
        (names_t{"Bob", "Cid"}));
    EXPECT_EQ(
        this->names(s.select().where(s.c("age") > 10 && s.c("score") != 2.0).order_by(by_name)),
        (names_t{"Ann", "Dee"}));
    EXPECT_EQ(
        this->names(
            s.select().where(!(s.c("name") == "Ann")).where(s.c("age") <= 20).order_by(by_name)),
        (names_t{"Bob"}));
}

TYPED_TEST(core_select, is_null_and_in) {
    const auto& s = this->students();
    EXPECT_EQ(this->names(s.select().where(s.c("lastname").is_null())), (names_t{"Bob"}));
    EXPECT_EQ(this->names(s.select().where(s.c("age") == nullptr)), (names_t{"Cid"}));
    EXPECT_EQ(this->names(s.select().where(s.c("age").is_not_null()).order_by(s.c("age").desc())),
              (names_t{"Dee", "Ann", "Bob"}));
    EXPECT_EQ(
        this->names(s.select().where(s.c("name").in_({"Dee", "Ann", "Zed"})).order_by(s.c("name"))),
        (names_t{"Ann", "Dee"}));
    EXPECT_EQ(this->names(s.select().where(s.c("name").in_({}))), names_t{});
}

TYPED_TEST(core_select, order_limit_offset) {
    const auto& s = this->students();
    EXPECT_EQ(this->names(s.select().order_by(s.c("score").desc()).limit(2)),
              (names_t{"Cid", "Ann"}));
    EXPECT_EQ(this->names(s.select().order_by(s.c("name")).limit(2).offset(1)),
              (names_t{"Bob", "Cid"}));
    EXPECT_EQ(this->names(s.select().order_by(s.c("name")).offset(3)), (names_t{"Dee"}));
}

TYPED_TEST(core_select, typed_access_by_name_and_index) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    auto res = conn.execute(s.select().where(s.c("name") == "Ann"));
    ASSERT_EQ(res.size(), 1u);
    const row& ann = res[0];
    EXPECT_EQ(res.columns(), (std::vector<std::string>{"id", "name", "lastname", "age", "score"}));
    EXPECT_EQ(ann.template get<std::string>(1), "Ann");
    EXPECT_EQ(ann.template get<int>("age"), 20);
    EXPECT_EQ(ann.template get<std::int64_t>(3), 20);
    EXPECT_DOUBLE_EQ(ann.template get<double>("score"), 3.5);
    EXPECT_EQ(ann.template get<std::optional<std::string>>("lastname"), "Ng");
    EXPECT_THROW((void)ann.template get<int>("name"), conversion_error);
    EXPECT_THROW((void)ann.template get<std::string>("age"), conversion_error);
    EXPECT_THROW((void)ann["nope"], usage_error);
    EXPECT_THROW((void)ann[9], usage_error);
    auto bob = conn.execute(s.select().where(s.c("name") == "Bob")).one();
    EXPECT_THROW((void)bob.template get<std::string>("lastname"), conversion_error); // NULL
}

TYPED_TEST(core_select, scalar_one_first) {
    auto conn = this->eng().connect();
    const auto& s = this->students();
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM students").template scalar<std::int64_t>(), 4);
    EXPECT_EQ(conn.execute(s.select().columns({"name"}).where(s.c("age") == 30)).scalar(),
              value("Dee"));
    EXPECT_THROW((void)conn.execute(s.select()).one(), usage_error);
    auto none = conn.execute(s.select().where(s.c("age") > 100));
    EXPECT_FALSE(none.first().has_value());
    EXPECT_THROW((void)none.scalar(), usage_error);
}

} // namespace
} // namespace tabella::testing

namespace tabella::testing {
namespace {

TYPED_TEST(core_select, like_ilike_between_and_column_against_column) {
    const auto& s = this->students();
    const auto by_name = s.c("name").asc();
    EXPECT_EQ(this->names(s.select().where(s.c("name").like("_e%")).order_by(by_name)),
              (names_t{"Dee"}));
    EXPECT_EQ(this->names(s.select().where(s.c("name").like("d%"))), names_t{})
        << "like is case-sensitive on every database";
    EXPECT_EQ(this->names(s.select().where(s.c("name").ilike("d%"))), (names_t{"Dee"}));
    EXPECT_EQ(this->names(s.select().where(s.c("name").ilike("%I%")).order_by(by_name)),
              (names_t{"Cid"}));
    EXPECT_EQ(this->names(s.select().where(s.c("age").between(17, 20)).order_by(by_name)),
              (names_t{"Ann", "Bob"}));
    EXPECT_EQ(this->names(s.select().where(s.c("age") > s.c("score")).order_by(by_name)),
              (names_t{"Ann", "Bob", "Dee"}))
        << "a column against a column; NULL compares as nothing";
    EXPECT_EQ(this->names(s.select().where(s.c("name").like("%'%"))), names_t{})
        << "the pattern is bound";
}

} // namespace
} // namespace tabella::testing
