// Keys drawn from a named sequence (issue 11): table_traits<T>::key_sequence, as
// SQLAlchemy's Sequence() on a key column, made by create_all or by another program; and,
// on PostgreSQL, a key whose DEFAULT is nextval of a sequence the column does not own.
// Keys are reserved a block at a time and the rows go out as multi-row INSERTs (or COPY).
#include "../support/correctness_fixture.hpp"

#include <algorithm>
#include <set>
#include <thread>

namespace tabella::testing {
namespace {

struct gadget {
    BOOST_HANA_DEFINE_STRUCT(gadget, (std::optional<std::int64_t>, id), (std::string, label),
                             (int, rank));
};
struct widget {
    BOOST_HANA_DEFINE_STRUCT(widget, (std::optional<std::int64_t>, id), (std::string, label));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::gadget> {
    static constexpr std::string_view name = "gadgets";
    static constexpr std::string_view key_sequence = "gadget_ids";
};
// A sequence whose name needs quoting, made by another program (see make_widgets_table).
template <>
struct tabella::table_traits<tabella::testing::widget> {
    static constexpr std::string_view name = "widgets";
    static constexpr std::string_view key_sequence = "Widget Ids";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_sequence : public correctness_test<B> {
  protected:
    using traits = backend_traits<B>;

    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop();
        create_all<gadget>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop();
        correctness_test<B>::TearDown();
    }
    void drop() {
        drop_all<gadget>(this->eng());
        this->exec({"DROP TABLE IF EXISTS widgets", "DROP TABLE IF EXISTS items"});
        if (traits::has_sequences)
            this->exec({"DROP SEQUENCE IF EXISTS " + quoted("Widget Ids"),
                        "DROP SEQUENCE IF EXISTS item_ids"});
    }

    std::string quoted(std::string_view name) {
        return this->other().dialect().quote_identifier(name);
    }
    /// The next value of a sequence (and the sequence moves on).
    std::int64_t next_value(std::string_view name) {
        return this->other()
            .execute_sql(traits::next_value_sql(quoted(name)))
            .template scalar<std::int64_t>();
    }

    /// widgets as another program makes it: a named sequence (from 500) and a key column
    /// with no default; on SQLite, which has no sequences, the rowid.
    void make_widgets_table() {
        if (traits::has_sequences)
            this->exec({"CREATE SEQUENCE " + quoted("Widget Ids") + " START WITH 500",
                        "CREATE TABLE widgets (id BIGINT PRIMARY KEY, "
                        "label VARCHAR(100) NOT NULL UNIQUE)"});
        else
            this->exec({"CREATE TABLE widgets (id INTEGER PRIMARY KEY, "
                        "label VARCHAR(100) NOT NULL UNIQUE)"});
    }

    /// id -> label of every row of `table`, committed.
    std::map<std::int64_t, std::string> labels(const std::string& table) {
        std::map<std::int64_t, std::string> out;
        for (const auto& r : this->other().execute_sql("SELECT id, label FROM " + table))
            out[r.template get<std::int64_t>(0)] = r.template get<std::string>(1);
        return out;
    }

    std::size_t echoed_starting(std::string_view prefix) const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [&](const std::string& l) { return l.starts_with(prefix); }));
    }
    std::size_t echoed_containing(std::string_view text) const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [&](const std::string& l) { return l.find(text) != l.npos; }));
    }
    /// Statements that sent rows of `table`: INSERTs and COPYs.
    std::size_t row_statements(const std::string& table) const {
        return echoed_starting("INSERT INTO " + table) + echoed_starting("COPY " + table);
    }

    template <class T>
    static std::vector<T> make(std::size_t n, const std::string& prefix) {
        std::vector<T> out(n);
        for (std::size_t i = 0; i < n; ++i) out[i].label = prefix + std::to_string(i);
        return out;
    }
    /// The keys of `objs`: each set, all distinct.
    template <class T>
    static std::set<std::int64_t> distinct_keys(std::span<const T> objs) {
        std::set<std::int64_t> keys;
        for (const auto& o : objs)
            if (o.id) keys.insert(*o.id);
        EXPECT_EQ(keys.size(), objs.size()) << "every object has a key of its own";
        return keys;
    }
};
TYPED_TEST_SUITE(orm_sequence, all_backends);

