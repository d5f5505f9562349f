// Every kind of primary key through the session: natural string keys, composite keys
// (one of them a ref<P>), UUIDv7 keys made by the session, and refs to parents with
// string and UUID keys. Insert, get, update, key change, delete and rollback, checked
// through the database.
#include "../support/correctness_fixture.hpp"

#include <tabella/uuid.hpp>

#include <algorithm>
#include <set>

namespace tabella::testing {
namespace {

struct country {
    BOOST_HANA_DEFINE_STRUCT(country, (std::string, code), (std::string, name));
};
struct city {
    BOOST_HANA_DEFINE_STRUCT(city, (std::optional<std::int64_t>, id),
                             (ref<struct country>, country), (std::string, name));
};
struct purchase {
    BOOST_HANA_DEFINE_STRUCT(purchase, (std::int64_t, id), (std::string, customer));
};
struct order_line {
    BOOST_HANA_DEFINE_STRUCT(order_line, (ref<purchase>, order_id), (int, line_no),
                             (std::string, item), (int, quantity));
};
struct event {
    BOOST_HANA_DEFINE_STRUCT(event, (std::optional<uuid>, id), (std::string, kind));
};
struct attendee {
    BOOST_HANA_DEFINE_STRUCT(attendee, (std::optional<std::int64_t>, id),
                             (ref<struct event>, event), (std::string, name));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::country> {
    static constexpr std::string_view name = "countries";
    static constexpr std::string_view primary_key = "code";
};
template <>
struct tabella::table_traits<tabella::testing::city> {
    static constexpr std::string_view name = "cities";
};
template <>
struct tabella::table_traits<tabella::testing::purchase> {
    static constexpr std::string_view name = "purchases";
};
template <>
struct tabella::table_traits<tabella::testing::order_line> {
    static constexpr std::string_view name = "order_lines";
    static constexpr std::array<std::string_view, 2> primary_key = {"order_id", "line_no"};
};
template <>
struct tabella::table_traits<tabella::testing::event> {
    static constexpr std::string_view name = "events";
};
template <>
struct tabella::table_traits<tabella::testing::attendee> {
    static constexpr std::string_view name = "attendees";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_any_key : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop();
        create_all<country, city, purchase, order_line, event, attendee>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop();
        correctness_test<B>::TearDown();
    }
    void drop() { drop_all<country, city, purchase, order_line, event, attendee>(this->eng()); }

    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> out;
        for (const auto& r : this->other().execute_sql(sql))
            out.push_back(r.template get<std::string>(0));
        return out;
    }
};
TYPED_TEST_SUITE(orm_any_key, all_backends);

TYPED_TEST(orm_any_key, a_natural_string_key_is_inserted_found_changed_and_deleted) {
    {
        session s(this->eng());
        s.add(tabella::testing::country{"ID", "Indonesia"});
        s.add(tabella::testing::country{"FR", "France"});
        auto& nl = s.add(tabella::testing::country{"NL", "Nederland"});
        s.commit();
        EXPECT_EQ(s.get<country>(std::string("NL")), &nl) << "the identity map knows it";
        nl.name = "Netherlands";
        s.commit();
    }
    EXPECT_EQ(this->column("SELECT name FROM countries ORDER BY code"),
              (std::vector<std::string>{"France", "Indonesia", "Netherlands"}));

    session s(this->eng());
    country* id = s.get<country>(std::string("ID"));
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->name, "Indonesia");
    EXPECT_EQ(s.get<country>(std::string("ID")), id) << "one row, one object";
    EXPECT_EQ(s.get<country>(std::string("XX")), nullptr);

    id->code = "IDN"; // a changed natural key is an UPDATE of the key
    this->echo_lines_.clear();
    s.commit();
    EXPECT_TRUE(
        std::any_of(this->echo_lines_.begin(), this->echo_lines_.end(),
                    [](const std::string& l) { return l.starts_with("UPDATE countries"); }));
    EXPECT_EQ(this->column("SELECT code FROM countries ORDER BY code"),
              (std::vector<std::string>{"FR", "IDN", "NL"}));
    EXPECT_EQ(s.get<country>(std::string("IDN")), id);

    s.remove(*s.get<country>(std::string("FR")));
    s.commit();
    EXPECT_EQ(this->column("SELECT code FROM countries ORDER BY code"),
              (std::vector<std::string>{"IDN", "NL"}));
}

