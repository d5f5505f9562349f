// Bad input on the Core layer: each gets its typed error and leaves no partial rows.
#include "../support/backend_traits.hpp"
#include "../support/college.hpp"

namespace tabella::testing {
namespace {

template <class B>
class core_bad_input : public college_test<B> {};
TYPED_TEST_SUITE(core_bad_input, all_backends);

TYPED_TEST(core_bad_input, unknown_column_in_values_is_a_usage_error) {
    auto conn = this->eng().connect();
    try {
        conn.execute(this->students().insert().values({{"name", "a"}, {"nickname", "b"}}));
        FAIL() << "expected usage_error";
    } catch (const usage_error& e) {
        EXPECT_NE(std::string(e.what()).find("nickname"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("students"), std::string::npos);
    }
    EXPECT_THROW((void)this->students().c("nickname"), usage_error);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_bad_input, value_of_the_wrong_type_is_a_conversion_error) {
    auto conn = this->eng().connect();
    EXPECT_THROW(conn.execute(this->students().insert().values({{"name", "a"}, {"age", "old"}})),
                 conversion_error);
    EXPECT_THROW(conn.execute(this->students().insert().values({{"name", 12}})), conversion_error);
    std::vector<param_set> rows{{{"name", "ok"}, {"score", 1.0}},
                                {{"name", "bad"}, {"score", "x"}}};
    EXPECT_THROW(conn.execute(this->students().insert(), rows), conversion_error);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_bad_input, missing_table_is_a_syntax_error_with_sqlstate) {
    auto conn = this->eng().connect();
    tabella::metadata other;
    const auto& ghost = other.add_table("ghost", {tabella::column("x", column_type::integer)});
    try {
        conn.execute(ghost.insert().values({{"x", 1}}));
        FAIL() << "expected syntax_error";
    } catch (const syntax_error& e) {
        EXPECT_EQ(e.sqlstate(), "42P01");
        EXPECT_NE(e.statement().find("ghost"), std::string::npos);
    }
}

TYPED_TEST(core_bad_input, null_into_not_null_is_a_not_null_violation) {
    auto conn = this->eng().connect();
    try {
        conn.execute(this->students().insert().values({{"name", nullptr}}));
        FAIL() << "expected not_null_violation";
    } catch (const not_null_violation& e) {
        EXPECT_EQ(e.sqlstate(), "23502");
    }
    EXPECT_THROW(conn.execute(this->students().insert().values({{"lastname", "no name"}})),
                 constraint_violation);
    EXPECT_EQ(this->count_students(), 0);
}

TYPED_TEST(core_bad_input, duplicate_primary_key_is_a_unique_violation) {
    auto conn = this->eng().connect();
    conn.execute(this->students().insert().values({{"id", 7}, {"name", "a"}}));
    try {
        conn.execute(this->students().insert().values({{"id", 7}, {"name", "b"}}));
        FAIL() << "expected unique_violation";
    } catch (const unique_violation& e) {
        EXPECT_EQ(e.sqlstate(), "23505");
    }
    EXPECT_EQ(this->count_students(), 1);
}

TYPED_TEST(core_bad_input, quotes_backslashes_and_unicode_round_trip) {
    auto conn = this->eng().connect();
    const std::string tricky =
        "O'Brien \"the\" \\ '); DROP TABLE students; -- \xc3\xa9\xe6\x97\xa5";
    conn.execute(this->students().insert().values({{"name", tricky}}));
    EXPECT_EQ(conn.execute_sql("SELECT name FROM students").scalar(), value(tricky));
}

TYPED_TEST(core_bad_input, nul_byte_in_text_round_trips_or_is_a_conversion_error) {
    auto conn = this->eng().connect();
    const std::string with_nul("ab\0cd", 5);
    if (!backend_traits<TypeParam>::stores_nul_in_text) {
        EXPECT_THROW(conn.execute(this->students().insert().values({{"name", with_nul}})),
                     conversion_error);
        EXPECT_EQ(this->count_students(), 0);
        return;
    }
    conn.execute(this->students().insert().values({{"name", with_nul}}));
    const auto back = conn.execute_sql("SELECT name FROM students").template scalar<std::string>();
    EXPECT_EQ(back, with_nul);
    EXPECT_EQ(back.size(), 5u);
}

TYPED_TEST(core_bad_input, names_that_need_quoting_work_end_to_end) {
    using enum column_type;
    tabella::metadata meta;
    const auto& order =
        meta.add_table("order", {
                                    column("id", integer).primary_key(),
                                    column("first name", string), column("say \"hi\"", string),
                                    column("Select", integer), column("div", integer), // MariaDB's
                                });
    meta.create_all(this->eng());
    auto conn = this->eng().connect();
    auto r = conn.execute(order.insert().values(
        {{"first name", "A"}, {"say \"hi\"", "q"}, {"Select", 3}, {"div", 4}}));
    EXPECT_EQ(r.inserted_primary_key()[0], value(1));
    auto row =
        conn.execute(order.select().where(order.c("Select") == 3).order_by(order.c("first name")))
            .one();
    EXPECT_EQ(row.template get<std::string>("first name"), "A");
    EXPECT_EQ(row.template get<std::string>("say \"hi\""), "q");
    EXPECT_EQ(row.template get<std::int64_t>("div"), 4);
    meta.drop_all(this->eng());
}

TYPED_TEST(core_bad_input, bad_sql_text_is_a_syntax_error) {
    auto conn = this->eng().connect();
    EXPECT_THROW(conn.execute_sql("SELEC nothing"), syntax_error);
    EXPECT_THROW(conn.execute_sql("SELECT nope FROM students"), syntax_error);
}

TEST(core_bad_url, malformed_urls_are_usage_errors_that_hide_the_password) {
    for (const char* url : {"college.db", "mysql://u:secret@h/db", "sqlite://host/x.db",
                            "postgresql://u:secret@h:99999/db", "postgresql://u:secret@h:x/db",
                            "postgresql://u:secret%zz@h/db", "://nothing"}) {
        try {
            (void)create_engine(url);
            ADD_FAILURE() << url << " was accepted";
        } catch (const usage_error& e) {
            EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
        }
    }
}

TEST(core_bad_url, a_file_that_is_not_a_database_is_a_connection_error) {
    const auto url = sqlite_file::url();
    const auto path = parse_url(url).database;
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        std::fputs("this is not a database, just text, long enough to be read as a header", f);
        std::fclose(f);
    }
    auto eng = create_engine(url);
    EXPECT_THROW((void)eng.connect(), connection_error);
    auto missing = create_engine("sqlite:////nonexistent-dir-tabella/x.db");
    EXPECT_THROW((void)missing.connect(), connection_error);
}

} // namespace
} // namespace tabella::testing