TYPED_TEST(orm_sequence, a_flush_reserves_keys_from_the_sequence_create_all_made) {
    session s(this->eng());
    auto gs = this->template make<gadget>(1000, "g");
    for (std::size_t i = 0; i < gs.size(); ++i) gs[i].rank = static_cast<int>(i);
    auto kept = s.add_all(std::move(gs));
    this->echo_lines_.clear();
    s.commit();
    const auto keys = this->distinct_keys(std::span<const gadget>(kept));
    const auto rows = this->labels("gadgets");
    ASSERT_EQ(rows.size(), 1000u);
    for (const auto& g : kept) EXPECT_EQ(rows.at(*g.id), g.label);
    EXPECT_EQ(this->count("gadgets", "rank = 999 AND label = 'g999'"), 1);
    const auto statements = this->row_statements("gadgets");
    EXPECT_GE(statements, 1u);
    EXPECT_LE(statements, 4u) << "multi-row statements, not one per object";
    EXPECT_EQ(this->echoed_containing("RETURNING"), 0u);
    if (TestFixture::traits::has_sequences) {
        EXPECT_EQ(this->echoed_containing(TestFixture::traits::sequence_draw_sql), 1u)
            << "1,000 keys in one round trip";
        EXPECT_EQ(this->echoed_containing(
                      "gadgets: inserted 1000 with keys reserved from sequence gadget_ids by "),
                  1u);
        EXPECT_GT(this->next_value("gadget_ids"), *keys.rbegin());
    } else {
        EXPECT_EQ(this->echoed_containing("from sequence"), 0u) << "SQLite ignores it";
    }
}

TYPED_TEST(orm_sequence, create_all_makes_a_key_column_without_a_default) {
    const std::string raw = "INSERT INTO gadgets (label, rank) VALUES ('raw', 1)";
    if (TestFixture::traits::has_sequences) {
        EXPECT_THROW(this->exec({raw}), sql_error) << "no identity, serial or AUTO_INCREMENT";
        const auto id = this->next_value("gadget_ids");
        this->exec({"INSERT INTO gadgets (id, label, rank) VALUES (" + std::to_string(id) +
                    ", 'raw', 1)"});
    } else {
        this->exec({raw}); // the rowid
    }
    EXPECT_EQ(this->count("gadgets", "label = 'raw'"), 1);
}

TYPED_TEST(orm_sequence, drop_all_drops_the_sequence) {
    create_all<gadget>(this->eng()); // a second time: IF NOT EXISTS
    drop_all<gadget>(this->eng());
    if (TestFixture::traits::has_sequences) {
        EXPECT_THROW((void)this->next_value("gadget_ids"), sql_error);
    }
    EXPECT_THROW((void)this->count("gadgets"), sql_error);
}

TYPED_TEST(orm_sequence, a_table_another_program_made_with_a_named_sequence) {
    this->make_widgets_table();
    session s(this->eng(), {.page_size = 100});
    auto kept = s.add_all(this->template make<widget>(300, "w"));
    this->echo_lines_.clear();
    s.commit();
    const auto keys = this->distinct_keys(std::span<const widget>(kept));
    const auto rows = this->labels("widgets");
    ASSERT_EQ(rows.size(), 300u);
    for (const auto& w : kept) EXPECT_EQ(rows.at(*w.id), w.label);
    EXPECT_GE(this->row_statements("widgets"), 1u);
    EXPECT_LE(this->row_statements("widgets"), 3u);
    if (TestFixture::traits::has_sequences) {
        EXPECT_GE(*keys.begin(), 500) << "drawn from the sequence, which starts at 500";
        EXPECT_EQ(this->echoed_containing("with keys reserved from sequence Widget Ids"), 1u);
        EXPECT_GT(this->next_value("Widget Ids"), *keys.rbegin());
    }
}

