// Optimistic locking (table_traits<T>::version): every UPDATE and DELETE of a versioned
// object names the version the session knows and moves it on; a row that another
// transaction changed or deleted meanwhile is a stale_data_error, and the flush is undone.
#include "../support/correctness_fixture.hpp"

#include <algorithm>

namespace tabella::testing {
namespace {

struct note {
    BOOST_HANA_DEFINE_STRUCT(note, (std::optional<std::int64_t>, id), (std::string, body),
                             (std::int64_t, version));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::note> {
    static constexpr std::string_view name = "notes";
    static constexpr std::string_view version = "version";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_version : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<note>(this->eng());
        create_all<note>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop_all<note>(this->eng());
        correctness_test<B>::TearDown();
    }
    /// (body, version) of the notes row `id`, committed; nullopt when there is none.
    std::optional<std::pair<std::string, std::int64_t>> stored(std::int64_t id) {
        auto r = this->other().execute_sql("SELECT body, version FROM notes WHERE id = " +
                                           std::to_string(id));
        if (r.empty()) return std::nullopt;
        return std::pair{r[0].template get<std::string>(0), r[0].template get<std::int64_t>(1)};
    }
    /// A committed note, and its key.
    std::int64_t seed(const std::string& body) {
        session s(this->eng());
        auto& n = s.add(note{std::nullopt, body, 0});
        s.commit();
        return *n.id;
    }
};
TYPED_TEST_SUITE(orm_version, all_backends);

TYPED_TEST(orm_version, an_insert_starts_at_one_and_each_update_moves_it_on) {
    session s(this->eng());
    auto& n = s.add(note{std::nullopt, "first", 0});
    s.commit();
    EXPECT_EQ(n.version, 1);
    EXPECT_EQ(this->stored(*n.id), (std::pair<std::string, std::int64_t>{"first", 1}));
    n.body = "second";
    this->echo_lines_.clear();
    s.commit();
    EXPECT_EQ(n.version, 2);
    EXPECT_EQ(this->stored(*n.id), (std::pair<std::string, std::int64_t>{"second", 2}));
    const auto checked =
        std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(), [](const std::string& l) {
            return l.starts_with("UPDATE notes SET") && l.find(" AND version = ") != l.npos;
        });
    EXPECT_EQ(checked, 1) << "the UPDATE names the version it expects";
    s.commit(); // nothing changed: nothing sent, the version stays
    EXPECT_EQ(this->stored(*n.id)->second, 2);
}

TYPED_TEST(orm_version, of_two_sessions_updating_one_row_the_second_gets_stale_data) {
    const auto id = this->seed("base");
    session first(this->eng()), second(this->eng());
    note* a = first.get<note>(id);
    note* b = second.get<note>(id);
    ASSERT_TRUE(a && b);
    a->body = "first wins";
    first.commit();
    b->body = "second loses";
    EXPECT_THROW(second.commit(), stale_data_error);
    // No lost update; the loser's flush is undone, its object as before the flush.
    EXPECT_EQ(this->stored(id), (std::pair<std::string, std::int64_t>{"first wins", 2}));
    EXPECT_EQ(b->version, 1);
    EXPECT_EQ(b->body, "second loses");
    second.rollback(); // the committed row comes back
    EXPECT_EQ(b->body, "first wins");
    EXPECT_EQ(b->version, 2);
    b->body = "second, after reloading";
    second.commit();
    EXPECT_EQ(this->stored(id),
              (std::pair<std::string, std::int64_t>{"second, after reloading", 3}));
}

TYPED_TEST(orm_version, deleting_a_row_changed_meanwhile_is_stale_data_and_deletes_nothing) {
    const auto id = this->seed("kept");
    const auto other_id = this->seed("also kept");
    session s(this->eng());
    note* n = s.get<note>(id);
    note* m = s.get<note>(other_id);
    ASSERT_TRUE(n && m);
    {
        session meanwhile(this->eng());
        meanwhile.get<note>(id)->body = "changed meanwhile";
        meanwhile.commit();
    }
    s.remove(*n);
    s.remove(*m);
    EXPECT_THROW(s.commit(), stale_data_error);
    EXPECT_EQ(this->stored(id), (std::pair<std::string, std::int64_t>{"changed meanwhile", 2}));
    EXPECT_EQ(this->stored(other_id), (std::pair<std::string, std::int64_t>{"also kept", 1}));
}

TYPED_TEST(orm_version, an_unchanged_row_is_deleted_by_key_and_version) {
    const auto id = this->seed("going");
    session s(this->eng());
    note* n = s.get<note>(id);
    ASSERT_NE(n, nullptr);
    s.remove(*n);
    s.commit();
    EXPECT_EQ(this->stored(id), std::nullopt);
}

TYPED_TEST(orm_version, refresh_reloads_the_row_and_a_gone_row_is_stale_data) {
    const auto id = this->seed("v1");
    session s(this->eng());
    note* n = s.get<note>(id);
    ASSERT_NE(n, nullptr);
    n->body = "an unflushed change, dropped by refresh";
    {
        session meanwhile(this->eng());
        meanwhile.get<note>(id)->body = "v2";
        meanwhile.commit();
    }
    s.refresh(*n);
    EXPECT_EQ(n->body, "v2");
    EXPECT_EQ(n->version, 2);
    s.commit(); // refreshed: nothing to send
    EXPECT_EQ(this->stored(id), (std::pair<std::string, std::int64_t>{"v2", 2}));

    this->other().execute_sql("DELETE FROM notes WHERE id = " + std::to_string(id));
    EXPECT_THROW(s.refresh(*n), stale_data_error);
    EXPECT_EQ(s.state_of(*n), object_state::detached);
    auto& fresh = s.add(note{std::nullopt, "pending", 0});
    EXPECT_THROW(s.refresh(fresh), usage_error);
}

TYPED_TEST(orm_version, populate_existing_overwrites_tracked_objects_with_their_rows) {
    const auto id = this->seed("old");
    session s(this->eng());
    note* n = s.get<note>(id);
    ASSERT_NE(n, nullptr);
    {
        session meanwhile(this->eng());
        meanwhile.get<note>(id)->body = "new";
        meanwhile.commit();
    }
    // The identity map keeps the session's object as it is...
    ASSERT_EQ(s.query<note>().all(), std::vector<note*>{n});
    EXPECT_EQ(n->body, "old");
    // ...unless the query asks for the rows' values.
    ASSERT_EQ(s.query<note>().populate_existing().all(), std::vector<note*>{n});
    EXPECT_EQ(n->body, "new");
    EXPECT_EQ(n->version, 2);
    n->body = "newer";
    s.commit(); // the refreshed version is the one the UPDATE expects
    EXPECT_EQ(this->stored(id), (std::pair<std::string, std::int64_t>{"newer", 3}));
}

TYPED_TEST(orm_version, for_update_reads_inside_the_transaction_with_a_lock) {
    const auto id = this->seed("locked");
    session s(this->eng());
    this->echo_lines_.clear();
    const auto rows = s.query<note>().for_update().all();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(*rows[0]->id, id);
    const auto& lines = this->echo_lines_;
    const auto select = std::find_if(lines.begin(), lines.end(),
                                     [](const std::string& l) { return l.starts_with("SELECT"); });
    ASSERT_NE(select, lines.end());
    // The session's transaction began before the SELECT, which carries the dialect's lock.
    EXPECT_NE(std::find_if(lines.begin(), select,
                           [](const std::string& l) { return l.starts_with("BEGIN"); }),
              select);
    EXPECT_TRUE(select->ends_with(this->eng().dialect().for_update_clause())) << *select;
    {
        // Another connection cannot change the row while the session holds the lock.
        engine other_engine =
            create_engine(TestFixture::traits::independent_url(this->eng(), this->url_),
                          {.busy_timeout = std::chrono::milliseconds(200)});
        const auto change_it = [&] { // in memory, SQLite lets no one even connect now
            auto other = other_engine.connect();
            for (const auto& sql : TestFixture::traits::short_lock_wait()) other.execute_sql(sql);
            other.execute_sql("UPDATE notes SET body = 'blocked' WHERE id = " + std::to_string(id));
        };
        EXPECT_THROW(change_it(), lock_timeout);
    }
    rows[0]->body = "updated under the lock";
    s.commit();
    EXPECT_EQ(this->stored(id)->first, "updated under the lock");
}

} // namespace
} // namespace tabella::testing
