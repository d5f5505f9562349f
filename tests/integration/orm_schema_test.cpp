// create_all / drop_all of mapped structs (issue 12): an index on every ref<P> column,
// table_traits<T>::indexes and unique_constraints, and two structs that reference each other.
#include "../support/correctness_fixture.hpp"

#include <set>

namespace tabella::testing {
namespace {

// A cycle: emp refers to dept while dept is still incomplete, and dept refers back.
struct dept;
struct emp {
    BOOST_HANA_DEFINE_STRUCT(emp, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::optional<tabella::ref<dept>>, dept_id));
};
struct dept {
    BOOST_HANA_DEFINE_STRUCT(dept, (std::optional<std::int64_t>, id), (std::string, name),
                             (std::optional<tabella::ref<emp, tabella::on_delete::set_null>>,
                              manager_id));
};

// A parent with a composite key, and a child that indexes members by name.
struct shelf {
    BOOST_HANA_DEFINE_STRUCT(shelf, (int, aisle), (int, number), (std::string, label));
};
struct volume {
    BOOST_HANA_DEFINE_STRUCT(volume, (std::optional<std::int64_t>, id), (ref<shelf>, place),
                             (std::string, title), (std::string, isbn), (int, year),
                             (std::optional<ref<emp>>, lent_to));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::emp> {
    static constexpr std::string_view name = "emp";
};
template <>
struct tabella::table_traits<tabella::testing::dept> {
    static constexpr std::string_view name = "dept";
};
template <>
struct tabella::table_traits<tabella::testing::shelf> {
    static constexpr std::string_view name = "shelves";
    static constexpr std::array<std::string_view, 2> primary_key = {"aisle", "number"};
};
template <>
struct tabella::table_traits<tabella::testing::volume> {
    static constexpr std::string_view name = "volumes";
    static constexpr std::array indexes = {tabella::index_def{{"title", "year"}},
                                           tabella::index_def{{"place", "title"}, "ix_shelved"}};
    static constexpr std::array unique_constraints = {tabella::unique_def{{"isbn"}}};
};

namespace tabella::testing {
namespace {

template <class B>
class orm_schema : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<volume, shelf, dept, emp>(this->eng());
        create_all<emp, dept, shelf, volume>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop_all<volume, shelf, dept, emp>(this->eng());
        correctness_test<B>::TearDown();
    }
    std::set<std::string> index_names(const std::string& table) {
        std::set<std::string> out;
        auto conn = this->other();
        for (const auto& r : conn.execute_sql(backend_traits<B>::index_names_sql, {value(table)}))
            out.insert(r.template get<std::string>(0));
        return out;
    }
};
TYPED_TEST_SUITE(orm_schema, all_backends);

TYPED_TEST(orm_schema, every_ref_column_and_every_declared_index_is_created) {
    EXPECT_TRUE(this->index_names("emp").count("ix_emp_dept_id"));
    EXPECT_TRUE(this->index_names("dept").count("ix_dept_manager_id"));
    const auto volumes = this->index_names("volumes");
    EXPECT_TRUE(volumes.count("ix_volumes_title_year"));
    EXPECT_TRUE(volumes.count("ix_shelved")) << "a ref to a composite key: all its columns";
    EXPECT_FALSE(volumes.count("ix_volumes_place_aisle_place_number")) << "ix_shelved leads";
    EXPECT_TRUE(volumes.count("ix_volumes_lent_to"));
    const auto& t = detail::mapping_of<volume>().table;
    ASSERT_EQ(t.indexes().size(), 2u);
    EXPECT_EQ(t.indexes()[1].columns,
              (std::vector<std::string>{"place_aisle", "place_number", "title"}));
    ASSERT_EQ(t.unique_constraints().size(), 1u);
    EXPECT_EQ(t.unique_constraints()[0].name, "uq_volumes_isbn");
}

TYPED_TEST(orm_schema, a_declared_unique_constraint_rejects_a_duplicate) {
    session s(this->eng());
    shelf& sh = s.add(shelf{.aisle = 1, .number = 1, .label = "novels"});
    s.add(volume{.place = ref<shelf>(sh), .title = "One", .isbn = "111", .year = 2001});
    s.commit();
    s.add(volume{.place = ref<shelf>(sh), .title = "Two", .isbn = "111", .year = 2002});
    EXPECT_THROW(s.flush(), unique_violation);
    EXPECT_EQ(this->count("volumes"), 1);
}

TYPED_TEST(orm_schema, two_structs_that_reference_each_other_are_created_and_dropped) {
    create_all<emp, dept, shelf, volume>(this->eng()); // again: nothing to do
    this->exec({"INSERT INTO dept (id, name) VALUES (1, 'research')",
                "INSERT INTO emp (id, name, dept_id) VALUES (7, 'Ann', 1)",
                "UPDATE dept SET manager_id = 7 WHERE id = 1"});
    EXPECT_EQ(this->count("dept", "manager_id = 7"), 1);
    EXPECT_THROW(this->exec({"INSERT INTO dept (id, name, manager_id) VALUES (2, 'x', 99)"}),
                 foreign_key_violation)
        << "dept's foreign key, added after emp existed";
    this->exec({"DELETE FROM emp WHERE id = 7"});
    EXPECT_EQ(this->count("dept", "manager_id IS NULL"), 1) << "ON DELETE SET NULL";
    this->exec({"INSERT INTO emp (id, name, dept_id) VALUES (8, 'Bo', 1)",
                "UPDATE dept SET manager_id = 8 WHERE id = 1"});
    drop_all<volume, shelf, dept, emp>(this->eng()); // rows that reference each other
    create_all<emp, dept, shelf, volume>(this->eng());
    EXPECT_EQ(this->count("dept"), 0);
    EXPECT_EQ(this->count("emp"), 0);
}

} // namespace
} // namespace tabella::testing