TYPED_TEST(orm_sequence, a_failed_flush_leaves_no_keys_and_no_rows) {
    this->make_widgets_table();
    this->exec({"INSERT INTO widgets (id, label) VALUES (1, 'taken')"});
    session s(this->eng(), {.page_size = 100});
    auto kept = s.add_all(this->template make<widget>(1000, "w"));
    kept[700].label = "taken"; // a unique violation in the eighth statement
    EXPECT_THROW(s.flush(), unique_violation);
    for (const auto& w : kept) EXPECT_FALSE(w.id.has_value()) << w.label;
    EXPECT_EQ(this->count("widgets"), 1);
    kept[700].label = "free";
    s.commit(); // the session is still usable, and draws new keys
    this->distinct_keys(std::span<const widget>(kept));
    EXPECT_EQ(this->count("widgets"), 1001);
}

TYPED_TEST(orm_sequence, sessions_flushing_at_the_same_time_get_disjoint_keys) {
    constexpr int threads = 2;
    std::vector<std::vector<gadget>> kept(threads);
    std::vector<std::string> failures(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            try {
                session s(this->eng(), {.page_size = 100});
                auto objs = s.add_all(this->template make<gadget>(1000, "t" + std::to_string(t)));
                s.commit();
                kept[t].assign(objs.begin(), objs.end());
            } catch (const std::exception& e) {
                failures[t] = e.what();
            }
        });
    for (auto& w : workers) w.join();
    std::set<std::int64_t> keys;
    for (int t = 0; t < threads; ++t) {
        EXPECT_EQ(failures[t], "");
        for (const auto& g : kept[t]) keys.insert(g.id.value_or(-1));
    }
    EXPECT_EQ(keys.size(), 2000u);
    EXPECT_EQ(this->count("gadgets"), 2000);
}

TYPED_TEST(orm_sequence, open_transactions_draw_disjoint_keys_without_waiting) {
    if (!TestFixture::traits::has_sequences) GTEST_SKIP() << "SQLite: one writer at a time";
    session first(this->eng()), second(this->eng());
    auto a = first.add_all(this->template make<gadget>(500, "a"));
    auto b = second.add_all(this->template make<gadget>(500, "b"));
    first.flush();
    second.flush(); // both transactions open: sequences are not transactional
    second.commit();
    first.commit();
    std::set<std::int64_t> keys;
    for (const auto& g : a) keys.insert(*g.id);
    for (const auto& g : b) keys.insert(*g.id);
    EXPECT_EQ(keys.size(), 1000u);
    EXPECT_EQ(this->count("gadgets"), 1000);
}

TYPED_TEST(orm_sequence, a_key_defaulting_to_a_sequence_it_does_not_own_is_reserved_from_it) {
    if (!TestFixture::traits::unowned_sequence_key) GTEST_SKIP() << "PostgreSQL's catalog";
    this->exec({"CREATE SEQUENCE item_ids START WITH 7000"});
    this->recreate_items(TestFixture::traits::unowned_sequence_key);
    session s(this->eng());
    auto kept = s.add_all(this->make_items(500, "u"));
    this->echo_lines_.clear();
    s.commit();
    this->expect_items_stored(kept);
    EXPECT_GE(*this->distinct_keys(std::span<const models::item>(kept)).begin(), 7000);
    EXPECT_EQ(this->echoed_containing("items.id: keys reserved from sequence item_ids"), 1u);
    EXPECT_EQ(this->echoed_containing("items: inserted 500 with reserved keys by "), 1u);
    EXPECT_EQ(this->echoed_containing("RETURNING"), 0u);
}

TYPED_TEST(orm_sequence, a_default_that_is_more_than_one_nextval_is_not_reserved) {
    if (!TestFixture::traits::computed_sequence_key) GTEST_SKIP() << "PostgreSQL's catalog";
    this->exec({"CREATE SEQUENCE item_ids"});
    this->recreate_items(TestFixture::traits::computed_sequence_key);
    session s(this->eng());
    auto kept = s.add_all(this->make_items(50, "c"));
    this->echo_lines_.clear();
    s.commit();
    this->expect_items_stored(kept);
    EXPECT_EQ(this->echoed_containing("from sequence"), 0u);
    EXPECT_EQ(this->echoed_containing("items: inserted 50 by multi-row INSERT ... RETURNING"), 1u);
}

} // namespace
} // namespace tabella::testing
