// Core INSERT behaviour: one row, executemany, multi-VALUES, chunking, keys.
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_insert : public college_test<B> {};
TYPED_TEST_SUITE(core_insert, all_backends);

TYPED_TEST(core_insert, one_row_returns_its_generated_key) {
    auto conn = this->eng().connect();
    auto r1 = conn.execute(this->students().insert().values({{"name", "Bob"}, {"lastname", "C"}}));
    auto r2 = conn.execute(this->students().insert().values({{"name", "Ann"}}));
    EXPECT_EQ(r1.inserted_primary_key().template get<std::int64_t>(0), 1);
    EXPECT_EQ(r2.inserted_primary_key().template get<std::int64_t>("id"), 2);
    EXPECT_EQ(r1.rowcount(), 1);
    auto bob = conn.execute(this->students().select().where(this->students().c("id") == 1)).one();
    EXPECT_EQ(bob.template get<std::string>("name"), "Bob");
    EXPECT_EQ(bob.template get<std::optional<int>>("age"), std::nullopt);
}

TYPED_TEST(core_insert, one_row_with_explicit_key_reports_that_key) {
    auto conn = this->eng().connect();
    auto r = conn.execute(this->students().insert().values({{"id", 42}, {"name", "Zed"}}));
    EXPECT_EQ(r.inserted_primary_key()[0], value(42));
    EXPECT_EQ(this->count_students(), 1);
}

TYPED_TEST(core_insert, executemany_returns_each_rows_key_in_order) {
    auto conn = this->eng().connect();
    std::vector<param_set> rows;
    for (int i = 0; i < 50; ++i) rows.push_back({{"name", "n" + std::to_string(i)}, {"age", i}});
    auto r = conn.execute(this->students().insert(), rows);
    ASSERT_EQ(r.inserted_primary_key_rows().size(), 50u);
    EXPECT_EQ(r.rowcount(), 50);
    for (int i = 0; i < 50; ++i) {
        const auto key = r.inserted_primary_key_rows()[i][0];
        auto row =
            conn.execute(this->students().select().where(this->students().c("id") == key)).one();
        EXPECT_EQ(row.template get<std::string>("name"), "n" + std::to_string(i));
        EXPECT_EQ(row.template get<int>("age"), i);
    }
}

TYPED_TEST(core_insert, multi_values_inserts_every_row_in_one_statement) {
    auto conn = this->eng().connect();
    auto r = conn.execute(
        this->students().insert().values(std::vector<param_set>{{{"name", "a"}, {"score", 1.5}},
                                                                {{"name", "b"}, {"score", 2.5}},
                                                                {{"name", "c"}, {"score", 3.5}}}));
    EXPECT_EQ(r.rowcount(), 3);
    EXPECT_THROW((void)r.inserted_primary_key_rows(), usage_error);
    EXPECT_THROW((void)r.inserted_primary_key(), usage_error);
    auto sum = conn.execute_sql("SELECT sum(score) FROM students").template scalar<double>();
    EXPECT_DOUBLE_EQ(sum, 7.5);
}

TYPED_TEST(core_insert, multi_values_splits_at_the_parameter_limit) {
    auto conn = this->eng().connect();
    conn.set_parameter_limit(10); // 2 columns a row: 5 rows a statement
    ASSERT_EQ(conn.parameter_limit(), 10u);
    std::vector<param_set> rows;
    for (int i = 0; i < 23; ++i) rows.push_back({{"name", "s" + std::to_string(i)}, {"age", i}});
    auto r = conn.execute(this->students().insert().values(rows));
    EXPECT_EQ(r.rowcount(), 23);
    int inserts = 0;
    for (const auto& line : this->echo_lines_) inserts += line.starts_with("INSERT INTO") ? 1 : 0;
    EXPECT_EQ(inserts, 5); // 4 full statements of 5 rows and one of 3
    auto ages = conn.execute_sql("SELECT sum(age) FROM students").template scalar<std::int64_t>();
    EXPECT_EQ(ages, 22 * 23 / 2);
}

TYPED_TEST(core_insert, rows_with_different_columns_are_an_error_and_insert_nothing) {
    auto conn = this->eng().connect();
    std::vector<param_set> rows{{{"name", "a"}, {"age", 1}}, {{"name", "b"}, {"score", 1.0}}};
    EXPECT_THROW(conn.execute(this->students().insert().values(rows)), usage_error);
    EXPECT_THROW(conn.execute(this->students().insert(), rows), usage_error);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_insert, failed_executemany_leaves_no_partial_rows) {
    auto conn = this->eng().connect();
    std::vector<param_set> rows{
        {{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}, {{"id", 1}, {"name", "dup"}}};
    EXPECT_THROW(conn.execute(this->students().insert(), rows), unique_violation);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_insert, failed_chunk_of_multi_values_leaves_no_partial_rows) {
    auto conn = this->eng().connect();
    conn.set_parameter_limit(4);
    std::vector<param_set> rows;
    for (int i = 1; i <= 9; ++i) rows.push_back({{"id", i == 8 ? 2 : i}, {"name", "x"}});
    EXPECT_THROW(conn.execute(this->students().insert().values(rows)), unique_violation);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_insert, failed_statement_inside_a_transaction_keeps_earlier_work) {
    auto conn = this->eng().connect();
    auto tx = conn.begin();
    conn.execute(this->students().insert().values({{"id", 1}, {"name", "kept"}}));
    std::vector<param_set> rows{{{"id", 2}, {"name", "a"}}, {{"id", 1}, {"name", "dup"}}};
    EXPECT_THROW(conn.execute(this->students().insert(), rows), unique_violation);
    tx.commit();
    EXPECT_EQ(this->count_students(), 1);
}

} // namespace
} // namespace tabella::testing
