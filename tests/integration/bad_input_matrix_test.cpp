// Every bad input tabella was tried with, and the typed error each one gets, on every
// backend. One row a case: what is wrong, what is done, which error must come out.
#include "../support/college.hpp"
#include "../support/models.hpp"

#include <functional>

namespace tabella::testing {
namespace {

using models::student;

template <class B>
class bad_input_matrix : public college_test<B> {
  protected:
    struct bad_case {
        const char* what;
        std::function<void()> run;
        std::function<void()> expect; // rethrows the caught error as the expected type
    };

    template <class E>
    static bad_case expect(const char* what, std::function<void()> run) {
        return {what, std::move(run), [] {
                    try {
                        throw;
                    } catch (const E&) {
                    }
                }};
    }

    void run_all(const std::vector<bad_case>& cases) {
        for (const auto& c : cases) {
            SCOPED_TRACE(c.what);
            try {
                c.run();
                ADD_FAILURE() << c.what << ": no error";
            } catch (const error& e) {
                try {
                    c.expect();
                } catch (...) {
                    ADD_FAILURE() << c.what << ": wrong error type: " << e.what();
                }
                if (::testing::Test::HasFailure()) return;
            }
            ASSERT_EQ(this->count_students(), 0) << c.what << " left rows behind";
        }
    }
};
TYPED_TEST_SUITE(bad_input_matrix, all_backends);

TYPED_TEST(bad_input_matrix, every_bad_input_gets_its_typed_error) {
    const auto& s = this->students();
    auto& eng = this->eng();
    const std::string long_name(70000, 'n');
    const std::string not_utf8 = "caf\xe9"; // Latin-1, not UTF-8
    using T = TestFixture;
    this->run_all({
        T::template expect<usage_error>("URL without a scheme",
                                        [] { (void)create_engine("college.db"); }),
        T::template expect<usage_error>("URL with an unknown scheme",
                                        [] { (void)create_engine("oracle://h/db"); }),
        T::template expect<usage_error>("URL with a bad port",
                                        [] { (void)create_engine("postgresql://h:99999/db"); }),
        T::template expect<usage_error>("sqlite URL with a host",
                                        [] { (void)create_engine("sqlite://h/x.db"); }),
        T::template expect<usage_error>("unknown sqlite option",
                                        [] { (void)create_engine("sqlite:///x.db?journal=wal"); }),
        T::template expect<syntax_error>(
            "unknown table", [&] { eng.connect().execute_sql("SELECT * FROM nowhere"); }),
        T::template expect<usage_error>(
            "unknown column in values()",
            [&] {
                eng.connect().execute(s.insert().values({{"nick", "x"}}));
            }),
        T::template expect<usage_error>("unknown column in c()", [&] { (void)s.c("nick"); }),
        T::template expect<syntax_error>(
            "unknown column in SQL",
            [&] { eng.connect().execute_sql("SELECT nick FROM students"); }),
        T::template expect<conversion_error>(
            "text into an integer column",
            [&] {
                eng.connect().execute(s.insert().values({{"name", "a"}, {"age", "x"}}));
            }),
        T::template expect<conversion_error>(
            "integer into a text column",
            [&] {
                eng.connect().execute(s.insert().values({{"name", 5}}));
            }),
        T::template expect<conversion_error>(
            "reading text as an integer",
            [&] { (void)eng.connect().execute_sql("SELECT 'x'").template scalar<int>(); }),
        T::template expect<conversion_error>(
            "reading NULL as a non-optional",
            [&] { (void)eng.connect().execute_sql("SELECT NULL").template scalar<std::string>(); }),
        T::template expect<not_null_violation>(
            "NULL into NOT NULL",
            [&] {
                eng.connect().execute(s.insert().values({{"name", nullptr}}));
            }),
        T::template expect<conversion_error>(
            "text that is not UTF-8",
            [&] {
                eng.connect().execute(s.insert().values({{"name", not_utf8}}));
            }),
        T::template expect<usage_error>("rows naming different columns",
                                        [&] {
                                            eng.connect().execute(
                                                s.insert().values(std::vector<param_set>{
                                                    {{"name", "a"}}, {{"lastname", "b"}}}));
                                        }),
        T::template expect<usage_error>("one row over the parameter limit",
                                        [&] {
                                            auto conn = eng.connect();
                                            conn.set_parameter_limit(2);
                                            conn.execute(s.insert().values(std::vector<param_set>{
                                                {{"name", "a"}, {"lastname", "b"}, {"age", 1}}}));
                                        }),
        T::template expect<usage_error>(
            "SQL text over the parameter limit",
            [&] {
                auto conn = eng.connect();
                conn.set_parameter_limit(2);
                conn.execute_sql("SELECT 1 WHERE 1 IN (?, ?, ?)", {1, 2, 3});
            }),
        T::template expect<usage_error>("an empty identifier",
                                        [&] { (void)eng.dialect().quote_identifier(""); }),
        T::template expect<usage_error>(
            "a NUL byte in an identifier",
            [&] { (void)eng.dialect().quote_identifier(std::string("a\0b", 3)); }),
        T::template expect<usage_error>("flush on a closed session",
                                        [&] {
                                            session ses(eng);
                                            ses.close();
                                            ses.flush();
                                        }),
        T::template expect<usage_error>("add to a closed session",
                                        [&] {
                                            session ses(eng);
                                            ses.close();
                                            ses.add(student{std::nullopt, "a", "b", 1});
                                        }),
        T::template expect<usage_error>("removing an object the session does not own",
                                        [&] {
                                            session ses(eng);
                                            student stranger{std::nullopt, "a", "b", 1};
                                            ses.remove(stranger);
                                        }),
        T::template expect<usage_error>("finishing a transaction twice",
                                        [&] {
                                            auto conn = eng.connect();
                                            auto tx = conn.begin();
                                            tx.commit();
                                            tx.commit();
                                        }),
    });
    // Names with quotes and keywords, and long strings, are not errors: they round-trip.
    auto conn = eng.connect();
    conn.execute(s.insert().values({{"name", long_name}, {"lastname", "\"select\" 'from' --"}}));
    const auto back = conn.execute(s.select()).one();
    EXPECT_EQ(back.template get<std::string>("name"), long_name);
    EXPECT_EQ(back.template get<std::string>("lastname"), "\"select\" 'from' --");
}

TYPED_TEST(bad_input_matrix, a_session_outlives_the_engine_variable_it_was_made_from) {
    std::unique_ptr<session> s;
    {
        auto eng = create_engine(this->url_); // the engine variable goes away...
        tabella::create_all<student>(eng);
        s = std::make_unique<session>(eng);
    }
    s->add(student{std::nullopt, "a", "b", 1}); // ...the session keeps the engine alive
    s->commit();
    EXPECT_EQ(s->query<student>().count(), 1);
}

} // namespace
} // namespace tabella::testing
