// Exact DDL for indexes, UNIQUE constraints and foreign keys added after the tables exist,
// with no database; the names tabella gives them and the plan create_all follows.
#include <tabella/detail/schema.hpp>
#include <tabella/dialect.hpp>
#include <tabella/error.hpp>
#include <tabella/mariadb.hpp>
#include <tabella/postgres.hpp>
#include <tabella/sqlite.hpp>

#include <gtest/gtest.h>

namespace tabella {
namespace {

using enum column_type;

table& people(metadata& m) {
    auto& t = m.add_table("people",
                          {column("id", integer).primary_key(), column("Last", string).not_null(),
                           column("given", string), column("email", string).index()});
    t.index({"Last", "given"}).unique({"given", "Last"});
    return t;
}

TEST(dialect_schema, indexes_are_named_after_table_and_columns_and_quoted_by_the_dialect) {
    metadata m;
    const table& t = people(m);
    ASSERT_EQ(t.indexes().size(), 2u);
    EXPECT_EQ(t.indexes()[0].name, "ix_people_email"); // column::index() first
    EXPECT_EQ(t.indexes()[1].name, "ix_people_Last_given");
    EXPECT_EQ(sqlite_dialect().create_index(t, t.indexes()[1]),
              "CREATE INDEX IF NOT EXISTS \"ix_people_Last_given\" ON people (\"Last\", given)");
    EXPECT_EQ(postgresql_dialect().create_index(t, t.indexes()[0]),
              "CREATE INDEX IF NOT EXISTS ix_people_email ON people (email)");
    EXPECT_EQ(
        mariadb_dialect().create_index(t, t.indexes()[1]),
        "CREATE INDEX IF NOT EXISTS `ix_people_Last_given` ON people (`Last`(384), given(384))");
    // InnoDB keys hold 3072 bytes: text columns beside others are indexed by a prefix.
    auto& events = m.add_table("events", {column("id", integer).primary_key(),
                                          column("title", text), column("at", timestamp),
                                          column("tag", string), column("data", blob)});
    events.index({"title", "at"}).index({"title", "tag"}).index({"data"}).index({"at", "id"});
    const dialect& maria = mariadb_dialect();
    EXPECT_EQ(maria.create_index(events, events.indexes()[0]),
              "CREATE INDEX IF NOT EXISTS ix_events_title_at ON events (title(766), at)");
    EXPECT_EQ(maria.create_index(events, events.indexes()[1]),
              "CREATE INDEX IF NOT EXISTS ix_events_title_tag ON events (title(384), tag(384))");
    EXPECT_EQ(maria.create_index(events, events.indexes()[2]),
              "CREATE INDEX IF NOT EXISTS ix_events_data ON events (data(768))");
    EXPECT_EQ(maria.create_index(events, events.indexes()[3]),
              "CREATE INDEX IF NOT EXISTS ix_events_at_id ON events (at, id)");
    EXPECT_EQ(postgresql_dialect().create_index(events, events.indexes()[0]),
              "CREATE INDEX IF NOT EXISTS ix_events_title_at ON events (title, at)");
    EXPECT_TRUE(t.get_column("email").is_indexed());
    EXPECT_TRUE(t.get_column("Last").is_indexed());
    EXPECT_FALSE(t.get_column("id").is_indexed());
}

TEST(dialect_schema, a_unique_constraint_is_part_of_create_table) {
    metadata m;
    const table& t = people(m);
    ASSERT_EQ(t.unique_constraints().size(), 1u);
    EXPECT_EQ(t.unique_constraints()[0].name, "uq_people_given_Last");
    EXPECT_EQ(sqlite_dialect().create_table(t),
              "CREATE TABLE IF NOT EXISTS people (id INTEGER NOT NULL, \"Last\" VARCHAR NOT NULL, "
              "given VARCHAR, email VARCHAR, PRIMARY KEY (id), "
              "CONSTRAINT \"uq_people_given_Last\" UNIQUE (given, \"Last\"))");
    EXPECT_TRUE(postgresql_dialect().create_table(t).ends_with(
        "PRIMARY KEY (id), CONSTRAINT \"uq_people_given_Last\" UNIQUE (given, \"Last\"))"));
    const std::string maria = mariadb_dialect().create_table(t);
    EXPECT_TRUE(maria.ends_with(
        "PRIMARY KEY (id), CONSTRAINT `uq_people_given_Last` UNIQUE (given, `Last`))"))
        << maria;
    // InnoDB indexes no unbounded text: indexed text columns are VARCHAR(768).
    EXPECT_NE(maria.find("email VARCHAR(768)"), std::string::npos) << maria;
    EXPECT_NE(maria.find("given VARCHAR(768)"), std::string::npos) << maria;
}

TEST(dialect_schema, unknown_columns_and_taken_names_are_usage_errors_naming_them) {
    metadata m;
    table& t = people(m);
    try {
        t.index({"given", "nickname"});
        FAIL() << "no error";
    } catch (const usage_error& e) {
        EXPECT_NE(std::string(e.what()).find("people"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("nickname"), std::string::npos) << e.what();
    }
    EXPECT_THROW(t.unique({"nickname"}), usage_error);
    EXPECT_THROW(t.index({}), usage_error);
    EXPECT_THROW(t.index({"given"}, "ix_people_email"), usage_error);
    EXPECT_THROW(t.unique({"email"}, "ix_people_Last_given"), usage_error);
}

TEST(dialect_schema, long_generated_names_end_in_a_hash_and_stay_distinct) {
    const std::string table(60, 't');
    const auto a = constraint_name("ix", table, {"alpha"});
    const auto b = constraint_name("ix", table, {"beta"});
    EXPECT_EQ(a.size(), 63u);
    EXPECT_EQ(a.substr(0, 54), "ix_" + std::string(51, 't'));
    EXPECT_EQ(a[54], '_');
    EXPECT_NE(a, b);
    EXPECT_EQ(a, constraint_name("ix", table, {"alpha"})) << "deterministic";
    EXPECT_EQ(constraint_name("fk", "emp", {"dept_id"}), "fk_emp_dept_id");
    // A name given by the program is checked against the database's limit.
    const tabella::table t("t", {column("id", integer)});
    const table_index too_long{std::string(64, 'x'), {"id"}};
    EXPECT_THROW((void)postgresql_dialect().create_index(t, too_long), usage_error);
    EXPECT_NO_THROW((void)mariadb_dialect().create_index(t, too_long));
    EXPECT_NO_THROW((void)sqlite_dialect().create_index(t, too_long));
}

TEST(dialect_schema, foreign_keys_get_an_index_unless_a_key_or_index_starts_with_them) {
    metadata m;
    auto& orders =
        m.add_table("orders", {column("id", integer).primary_key(),
                               column("customer_id", integer).references("customers", "id"),
                               column("shop_id", integer).references("shops", "id"),
                               column("coupon_id", integer).references("coupons", "id").unique(),
                               column("region", integer), column("branch", integer)});
    orders.index({"shop_id", "id"});
    orders.foreign_key({"branch", "region"}, "branches", {"region", "id"});
    orders.foreign_key({"region", "branch"}, "offices", {"region", "id"}); // same columns
    const auto made = orders.foreign_key_indexes();
    ASSERT_EQ(made.size(), 2u);
    EXPECT_EQ(made[0].name, "ix_orders_customer_id");
    EXPECT_EQ(made[0].columns, std::vector<std::string>{"customer_id"});
    EXPECT_EQ(made[1].name, "ix_orders_branch_region");

    auto& lines = m.add_table("lines", {column("order_id", integer).primary_key(false),
                                        column("line_no", integer).primary_key(false),
                                        column("product", integer)});
    lines.foreign_key({"order_id"}, "orders", {"id"});
    EXPECT_TRUE(lines.foreign_key_indexes().empty()) << "the primary key starts with order_id";
    lines.foreign_key({"product", "line_no"}, "stock", {"a", "b"});
    lines.unique({"line_no", "product", "order_id"});
    EXPECT_TRUE(lines.foreign_key_indexes().empty()) << "the UNIQUE constraint starts with them";
}

TEST(dialect_schema, a_foreign_key_is_added_and_dropped_after_create_table_per_dialect) {
    const foreign_key_constraint fk{{"manager_id"}, "emp", {"id"}, on_delete::set_null};
    EXPECT_EQ(postgresql_dialect().add_foreign_key("dept", fk, "fk_dept_manager_id"),
              "DO $tabella$ BEGIN ALTER TABLE dept ADD CONSTRAINT fk_dept_manager_id FOREIGN KEY "
              "(manager_id) REFERENCES emp (id) ON DELETE SET NULL; EXCEPTION WHEN "
              "duplicate_object THEN NULL; END $tabella$");
    EXPECT_EQ(mariadb_dialect().add_foreign_key("dept", fk, "fk_dept_manager_id"),
              "ALTER TABLE dept ADD CONSTRAINT fk_dept_manager_id FOREIGN KEY IF NOT EXISTS "
              "(manager_id) REFERENCES emp (id) ON DELETE SET NULL");
    EXPECT_EQ(postgresql_dialect().drop_foreign_key("dept", "fk_dept_manager_id"),
              "ALTER TABLE IF EXISTS dept DROP CONSTRAINT IF EXISTS fk_dept_manager_id");
    EXPECT_EQ(mariadb_dialect().drop_foreign_key("Dept", "fk_Dept_manager_id"),
              "ALTER TABLE IF EXISTS `Dept` DROP FOREIGN KEY IF EXISTS `fk_Dept_manager_id`");
    EXPECT_TRUE(postgresql_dialect().can_add_foreign_keys());
    EXPECT_TRUE(mariadb_dialect().can_add_foreign_keys());
    EXPECT_FALSE(sqlite_dialect().can_add_foreign_keys());
    EXPECT_EQ(sqlite_dialect().defer_foreign_keys_sql(), "PRAGMA defer_foreign_keys = ON");
}

TEST(dialect_schema, a_cycle_is_broken_at_the_reference_that_closes_it) {
    metadata m;
    m.add_table("emp", {column("id", integer).primary_key(),
                        column("dept_id", integer).references("dept", "id"),
                        column("boss_id", integer).references("emp", "id")});
    m.add_table("dept",
                {column("id", integer).primary_key(),
                 column("manager_id", integer).references("emp", "id", on_delete::set_null)});
    std::vector<const table*> tables{&m.get_table("emp"), &m.get_table("dept")};
    const auto plan = detail::plan_schema(tables);
    ASSERT_EQ(plan.order.size(), 2u);
    EXPECT_EQ(plan.order[0]->name(), "dept");
    EXPECT_EQ(plan.order[1]->name(), "emp");
    ASSERT_EQ(plan.deferred.size(), 1u) << "the self-reference stays inline";
    EXPECT_EQ(plan.deferred[0].owner->name(), "dept");
    EXPECT_EQ(plan.deferred[0].name, "fk_dept_manager_id");
    EXPECT_EQ(plan.deferred[0].fk.columns, std::vector<std::string>{"manager_id"});
    EXPECT_EQ(postgresql_dialect().create_table(*plan.order[0], std::span(&plan.deferred[0].fk, 1)),
              "CREATE TABLE IF NOT EXISTS dept (id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT "
              "NULL, manager_id INTEGER, PRIMARY KEY (id))");
    EXPECT_EQ(m.sorted_tables().front()->name(), "dept");
}

} // namespace
} // namespace tabella