TYPED_TEST(orm_any_key, a_rolled_back_key_change_gives_the_old_key_back) {
    {
        session s(this->eng());
        s.add(tabella::testing::country{"ID", "Indonesia"});
        s.commit();
    }
    session s(this->eng());
    country* id = s.get<country>(std::string("ID"));
    ASSERT_NE(id, nullptr);
    id->code = "IDN";
    s.flush();
    if constexpr (correctness_test<TypeParam>::traits::reads_beside_a_writer) {
        EXPECT_EQ(this->count("countries", "code = 'IDN'"), 0) << "not committed yet";
    }
    s.rollback();
    EXPECT_EQ(id->code, "ID");
    EXPECT_EQ(s.get<country>(std::string("ID")), id);
    EXPECT_EQ(this->column("SELECT code FROM countries"), (std::vector<std::string>{"ID"}));
}

TYPED_TEST(orm_any_key, a_composite_key_keeps_every_row_apart) {
    constexpr int orders = 101, lines = 10;
    {
        session s(this->eng());
        std::vector<purchase> ps;
        for (int o = 1; o <= orders; ++o) ps.push_back({o, "c" + std::to_string(o)});
        auto kept = s.add_all(std::move(ps));
        std::vector<order_line> ls;
        for (auto& p : kept)
            for (int l = 1; l <= lines; ++l)
                ls.push_back({p, l, "item " + std::to_string(p.id * 100 + l), l});
        s.add_all(std::move(ls));
        s.commit();
    }
    EXPECT_EQ(this->count("order_lines"), orders * lines);

    session s(this->eng());
    const auto all = s.query<order_line>().all();
    EXPECT_EQ(all.size(), static_cast<std::size_t>(orders * lines))
        << "each (order_id, line_no) is its own object";
    order_line* l = s.get<order_line>(std::int64_t{7}, 3);
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->item, "item 703");
    EXPECT_EQ(*l->order_id.key(), 7);
    EXPECT_EQ(s.get<order_line>(7, 3), l) << "a tracked object for the same composite key";
    EXPECT_EQ(s.get<order_line>(7, 11), nullptr);

    l->quantity = 99;
    s.remove(*s.get<order_line>(7, 4));
    s.commit();
    EXPECT_EQ(this->count("order_lines", "order_id = 7 AND line_no = 3 AND quantity = 99"), 1);
    EXPECT_EQ(this->count("order_lines", "quantity = 99"), 1) << "only that row changed";
    EXPECT_EQ(this->count("order_lines", "order_id = 7 AND line_no = 4"), 0);
    EXPECT_EQ(this->count("order_lines"), orders * lines - 1);

    l->line_no = 40; // part of the key changed: the row moves, the others stay
    s.commit();
    EXPECT_EQ(this->count("order_lines", "order_id = 7 AND line_no = 40 AND quantity = 99"), 1);
    EXPECT_EQ(this->count("order_lines", "order_id = 7 AND line_no = 3"), 0);
    EXPECT_EQ(s.get<order_line>(7, 40), l);
}

TYPED_TEST(orm_any_key, uuid_keys_are_made_by_the_session_in_time_order) {
    session s(this->eng());
    std::vector<struct event> es(50);
    for (std::size_t i = 0; i < es.size(); ++i) es[i].kind = "e" + std::to_string(i);
    auto kept = s.add_all(std::move(es));
    s.commit();
    std::set<uuid> seen;
    std::optional<uuid> previous;
    for (const auto& e : kept) {
        ASSERT_TRUE(e.id.has_value());
        EXPECT_EQ(e.id->version(), 7);
        if (previous) {
            EXPECT_LT(*previous, *e.id) << "UUIDv7: later keys sort after";
        }
        previous = e.id;
        seen.insert(*e.id);
    }
    EXPECT_EQ(seen.size(), kept.size());
    EXPECT_EQ(this->count("events"), 50);

    session fresh(this->eng());
    event* e = fresh.get<event>(*kept[17].id);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->kind, "e17");
    EXPECT_EQ(e->id, kept[17].id);
    e->kind = "changed";
    fresh.commit();
    session third(this->eng());
    EXPECT_EQ(third.get<event>(*kept[17].id)->kind, "changed");
    third.remove(*third.get<event>(*kept[3].id));
    third.commit();
    EXPECT_EQ(this->count("events"), 49);
}

TYPED_TEST(orm_any_key, a_rolled_back_uuid_key_is_cleared) {
    session s(this->eng());
    auto& e = s.add(tabella::testing::event{std::nullopt, "kept?"});
    s.flush();
    ASSERT_TRUE(e.id.has_value());
    s.rollback();
    EXPECT_FALSE(e.id.has_value()) << "SQLAlchemy: keys of rolled-back inserts are cleared";
    EXPECT_EQ(s.state_of(e), object_state::detached);
    EXPECT_EQ(this->count("events"), 0);
}

