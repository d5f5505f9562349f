// Server defaults (table_traits<T>::server_defaults) and the batched INSERT ... RETURNING
// that reads them, and generated keys that cannot be reserved, back into the objects:
// one statement per chunk, each returned row matched to its object by the values sent.
#include "../support/correctness_fixture.hpp"

#include <algorithm>
#include <chrono>

namespace tabella::testing {
namespace {

struct ticket {
    BOOST_HANA_DEFINE_STRUCT(ticket, (std::optional<std::int64_t>, id), (std::string, title),
                             (std::optional<std::int64_t>, priority),
                             (std::optional<std::string>, status));
};
struct ticket_tag {
    BOOST_HANA_DEFINE_STRUCT(ticket_tag, (std::string, code), (ref<struct ticket>, ticket));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::ticket> {
    static constexpr std::string_view name = "tickets";
    static constexpr std::array<tabella::column_default, 2> server_defaults = {
        tabella::column_default{"priority", "7"}, tabella::column_default{"status", "'open'"}};
};
template <>
struct tabella::table_traits<tabella::testing::ticket_tag> {
    static constexpr std::string_view name = "ticket_tags";
    static constexpr std::string_view primary_key = "code";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_defaults : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<ticket, ticket_tag>(this->eng());
        create_all<ticket, ticket_tag>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop_all<ticket, ticket_tag>(this->eng());
        correctness_test<B>::TearDown();
    }
    std::size_t echoed_statements(std::string_view prefix, std::string_view text) const {
        return static_cast<std::size_t>(std::count_if(
            this->echo_lines_.begin(), this->echo_lines_.end(),
            [&](const std::string& l) { return l.starts_with(prefix) && l.find(text) != l.npos; }));
    }
    std::size_t echoed_containing(std::string_view text) const {
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [&](const std::string& l) { return l.find(text) != l.npos; }));
    }
};
TYPED_TEST_SUITE(orm_defaults, all_backends);

TYPED_TEST(orm_defaults, empty_defaulted_members_get_the_databases_values_in_batches) {
    session s(this->eng(), {.page_size = 50});
    std::vector<ticket> ts(200);
    for (std::size_t i = 0; i < ts.size(); ++i) ts[i].title = "t" + std::to_string(i);
    auto kept = s.add_all(std::move(ts));
    auto& urgent = s.add(ticket{std::nullopt, "urgent", 1, "closed"});
    this->echo_lines_.clear();
    s.commit();
    for (const auto& t : kept) {
        ASSERT_TRUE(t.id.has_value());
        EXPECT_EQ(t.priority, 7) << t.title;
        EXPECT_EQ(t.status, "open") << t.title;
    }
    EXPECT_EQ(urgent.priority, 1) << "a value set is sent, not replaced by the default";
    EXPECT_EQ(urgent.status, "closed");
    EXPECT_EQ(this->count("tickets", "priority = 7 AND status = 'open'"), 200);
    EXPECT_EQ(this->count("tickets", "priority = 1 AND status = 'closed'"), 1);
    // 200 rows that leave both defaults out, 50 a statement: four INSERT ... RETURNING;
    // and one for `urgent` where its key cannot be reserved.
    EXPECT_EQ(this->echoed_statements("INSERT INTO tickets", "RETURNING"),
              TestFixture::traits::reserves_keys ? 4u : 5u);
    EXPECT_EQ(this->echoed_containing("per row"), 0u);
    // Each object holds its own row's key.
    session fresh(this->eng());
    for (const auto& t : kept) EXPECT_EQ(fresh.get<ticket>(*t.id)->title, t.title);
}

TYPED_TEST(orm_defaults, create_all_declares_the_defaults) {
    this->exec({"INSERT INTO tickets (title) VALUES ('raw')"});
    EXPECT_EQ(this->count("tickets", "title = 'raw' AND priority = 7 AND status = 'open'"), 1);
}

TYPED_TEST(orm_defaults, a_failed_flush_empties_the_defaults_it_read_back) {
    {
        session s(this->eng());
        auto& t = s.add(ticket{std::nullopt, "first", 2, "open"});
        s.flush();
        s.add(ticket_tag{"dup", t});
        s.commit();
    }
    session s(this->eng());
    auto& t = s.add(ticket{std::nullopt, "second", std::nullopt, std::nullopt});
    s.add(ticket_tag{"dup", t}); // tickets go first, then this INSERT fails
    EXPECT_THROW(s.flush(), constraint_violation);
    EXPECT_FALSE(t.id.has_value());
    EXPECT_FALSE(t.priority.has_value()) << "as before the flush";
    EXPECT_FALSE(t.status.has_value());
    EXPECT_EQ(this->count("tickets"), 1);
}

TYPED_TEST(orm_defaults, keys_that_cannot_be_reserved_come_back_in_batches) {
    // A table whose keys the session cannot reserve (a trigger on it) gets multi-row
    // INSERT ... RETURNING, not one statement per row.
    auto trigger = TestFixture::traits::key_assigning_trigger();
    // SQLite's triggers cannot set the key; its AFTER trigger changes the label after
    // RETURNING has read the row.
    if (trigger.empty()) trigger = TestFixture::traits::upper_label_trigger();
    this->recreate_items(TestFixture::traits::generated_key, trigger);
    session s(this->eng());
    auto objs = s.add_all(this->make_items(120, "batched-"));
    this->echo_lines_.clear();
    s.commit();
    EXPECT_EQ(this->count("items"), 120);
    if (TestFixture::traits::key_assigning_trigger().empty()) {
        EXPECT_EQ(this->count("items", "label LIKE 'BATCHED-%'"), 120);
        session check(this->eng());
        for (const auto& o : objs) EXPECT_TRUE(check.get<models::item>(*o.id)) << o.label;
    } else {
        this->expect_items_stored(objs);
    }
    EXPECT_EQ(this->echoed_containing("120 by multi-row INSERT ... RETURNING"), 1u);
    EXPECT_EQ(this->echoed_containing("per row"), 0u);
}

} // namespace
} // namespace tabella::testing
