// The session flush: batched inserts with every generated key in the right object,
// chunking, grouping, and atomic failure.
#include "../support/backend_traits.hpp"
#include "../support/orm_fixture.hpp"

namespace tabella::testing {
namespace {

using models::student;

template <class B>
class orm_flush : public orm_test<B> {
  protected:
    // Every object's key must point at the row holding its own values.
    void expect_rows_match(std::span<const student> objs) {
        const auto rows = this->rows();
        ASSERT_GE(rows.size(), objs.size());
        for (const auto& s : objs) {
            ASSERT_TRUE(s.id.has_value());
            const auto it = rows.find(*s.id);
            ASSERT_NE(it, rows.end()) << *s.id;
            EXPECT_EQ(std::get<0>(it->second), s.name);
            EXPECT_EQ(std::get<1>(it->second), s.lastname);
            EXPECT_EQ(std::get<2>(it->second), s.age);
        }
    }
    void flush_and_check(std::size_t n) {
        session s(this->eng());
        auto objs = s.add_all(this->make_students(n));
        s.commit();
        expect_rows_match(objs);
        EXPECT_EQ(this->rows().size(), n);
        std::set<std::int64_t> keys;
        for (const auto& o : objs) keys.insert(*o.id);
        EXPECT_EQ(keys.size(), n);
    }
};
TYPED_TEST_SUITE(orm_flush, all_backends);

TYPED_TEST(orm_flush, keys_for_1_object) {
    this->flush_and_check(1);
}
TYPED_TEST(orm_flush, keys_for_999_objects) {
    this->flush_and_check(999);
}
TYPED_TEST(orm_flush, keys_for_1000_objects) {
    this->flush_and_check(1000);
}
TYPED_TEST(orm_flush, keys_for_1001_objects) {
    this->flush_and_check(1001);
}
TYPED_TEST(orm_flush, keys_for_100000_objects) {
    this->echo_lines_.reserve(64);
    this->flush_and_check(100000);
}

TYPED_TEST(orm_flush, add_returns_a_reference_that_receives_its_key) {
    session s(this->eng());
    student& bob = s.add(student{.name = "Bob", .lastname = "Chrismansyah"});
    EXPECT_EQ(s.pending_count(), 1u);
    s.flush();
    ASSERT_TRUE(bob.id.has_value());
    EXPECT_EQ(s.pending_count(), 0u);
    s.commit();
    EXPECT_EQ(std::get<0>(this->rows().at(*bob.id)), "Bob");
}

TYPED_TEST(orm_flush, preset_keys_and_null_columns_form_their_own_groups) {
    session s(this->eng());
    std::vector<student> batch = this->make_students(20);
    batch[3].id = 500;
    batch[11].id = 501;
    batch[5].age = std::nullopt;
    auto objs = s.add_all(std::move(batch));
    s.commit();
    EXPECT_EQ(*objs[3].id, 500);
    EXPECT_EQ(*objs[11].id, 501);
    this->expect_rows_match(objs);
    for (std::size_t i = 0; i < objs.size(); ++i) {
        if (i == 3 || i == 11) continue;
        EXPECT_NE(*objs[i].id, 500);
        EXPECT_NE(*objs[i].id, 501);
        if (backend_traits<TypeParam>::generates_above_explicit_keys) {
            EXPECT_GT(*objs[i].id, 501) << "generated keys start above preset ones";
        }
    }
}

TYPED_TEST(orm_flush, many_chunks_when_the_parameter_limit_is_low) {
    auto conn = this->eng().connect();
    conn.set_parameter_limit(40); // 4 columns a row: 10 rows a statement
    auto batch = this->make_students(95);
    // Multi-VALUES everywhere: keys reserved and sent with the rows (4 columns: 10 rows a
    // statement), or, where none can be reserved, returned (3 columns sent: 13 rows).
    const bool reserves = backend_traits<TypeParam>::reserves_keys;
    session s(conn,
              {.strategy = reserves ? insert_strategy::reserve_keys : insert_strategy::returning});
    auto objs = s.add_all(std::move(batch));
    s.commit();
    conn.execute_sql("SELECT 1"); // the session committed; the connection is still ours
    this->expect_rows_match(objs);
    EXPECT_EQ(this->rows().size(), 95u);
    EXPECT_EQ(this->echoed("INSERT INTO students"), reserves ? 10u : 8u); // full chunks + rest
}

TYPED_TEST(orm_flush, page_size_caps_rows_per_statement) {
    session s(this->eng(), {.page_size = 100});
    auto objs = s.add_all(this->make_students(250));
    s.commit();
    this->expect_rows_match(objs);
    // multi-row INSERTs on SQLite, COPY on PostgreSQL, one INSERT a row where keys come
    // back row by row
    const std::size_t statements = backend_traits<TypeParam>::batches_generated_keys ? 3 : 250;
    EXPECT_EQ(this->echoed("INSERT INTO students") + this->echoed("COPY students"), statements);
}

TYPED_TEST(orm_flush, row_by_row_strategy_gets_the_same_keys_right) {
    session s(this->eng(), {.strategy = insert_strategy::row_by_row});
    auto objs = s.add_all(this->make_students(30));
    s.commit();
    this->expect_rows_match(objs);
    EXPECT_EQ(this->echoed("INSERT INTO students"), 30u);
}

TYPED_TEST(orm_flush, copy_strategy_matches_keys_on_postgresql_and_is_refused_on_sqlite) {
    session s(this->eng(), {.strategy = insert_strategy::copy, .page_size = 4000});
    std::vector<student> batch = this->make_students(10000);
    batch[17].id = 900000;
    batch[18].lastname = "tab\there, new\nline, back\\slash, 'quote'";
    auto objs = s.add_all(std::move(batch));
    if (!backend_traits<TypeParam>::has_copy) {
        EXPECT_THROW(s.flush(), usage_error);
        for (std::size_t i = 0; i < objs.size(); ++i) {
            if (i != 17) {
                ASSERT_FALSE(objs[i].id.has_value());
            }
        }
        EXPECT_EQ(this->rows().size(), 0u);
        return;
    }
    s.commit();
    this->expect_rows_match(objs);
    EXPECT_EQ(this->rows().size(), 10000u);
    EXPECT_EQ(this->echoed("COPY students (id, name, lastname, age) FROM STDIN"),
              4u); // the preset row, then 3 chunks
    EXPECT_EQ(this->echoed("INSERT"), 0u);
}

TYPED_TEST(orm_flush, echo_shows_one_line_per_statement_not_per_row) {
    session s(this->eng());
    s.add_all(this->make_students(500));
    s.commit();
    const std::size_t statements = backend_traits<TypeParam>::batches_generated_keys ? 1 : 500;
    EXPECT_EQ(this->echoed("INSERT INTO students") + this->echoed("COPY students"), statements);
    for (const auto& line : this->echo_lines_) EXPECT_LT(line.size(), 20000u);
}

TYPED_TEST(orm_flush, a_flush_with_nothing_pending_sends_nothing) {
    session s(this->eng());
    s.flush();
    s.commit();
    EXPECT_EQ(this->echoed("INSERT"), 0u);
    EXPECT_EQ(this->echoed("UPDATE"), 0u);
    EXPECT_EQ(this->echoed("DELETE"), 0u);
}

TYPED_TEST(orm_flush, failure_in_a_middle_chunk_rolls_back_everything_and_restores_objects) {
    this->eng().connect().execute_sql(
        "CREATE UNIQUE INDEX students_lastname ON students (lastname)");
    session s(this->eng(), {.page_size = 1000});
    std::vector<student> batch = this->make_students(10000);
    batch[7000].lastname = batch[0].lastname; // object 7,001 collides with object 1
    batch[9000].id = 123456;                  // a preset key stays as it was
    auto objs = s.add_all(std::move(batch));
    try {
        s.flush();
        FAIL() << "expected a unique_violation";
    } catch (const unique_violation& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("students"), std::string::npos) << msg;
        if (backend_traits<TypeParam>::names_the_rejected_object) {
            EXPECT_NE(msg.find("object 7001 of 10000"), std::string::npos) << msg;
        }
    }
    EXPECT_EQ(this->rows().size(), 0u);
    EXPECT_EQ(s.pending_count(), 10000u);
    EXPECT_EQ(objs[7000].lastname, objs[0].lastname);
    for (std::size_t i = 0; i < objs.size(); ++i) {
        if (i == 9000) {
            EXPECT_EQ(objs[i].id, 123456);
        } else {
            ASSERT_FALSE(objs[i].id.has_value()) << i;
        }
    }
    objs[7000].lastname = "fixed";
    s.commit();
    this->expect_rows_match(objs);
}

TYPED_TEST(orm_flush, failure_after_an_earlier_flush_keeps_the_earlier_flush) {
    this->eng().connect().execute_sql(
        "CREATE UNIQUE INDEX students_lastname ON students (lastname)");
    session s(this->eng());
    auto first = s.add_all(this->make_students(10));
    s.flush();
    auto second = s.add_all(this->make_students(10)); // same lastnames: every row collides
    EXPECT_THROW(s.flush(), constraint_violation);
    for (const auto& o : second) EXPECT_FALSE(o.id.has_value());
    for (auto& o : second) o.lastname += "-2";
    s.commit();
    EXPECT_EQ(this->rows().size(), 20u);
    this->expect_rows_match(std::vector<student>(first.begin(), first.end()));
}

} // namespace
} // namespace tabella::testing