TYPED_TEST(orm_any_key, refs_to_string_and_uuid_keys_store_the_parents_key) {
    std::string jakarta_country;
    uuid launch_id;
    {
        session s(this->eng());
        auto& id = s.add(tabella::testing::country{"ID", "Indonesia"});
        s.add(city{std::nullopt, id, "Jakarta"});
        auto& launch = s.add(tabella::testing::event{std::nullopt, "launch"});
        s.add(attendee{std::nullopt, launch, "Ada"});
        s.add(attendee{std::nullopt, launch, "Grace"});
        s.commit();
        launch_id = *launch.id;
    }
    EXPECT_EQ(this->column("SELECT country FROM cities"), (std::vector<std::string>{"ID"}));
    session s(this->eng());
    auto cities = s.query<city>().all();
    ASSERT_EQ(cities.size(), 1u);
    const std::optional<std::string> key = cities[0]->country.key();
    EXPECT_EQ(key, "ID");
    country* parent = s.get<country>(*key);
    ASSERT_NE(parent, nullptr);
    EXPECT_EQ(parent->name, "Indonesia");

    const auto people = s.query<attendee>().order_by(&attendee::name).all();
    ASSERT_EQ(people.size(), 2u);
    EXPECT_EQ(people[0]->event.key(), launch_id);
    EXPECT_EQ(people[1]->event.key(), launch_id);
    EXPECT_EQ(s.get<event>(launch_id)->kind, "launch");
}

TYPED_TEST(orm_any_key, a_ref_by_key_to_a_string_keyed_parent_is_sent_as_that_key) {
    {
        session s(this->eng());
        s.add(tabella::testing::country{"FR", "France"});
        s.commit();
    }
    session s(this->eng());
    s.add(city{std::nullopt, ref<country>(std::string("FR")), "Paris"});
    s.commit();
    EXPECT_EQ(this->column("SELECT country FROM cities"), (std::vector<std::string>{"FR"}));
}

TYPED_TEST(orm_any_key, two_objects_with_one_natural_key_fail_the_flush_and_change_nothing) {
    session s(this->eng());
    s.add(tabella::testing::country{"ID", "Indonesia"});
    s.commit();
    auto& dup = s.add(tabella::testing::country{"ID", "Again"});
    EXPECT_THROW(s.flush(), constraint_violation);
    EXPECT_EQ(s.state_of(dup), object_state::pending);
    EXPECT_EQ(this->column("SELECT name FROM countries"), (std::vector<std::string>{"Indonesia"}));
}

} // namespace
} // namespace tabella::testing

namespace tabella::testing {
namespace {

TYPED_TEST(orm_any_key, relationships_to_string_and_uuid_keys_load_in_one_statement_each) {
    {
        session s(this->eng());
        auto& fr = s.add(tabella::testing::country{"FR", "France"});
        auto& nl = s.add(tabella::testing::country{"NL", "Netherlands"});
        for (int i = 0; i < 6; ++i)
            s.add(city{std::nullopt, i % 2 ? fr : nl, "c" + std::to_string(i)});
        auto& party = s.add(tabella::testing::event{std::nullopt, "party"});
        for (int i = 0; i < 3; ++i) s.add(attendee{std::nullopt, party, "a" + std::to_string(i)});
        s.commit();
    }
    session s(this->eng());
    this->echo_lines_.clear();
    auto cities = s.query<city>().order_by(&city::name).load(&city::country).all();
    auto countries =
        s.query<country>().order_by(&country::code).load_children(&city::country).all();
    auto events = s.query<tabella::testing::event>().load_children(&attendee::event).all();
    const auto selects =
        std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                      [](const std::string& l) { return l.starts_with("SELECT"); });
    EXPECT_EQ(selects, 6) << "cities, their countries, the countries again, their cities, "
                             "events, their attendees";
    ASSERT_EQ(cities.size(), 6u);
    ASSERT_EQ(countries.size(), 2u);
    EXPECT_EQ(cities[1]->country.get(), countries[0]) << "c1 is in France";
    EXPECT_EQ(cities[0]->country.get(), countries[1]);
    EXPECT_EQ(s.children(*countries[0], &city::country).size(), 3u);
    ASSERT_EQ(events.size(), 1u);
    const auto guests = s.children(*events[0], &attendee::event);
    ASSERT_EQ(guests.size(), 3u);
    EXPECT_EQ(guests[0]->event.get(), events[0]);
}

} // namespace
} // namespace tabella::testing
