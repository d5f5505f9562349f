// Core streams: a SELECT's rows read a batch at a time, on every backend.
#include "../support/college.hpp"

#include <tabella/error.hpp>

namespace tabella::testing {
namespace {

template <class B>
class core_stream : public college_test<B> {
  protected:
    void SetUp() override {
        college_test<B>::SetUp();
        if (this->url_.empty()) return;
        std::vector<param_set> rows;
        for (int i = 1; i <= 2500; ++i)
            rows.push_back({{"id", i},
                            {"name", "n" + std::to_string(i)},
                            {"lastname", i % 3 ? value("l" + std::to_string(i)) : value()},
                            {"age", i % 90},
                            {"score", i / 4.0}});
        this->eng().connect().execute(this->students().insert().values(rows));
        this->echo_lines_.clear();
    }
    select_statement by_id() const {
        return this->students().select().order_by(this->students().c("id"));
    }
    /// The ids a stream of `stmt` in batches of `n` reads.
    std::vector<std::int64_t> streamed_ids(const select_statement& stmt, std::size_t n) {
        connection conn = this->eng().connect();
        std::vector<std::int64_t> ids;
        for (const row& r : conn.stream(stmt, n)) ids.push_back(r.get<std::int64_t>("id"));
        return ids;
    }
};
TYPED_TEST_SUITE(core_stream, all_backends);

TYPED_TEST(core_stream, reads_more_rows_than_a_batch_in_order) {
    for (const std::size_t n :
         {std::size_t{1000}, std::size_t{1}, std::size_t{2500}, std::size_t{5000}}) {
        const auto ids = this->streamed_ids(this->by_id(), n);
        ASSERT_EQ(ids.size(), 2500u) << "batch " << n;
        for (std::size_t i = 0; i < ids.size(); ++i)
            ASSERT_EQ(ids[i], static_cast<std::int64_t>(i + 1)) << "batch " << n;
    }
}

TYPED_TEST(core_stream, rows_equal_the_rows_execute_returns) {
    const auto& s = this->students();
    const auto stmt = s.select()
                          .where(s.c("age") >= 30 && s.c("lastname").is_not_null())
                          .order_by(s.c("score").desc());
    connection conn = this->eng().connect();
    const result all = conn.execute(stmt);
    ASSERT_GT(all.size(), 1000u);
    std::vector<row> streamed;
    auto rows = conn.stream(stmt, 333);
    EXPECT_EQ(rows.columns(), all.columns());
    for (const row& r : rows) streamed.push_back(r);
    EXPECT_EQ(streamed, all.rows());
    ASSERT_FALSE(streamed.empty());
    EXPECT_EQ(streamed.front().columns(), all.columns());
}

TYPED_TEST(core_stream, an_empty_result_has_its_columns_and_no_row) {
    const auto& s = this->students();
    connection conn = this->eng().connect();
    auto rows = conn.stream(s.select().where(s.c("id") < 0), 10);
    EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "name", "lastname", "age", "score"}));
    EXPECT_TRUE(rows.begin() == rows.end());
    EXPECT_FALSE(conn.in_transaction()); // its own transaction ended with the last row
}

TYPED_TEST(core_stream, literal_sql_with_parameters) {
    connection conn = this->eng().connect();
    std::string sql = "SELECT id FROM students WHERE id > ";
    conn.dialect().append_placeholder(sql, 1);
    sql += " ORDER BY id";
    std::int64_t expected = 2001;
    for (const row& r : conn.stream_sql(sql, {value(2000)}, 64))
        EXPECT_EQ(r.get<std::int64_t>(0), expected++);
    EXPECT_EQ(expected, 2501);
}

TYPED_TEST(core_stream, an_early_break_closes_the_cursor_and_leaves_the_connection_usable) {
    connection conn = this->eng().connect();
    {
        auto rows = conn.stream(this->by_id(), 100);
        int seen = 0;
        for (const row& r : rows) {
            (void)r;
            if (++seen == 150) break;
        }
        EXPECT_TRUE(conn.in_transaction()); // the stream's own, still open
    }
    EXPECT_FALSE(conn.in_transaction());
    conn.execute(this->students().insert().values({{"id", 9999}, {"name", "after"}}));
    EXPECT_EQ(this->count_students(), 2501);
    // The same in the caller's transaction, which stays open and usable.
    auto tx = conn.begin();
    {
        row_stream rows = conn.stream(this->by_id(), 7);
        row_stream::iterator it = rows.begin();
        for (int i = 0; i < 10; ++i) ++it;
        EXPECT_EQ(it->get<std::int64_t>("id"), 11);
    }
    conn.execute(this->students().delete_().where(this->students().c("id") == 9999));
    tx.commit();
    EXPECT_EQ(this->count_students(), 2500);
}

TYPED_TEST(core_stream, other_statements_run_between_batches) {
    connection conn = this->eng().connect();
    auto tx = conn.begin();
    std::int64_t rows = 0;
    for (const row& r : conn.stream(this->by_id(), 500)) {
        if (r.get<std::int64_t>("id") % 500 == 0) {
            EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM students").scalar<std::int64_t>(),
                      2500);
        }
        ++rows;
    }
    EXPECT_EQ(rows, 2500);
    tx.commit();
}

TYPED_TEST(core_stream, the_statement_is_echoed_once_in_its_own_transaction) {
    connection conn = this->eng().connect();
    for (const row& r : conn.stream(this->by_id(), 1000)) (void)r;
    std::size_t selects = 0;
    for (const auto& l : this->echo_lines_) selects += l.starts_with("SELECT") ? 1 : 0;
    EXPECT_EQ(selects, 1u);
    ASSERT_FALSE(this->echo_lines_.empty());
    EXPECT_TRUE(this->echo_lines_.front().starts_with("BEGIN")) << this->echo_lines_.front();
    EXPECT_EQ(this->echo_lines_.back(), "COMMIT");
}

TYPED_TEST(core_stream, misuse_and_errors_are_typed) {
    connection conn = this->eng().connect();
    EXPECT_THROW((void)conn.stream(this->by_id(), 0), usage_error);
    EXPECT_FALSE(conn.in_transaction());
    EXPECT_THROW((void)conn.stream_sql("SELECT * FROM no_such_table", {}, 10), sql_error);
    EXPECT_FALSE(conn.in_transaction());
    {
        // Ending the transaction a stream reads in ends the stream.
        auto tx = conn.begin();
        auto rows = conn.stream(this->by_id(), 10);
        row_stream::iterator it = rows.begin();
        for (int i = 0; i < 9; ++i) ++it;
        tx.commit();
        EXPECT_THROW(++it, usage_error);
        EXPECT_TRUE(it == rows.end());
    }
    EXPECT_EQ(conn.execute_sql("SELECT count(*) FROM students").scalar<std::int64_t>(), 2500);
}

} // namespace
} // namespace tabella::testing
