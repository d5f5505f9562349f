// Member types beyond numbers and text on every backend: tabella::uuid, dates
// (std::chrono::year_month_day) and microsecond timestamps over the whole of years 1 to
// 9999; a stored time tabella cannot hold is a conversion_error when it is loaded, never
// a wrong value, and only for the queries that read it.
#include "../support/correctness_fixture.hpp"

#include <tabella/uuid.hpp>

#include <array>
#include <chrono>

namespace tabella::testing {
namespace {

using namespace std::chrono;

struct event {
    BOOST_HANA_DEFINE_STRUCT(event, (std::optional<std::int64_t>, id), (tabella::uuid, tag),
                             (std::optional<tabella::uuid>, other_tag), (year_month_day, born),
                             (std::optional<year_month_day>, died), (tabella::timestamp, seen_at),
                             (std::optional<tabella::timestamp>, left_at));
};

/// The same table read into a std::chrono::system_clock member (nanoseconds: 1678-2262).
struct clock_event {
    BOOST_HANA_DEFINE_STRUCT(clock_event, (std::optional<std::int64_t>, id),
                             (std::optional<system_clock::time_point>, seen_at));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::event> {
    static constexpr std::string_view name = "typed_events";
};
template <>
struct tabella::table_traits<tabella::testing::clock_event> {
    static constexpr std::string_view name = "typed_events";
};

namespace tabella::testing {
namespace {

const year_month_day first_day = year(1) / 1 / 1;
const year_month_day last_day = year(9999) / 12 / 31;
const timestamp first_micro = sys_days(first_day) + microseconds(0);
const timestamp last_micro =
    sys_days(last_day) + hours(23) + minutes(59) + seconds(59) + microseconds(999'999);

/// How each backend stores the columns tag, born and seen_at: a query giving one row of
/// three type names, and the names.
template <class B>
struct storage;
template <>
struct storage<postgres> {
    static constexpr const char* sql = "SELECT pg_typeof(tag)::text, pg_typeof(born)::text, "
                                       "pg_typeof(seen_at)::text FROM typed_events LIMIT 1";
    static constexpr std::array<const char*, 3> types{"uuid", "date", "timestamp with time zone"};
};
struct sqlite_storage {
    static constexpr const char* sql =
        "SELECT typeof(tag), typeof(born), typeof(seen_at) FROM typed_events LIMIT 1";
    static constexpr std::array<const char*, 3> types{"blob", "text", "text"};
};
template <>
struct storage<sqlite_file> : sqlite_storage {};
template <>
struct storage<sqlite_memory> : sqlite_storage {};
template <>
struct storage<mariadb> {
    static constexpr const char* sql =
        "SELECT (SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
        "DATABASE() AND TABLE_NAME = 'typed_events' AND COLUMN_NAME = c) FROM (SELECT 'tag' AS "
        "c, 1 AS n UNION ALL SELECT 'born', 2 UNION ALL SELECT 'seen_at', 3) AS names ORDER BY n";
    static constexpr std::array<const char*, 3> types{"binary(16)", "date", "datetime(6)"};
};

/// The three type names storage<B>::sql gives (in one row, or one a row).
std::vector<std::string> type_names(const result& r) {
    std::vector<std::string> out;
    for (const auto& row : r)
        for (std::size_t c = 0; c < row.size(); ++c) out.push_back(row.get<std::string>(c));
    return out;
}

/// Statements that store, with the key 7, a row whose `born` and `seen_at` tabella cannot
/// hold, and the text of `born` as the database gives it back.
template <class B>
struct unreadable_row;
template <>
struct unreadable_row<postgres> {
    static std::vector<std::string> insert(const std::string& tag) {
        return {"INSERT INTO typed_events (id, tag, born, seen_at) VALUES (7, '" + tag +
                "', 'infinity', '-infinity')"};
    }
    static constexpr const char* born_text = "infinity";
};
struct sqlite_unreadable_row {
    static std::vector<std::string> insert(const std::string& tag) {
        return {"INSERT INTO typed_events (id, tag, born, seen_at) VALUES (7, X'" + hex(tag) +
                "', '10000-01-01', 'infinity')"};
    }
    static std::string hex(std::string tag) {
        std::erase(tag, '-');
        return tag;
    }
    static constexpr const char* born_text = "10000-01-01";
};
template <>
struct unreadable_row<sqlite_file> : sqlite_unreadable_row {};
template <>
struct unreadable_row<sqlite_memory> : sqlite_unreadable_row {};
/// Zero dates, which the driver's strict session refuses, stored by a lax session.
template <>
struct unreadable_row<mariadb> {
    static std::vector<std::string> insert(const std::string& tag) {
        return {"SET SESSION sql_mode = ''",
                "INSERT INTO typed_events (id, tag, born, seen_at) VALUES (7, X'" +
                    sqlite_unreadable_row::hex(tag) + "', '0000-00-00', '0000-00-00 00:00:00')"};
    }
    static constexpr const char* born_text = "0000-00-00";
};

template <class B>
class orm_types : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<event>(this->eng());
        create_all<event>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop_all<event>(this->eng());
        correctness_test<B>::TearDown();
    }

