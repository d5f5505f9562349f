// Transactions (autocommit, explicit, savepoints), echo output and persistence.
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_transaction : public college_test<B> {};
TYPED_TEST_SUITE(core_transaction, all_backends);

TYPED_TEST(core_transaction, commit_keeps_and_scope_exit_rolls_back) {
    auto conn = this->eng().connect();
    {
        auto tx = conn.begin();
        EXPECT_TRUE(conn.in_transaction());
        conn.execute(this->students().insert().values({{"name", "kept"}}));
        tx.commit();
    }
    {
        auto tx = conn.begin();
        conn.execute(this->students().insert().values({{"name", "dropped"}}));
    }
    EXPECT_FALSE(conn.in_transaction());
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM students").template scalar<int>(), 1);
}

TYPED_TEST(core_transaction, nested_begin_is_a_savepoint) {
    auto conn = this->eng().connect();
    auto outer = conn.begin();
    conn.execute(this->students().insert().values({{"name", "outer"}}));
    {
        auto inner = conn.begin();
        conn.execute(this->students().insert().values({{"name", "inner"}}));
        EXPECT_THROW(outer.commit(), usage_error); // inner first
        inner.rollback();
    }
    outer.commit();
    EXPECT_EQ(this->count_students(), 1);
    EXPECT_THROW(outer.commit(), usage_error);
}

TYPED_TEST(core_transaction, connection_closed_inside_a_transaction_rolls_back) {
    {
        auto conn = this->eng().connect();
        auto tx = conn.begin();
        conn.execute(this->students().insert().values({{"name", "lost"}}));
        (void)tx.is_active();
        auto moved = std::move(tx); // the moved-from handle must not finish anything
        EXPECT_FALSE(tx.is_active());
    }
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_transaction, echo_shows_statement_parameters_and_commit) {
    auto conn = this->eng().connect();
    conn.execute(this->students().insert().values({{"name", "Bob"}, {"lastname", "Chrismansyah"}}));
    // Echo shows the SQL as sent: the generated key is read back with RETURNING (the key
    // column's value, never SQLite's rowid, which a non-alias key does not hold).
    std::string ph1, ph2, returning = " RETURNING id";
    conn.dialect().append_placeholder(ph1, 1);
    conn.dialect().append_placeholder(ph2, 2);
    const std::vector<std::string> expected{std::string(conn.dialect().begin_sql(true)),
                                            "INSERT INTO students (name, lastname) VALUES (" + ph1 +
                                                ", " + ph2 + ")" + returning,
                                            "('Bob', 'Chrismansyah')", "COMMIT"};
    ASSERT_GE(this->echo_lines_.size(), expected.size());
    EXPECT_EQ(std::vector<std::string>(this->echo_lines_.begin(), this->echo_lines_.begin() + 4),
              expected);
}

TYPED_TEST(core_transaction, echo_abbreviates_long_parameter_lists) {
    auto conn = this->eng().connect();
    std::vector<param_set> rows;
    for (int i = 0; i < 1000; ++i) rows.push_back({{"name", std::string(500, 'x')}, {"age", i}});
    conn.execute(this->students().insert().values(rows));
    std::size_t longest = 0;
    for (const auto& l : this->echo_lines_) longest = std::max(longest, l.size());
    EXPECT_LT(longest, 20000u); // the SQL text itself is long; the parameters are cut
    bool truncated = false;
    for (const auto& l : this->echo_lines_)
        truncated |= l.find("parameters truncated") != std::string::npos;
    EXPECT_TRUE(truncated);
    this->echo_lines_.clear();
    conn.execute(this->students().insert(), rows);
    ASSERT_EQ(this->echo_lines_.size(), 4u); // BEGIN, INSERT, parameter sets, COMMIT
    EXPECT_NE(this->echo_lines_[2].find("displaying 2 of 1000"), std::string::npos);
    EXPECT_LT(this->echo_lines_[2].size(), 1000u);
}

TEST(core_persistence, a_file_database_keeps_rows_and_is_readable_by_a_new_engine) {
    const std::string url = sqlite_file::url();
    auto meta = college_schema();
    {
        auto eng = create_engine(url);
        meta.create_all(eng);
        meta.create_all(eng); // idempotent
        auto conn = eng.connect();
        conn.execute(meta.get_table("students").insert().values({{"name", "Bob"}}));
    }
    auto eng = create_engine(url);
    EXPECT_EQ(eng.connect().execute_sql("SELECT name FROM students").scalar(), value("Bob"));
    meta.drop_all(eng);
    meta.drop_all(eng); // idempotent
    EXPECT_THROW(eng.connect().execute_sql("SELECT * FROM students"), syntax_error);
}

TEST(core_persistence, connections_of_one_in_memory_engine_share_its_database) {
    auto eng = create_engine("sqlite://");
    auto first = eng.connect();
    first.execute_sql("CREATE TABLE t (x INTEGER)");
    first.execute_sql("INSERT INTO t VALUES (1)");
    auto second = eng.connect();
    EXPECT_EQ(second.execute_sql("SELECT count(*) FROM t").template scalar<int>(), 1);
    first = connection(std::move(first)); // moved connections stay usable
    { auto released = std::move(first); }
    { auto released = std::move(second); }
    auto again = eng.connect(); // the database outlives its connections, not its engine
    EXPECT_EQ(again.execute_sql("SELECT count(*) FROM t").template scalar<int>(), 1);
    auto other = create_engine("sqlite://"); // another engine: another database
    EXPECT_THROW(other.connect().execute_sql("SELECT * FROM t"), syntax_error);
}

} // namespace
} // namespace tabella::testing
