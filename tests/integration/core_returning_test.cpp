// Core INSERT ... RETURNING (issue 13): one row per parameter set, in parameter-set order,
// for one row, executemany and multi-VALUES (chunked too), with upserts; rows matched to
// parameter sets by their values, never by the order the database returns them in.
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_returning : public college_test<B> {
  protected:
    static std::vector<param_set> people(int n, int first = 0) {
        std::vector<param_set> rows;
        for (int i = first; i < first + n; ++i)
            rows.push_back({{"name", "n" + std::to_string(i)}, {"age", i}});
        return rows;
    }
    /// Each returned row's id selects a stored row with that parameter set's name and age.
    void expect_in_parameter_order(const result& r, int n, int first = 0) {
        ASSERT_EQ(r.size(), static_cast<std::size_t>(n));
        auto conn = this->eng().connect();
        const auto& s = this->students();
        for (int i = 0; i < n; ++i) {
            const auto stored = conn.execute(s.select().where(s.c("id") == r[i]["id"])).one();
            EXPECT_EQ(stored.template get<std::string>("name"), "n" + std::to_string(first + i));
            EXPECT_EQ(stored.template get<int>("age"), first + i);
            EXPECT_EQ(r.inserted_primary_key_rows().at(i)[0], r[i]["id"]);
        }
    }
    std::size_t inserts_sent() const {
        std::size_t n = 0;
        for (const auto& line : this->echo_lines_) n += line.starts_with("INSERT INTO") ? 1 : 0;
        return n;
    }
};
TYPED_TEST_SUITE(core_returning, all_backends);

TYPED_TEST(core_returning, one_row_returns_the_columns_asked_for) {
    auto conn = this->eng().connect();
    const auto r = conn.execute(
        this->students().insert().values({{"name", "Bob"}, {"age", 20}}).returning({"id", "name"}));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r.columns(), (std::vector<std::string>{"id", "name"}));
    EXPECT_EQ(r[0].template get<std::int64_t>("id"), 1);
    EXPECT_EQ(r[0].template get<std::string>("name"), "Bob");
    EXPECT_EQ(r.inserted_primary_key()[0], value(1));
    EXPECT_EQ(r.rowcount(), 1);
}

TYPED_TEST(core_returning, multi_values_returns_keys_in_row_order_from_one_statement) {
    auto conn = this->eng().connect();
    const auto rows = this->people(40);
    auto r = conn.execute(this->students().insert().values(rows).returning({"id"})); // pinned
    EXPECT_EQ(r.rowcount(), 40);
    EXPECT_EQ(this->inserts_sent(), 1u);
    this->expect_in_parameter_order(r, 40);
}

TYPED_TEST(core_returning, rows_across_chunks_come_back_in_parameter_set_order) {
    auto conn = this->eng().connect();
    conn.set_parameter_limit(10); // 2 columns a row: 5 rows a statement
    auto r =
        conn.execute(this->students().insert().values(this->people(23)).returning({"id", "age"}));
    EXPECT_EQ(this->inserts_sent(), 5u);
    this->expect_in_parameter_order(r, 23);
    for (int i = 0; i < 23; ++i) EXPECT_EQ(r[i].template get<int>("age"), i);
}

TYPED_TEST(core_returning, inside_a_transaction_and_after_earlier_rows) {
    auto conn = this->eng().connect();
    conn.execute(this->students().insert().values(this->people(3, 100)));
    auto tx = conn.begin();
    conn.set_parameter_limit(6);
    auto r = conn.execute(this->students().insert().values(this->people(7)).returning({"id"}));
    tx.commit();
    this->expect_in_parameter_order(r, 7);
    EXPECT_EQ(this->count_students(), 10);
}

TYPED_TEST(core_returning, equal_parameter_sets_each_get_a_row) {
    auto conn = this->eng().connect();
    const std::vector<param_set> rows(4, param_set{{"name", "same"}, {"age", 1}});
    auto r = conn.execute(this->students().insert().values(rows).returning({"id", "name"}));
    ASSERT_EQ(r.size(), 4u);
    std::set<std::int64_t> ids;
    for (const auto& row : r) ids.insert(row.template get<std::int64_t>("id"));
    EXPECT_EQ(ids.size(), 4u) << "each row its own key";
}

TYPED_TEST(core_returning, executemany_returns_a_row_per_parameter_set) {
    auto conn = this->eng().connect();
    auto r = conn.execute(this->students().insert().returning({"id"}), this->people(12));
    this->expect_in_parameter_order(r, 12);
}