    /// Every event, loaded by a fresh session, in key order (copies: the session ends).
    std::vector<event> load_all() {
        session s(this->eng());
        std::vector<event> out;
        for (const event* e : s.query<event>().order_by(&event::id).all()) out.push_back(*e);
        return out;
    }

    static void expect_same(const event& got, const event& want) {
        EXPECT_EQ(got.id, want.id);
        EXPECT_EQ(got.tag, want.tag) << got.tag << " != " << want.tag;
        EXPECT_EQ(got.other_tag, want.other_tag);
        EXPECT_EQ(got.born, want.born);
        EXPECT_EQ(got.died, want.died);
        EXPECT_EQ(got.seen_at, want.seen_at) << got.seen_at.time_since_epoch().count()
                                             << " != " << want.seen_at.time_since_epoch().count();
        EXPECT_EQ(got.left_at, want.left_at);
    }
};
TYPED_TEST_SUITE(orm_types, all_backends);

TYPED_TEST(orm_types, the_first_and_last_microseconds_and_days_and_uuids_round_trip) {
    std::vector<event> sent{
        {.tag = uuid::generate(),
         .born = first_day,
         .seen_at = first_micro,
         .left_at = first_micro},
        {.tag = uuid::generate(),
         .other_tag = uuid::generate(),
         .born = last_day,
         .died = last_day,
         .seen_at = last_micro,
         .left_at = last_micro},
        {.tag = uuid::parse("ffffffff-ffff-ffff-ffff-ffffffffffff"),
         .other_tag = uuid{},
         .born = year(2024) / 2 / 29,
         .died = year(1970) / 1 / 1,
         .seen_at = sys_days(year(1969) / 12 / 31) + hours(23) + minutes(59) + seconds(59) +
                    microseconds(999'999)},
    };
    {
        session s(this->eng());
        s.add_all(std::vector<event>(sent));
        this->echo_lines_.clear();
        s.commit();
        // Nothing was undone and sent again (a RETURNING row compared unequal to the row
        // sent, say).
        for (const auto& line : this->echo_lines_)
            EXPECT_FALSE(line.starts_with("ROLLBACK")) << line;
    }
    const auto got = this->load_all();
    ASSERT_EQ(got.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        sent[i].id = got[i].id; // keys the database generated
        SCOPED_TRACE("event " + std::to_string(i));
        this->expect_same(got[i], sent[i]);
    }
    // Stored as uuid / 16 bytes, date, timestamp (SQLite: text that sorts as time does).
    const auto stored = type_names(this->other().execute_sql(storage<TypeParam>::sql));
    EXPECT_EQ(stored, (std::vector<std::string>(storage<TypeParam>::types.begin(),
                                                storage<TypeParam>::types.end())));
    // What the database stored compares as times and dates do, and a uuid finds its row.
    session s(this->eng());
    const auto late = s.query<event>().where(col(&event::seen_at) > timestamp(seconds(0))).all();
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0]->born, last_day);
    const auto early = s.query<event>().where(col(&event::born) < year(1000) / 1 / 1).all();
    ASSERT_EQ(early.size(), 1u);
    EXPECT_EQ(early[0]->seen_at, first_micro);
    const auto tagged = s.query<event>().where(col(&event::tag) == sent[1].tag).all();
    ASSERT_EQ(tagged.size(), 1u);
    EXPECT_EQ(tagged[0]->other_tag, sent[1].other_tag);
}

TYPED_TEST(orm_types, changed_uuids_and_dates_are_written) {
    const auto first_tag = uuid::generate();
    std::int64_t id = 0;
    {
        session s(this->eng());
        auto& e = s.add(event{.tag = first_tag, .born = first_day, .seen_at = first_micro});
        s.commit();
        id = *e.id;
        e.tag = uuid::generate();
        e.other_tag = first_tag;
        e.born = year(2000) / 1 / 1;
        e.died = last_day;
        e.seen_at = last_micro;
        this->echo_lines_.clear();
        s.commit();
        EXPECT_EQ(this->echoed("UPDATE typed_events"), 1u) << "the change is detected";
    }
    const auto got = this->load_all();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, id);
    EXPECT_NE(got[0].tag, first_tag);
    EXPECT_EQ(got[0].other_tag, first_tag);
    EXPECT_EQ(got[0].born, year(2000) / 1 / 1);
    EXPECT_EQ(got[0].died, last_day);
    EXPECT_EQ(got[0].seen_at, last_micro);
}

TYPED_TEST(orm_types, times_outside_years_1_to_9999_are_refused_before_they_are_stored) {
    const std::vector<event> refused{
        {.tag = uuid::generate(), .born = first_day, .seen_at = first_micro - microseconds(1)},
        {.tag = uuid::generate(), .born = last_day, .seen_at = last_micro + microseconds(1)},
        {.tag = uuid::generate(), .born = year(10000) / 1 / 1, .seen_at = first_micro},
        {.tag = uuid::generate(), .born = year(2023) / 2 / 29, .seen_at = first_micro},
    };
    for (std::size_t i = 0; i < refused.size(); ++i) {
        SCOPED_TRACE("event " + std::to_string(i));
        session s(this->eng());
        s.add(event(refused[i]));
        try {
            s.commit();
            ADD_FAILURE() << "committed";
        } catch (const conversion_error& e) {
            const std::string what = e.what();
            EXPECT_TRUE(what.find("years 1 to 9999") != what.npos ||
                        what.find("not on the calendar") != what.npos)
                << what;
        }
    }
    EXPECT_EQ(this->count("typed_events"), 0);
}

TYPED_TEST(orm_types, a_stored_time_tabella_cannot_hold_fails_only_where_it_is_read) {
    const auto tag = uuid::generate();
    this->exec(unreadable_row<TypeParam>::insert(tag.to_string()));
    // The ORM reads every column: a conversion_error, not a crash or a wrong value.
    {
        session s(this->eng());
        try {
            (void)s.query<event>().all();
            ADD_FAILURE() << "the row was loaded";
        } catch (const conversion_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(unreadable_row<TypeParam>::born_text), what.npos) << what;
            // It names the table, the row's key and the column.
            EXPECT_NE(what.find("typed_events row with key 7"), what.npos) << what;
            EXPECT_NE(what.find("column born"), what.npos) << what;
        }
    }
    // Core reads the row; only converting that cell fails.
    auto conn = this->other();
    const auto res = conn.execute_sql("SELECT * FROM typed_events");
    ASSERT_EQ(res.size(), 1u);
    EXPECT_EQ(res[0].template get<std::int64_t>("id"), 7);
    EXPECT_EQ(res[0].template get<uuid>("tag"), tag);
    EXPECT_THROW((void)res[0].template get<year_month_day>("born"), conversion_error);
    EXPECT_THROW((void)res[0].template get<timestamp>("seen_at"), conversion_error);
    EXPECT_THROW((void)res[0].template get<system_clock::time_point>("seen_at"), conversion_error);
    EXPECT_EQ(res[0].template get<std::optional<timestamp>>("left_at"), std::nullopt);
    const auto narrow = conn.execute_sql("SELECT id, tag FROM typed_events");
    ASSERT_EQ(narrow.size(), 1u);
    EXPECT_EQ(narrow[0].template get<uuid>(1), tag);
}

TYPED_TEST(orm_types, system_clock_members_hold_their_own_range_and_refuse_the_rest) {
    const timestamp in_range =
        sys_days(year(2262) / 1 / 1) + hours(1) + microseconds(123'456); // system_clock: -2262
    {
        session s(this->eng());
        s.add(event{.tag = uuid::generate(), .born = first_day, .seen_at = in_range});
        s.commit();
    }
    {
        session s(this->eng());
        const auto all = s.query<clock_event>().all();
        ASSERT_EQ(all.size(), 1u);
        EXPECT_EQ(all[0]->seen_at, system_clock::time_point(in_range));
    }
    {
        session s(this->eng());
        s.add(event{.tag = uuid::generate(), .born = first_day, .seen_at = last_micro});
        s.commit();
    }
    session s(this->eng());
    try {
        (void)s.query<clock_event>().all();
        ADD_FAILURE() << "year 9999 was loaded into a system_clock::time_point";
    } catch (const conversion_error& e) {
        EXPECT_NE(std::string(e.what()).find("system_clock"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace tabella::testing