TYPED_TEST(core_returning, upsert_returns_inserted_and_updated_rows_in_parameter_set_order) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    conn.execute(s.insert().values(std::vector<param_set>{{{"id", 1}, {"name", "a"}, {"age", 1}},
                                                          {{"id", 2}, {"name", "b"}, {"age", 2}}}));
    conn.set_parameter_limit(6); // 3 columns a row: 2 rows a statement
    const std::vector<param_set> rows{{{"id", 2}, {"name", "B"}, {"age", 20}},
                                      {{"id", 5}, {"name", "E"}, {"age", 50}},
                                      {{"id", 1}, {"name", "A"}, {"age", 10}},
                                      {{"id", 7}, {"name", "G"}, {"age", 70}},
                                      {{"id", 6}, {"name", "F"}, {"age", 60}}};
    auto r = conn.execute(
        s.insert().values(rows).on_conflict_do_update({"id"}, {"name"}).returning({"id", "age"}));
    ASSERT_EQ(r.size(), 5u);
    const std::vector<std::int64_t> ids{2, 5, 1, 7, 6};
    const std::vector<int> ages{2, 50, 1, 70, 60}; // an updated row keeps the age it had
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(r[i].template get<std::int64_t>("id"), ids[i]);
        EXPECT_EQ(r[i].template get<int>("age"), ages[i]);
        EXPECT_EQ(r.inserted_primary_key_rows().at(i)[0], value(ids[i]));
    }
    EXPECT_EQ(
        conn.execute(s.select().where(s.c("id") == 2)).one().template get<std::string>("name"),
        "B");
}

TYPED_TEST(core_returning, upsert_rows_its_returned_columns_cannot_tell_apart_go_one_by_one) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    // The key is generated, so only `name` comes back as sent: equal in both rows.
    const std::vector<param_set> rows{{{"name", "same"}, {"age", 1}},
                                      {{"name", "same"}, {"age", 2}}};
    auto r = conn.execute(
        s.insert().values(rows).on_conflict_do_update({"id"}, {"name"}).returning({"id", "age"}));
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].template get<int>("age"), 1);
    EXPECT_EQ(r[1].template get<int>("age"), 2);
    for (std::size_t i = 0; i < 2; ++i)
        EXPECT_EQ(conn.execute(s.select().where(s.c("id") == r[i]["id"])).one()["age"],
                  r[i]["age"]);
    EXPECT_EQ(this->inserts_sent(), 2u) << "one statement per row";
}

TYPED_TEST(core_returning, upsert_that_skips_returns_only_the_rows_it_inserts) {
    const auto& s = this->students();
    auto conn = this->eng().connect();
    conn.execute(s.insert().values(
        std::vector<param_set>{{{"id", 1}, {"name", "a"}}, {{"id", 2}, {"name", "b"}}}));
    const std::vector<param_set> rows{{{"id", 1}, {"name", "x"}},
                                      {{"id", 7}, {"name", "g"}},
                                      {{"id", 2}, {"name", "y"}},
                                      {{"id", 8}, {"name", "h"}}};
    auto stmt = s.insert().values(rows).on_conflict_do_nothing({"id"}).returning({"id", "name"});
    if (conn.dialect().returns_skipped_rows()) {
        EXPECT_THROW((void)conn.execute(stmt), usage_error);
        EXPECT_EQ(this->count_students(), 2) << "nothing was sent";
        return;
    }
    conn.set_parameter_limit(4); // 2 rows a statement
    auto r = conn.execute(stmt);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].template get<std::int64_t>("id"), 7);
    EXPECT_EQ(r[0].template get<std::string>("name"), "g");
    EXPECT_EQ(r[1].template get<std::int64_t>("id"), 8);
    const auto& keys = r.inserted_primary_key_rows();
    ASSERT_EQ(keys.size(), 4u);
    EXPECT_EQ(keys[0].size(), 0u) << "skipped: no key";
    EXPECT_EQ(keys[1][0], value(7));
    EXPECT_EQ(keys[2].size(), 0u);
    EXPECT_EQ(keys[3][0], value(8));
}

TYPED_TEST(core_returning, values_the_database_converts_are_matched_row_by_row) {
    using enum column_type;
    tabella::metadata meta;
    const auto& events = meta.add_table("returning_events", {
                                                                column("id", integer).primary_key(),
                                                                column("at", timestamp),
                                                                column("label", string),
                                                            });
    meta.drop_all(this->eng());
    meta.create_all(this->eng());
    auto conn = this->eng().connect();
    std::vector<param_set> rows;
    for (int i = 0; i < 6; ++i) // text sent, a timestamp stored (and returned, on most databases)
        rows.push_back({{"at", "2024-01-0" + std::to_string(i + 1) + " 10:00:00"},
                        {"label", "e" + std::to_string(i)}});
    auto r = conn.execute(events.insert().values(rows).returning({"id", "label"}));
    ASSERT_EQ(r.size(), 6u);
    for (int i = 0; i < 6; ++i) {
        const auto stored = conn.execute(events.select().where(events.c("id") == r[i]["id"])).one();
        EXPECT_EQ(stored.template get<std::string>("label"), "e" + std::to_string(i));
        EXPECT_EQ(r[i].template get<std::string>("label"), "e" + std::to_string(i));
    }
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM returning_events").template scalar<int>(), 6);
    meta.drop_all(this->eng());
}

TYPED_TEST(core_returning, a_failed_chunk_leaves_no_rows) {
    auto conn = this->eng().connect();
    conn.set_parameter_limit(4);
    std::vector<param_set> rows;
    for (int i = 1; i <= 9; ++i) rows.push_back({{"id", i == 8 ? 2 : i}, {"name", "x"}});
    EXPECT_THROW(conn.execute(this->students().insert().values(rows).returning({"id"})),
                 unique_violation);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_returning, unknown_or_no_columns_are_usage_errors) {
    EXPECT_THROW(this->students().insert().returning({"nope"}), usage_error);
    EXPECT_THROW(this->students().insert().returning({}), usage_error);
}

} // namespace
} // namespace tabella::testing
