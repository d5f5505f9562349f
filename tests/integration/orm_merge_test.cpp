// session::merge (SQLAlchemy's Session.merge): the state of an object the session need not
// hold copied into the session's object for its key (held, loaded or a new pending copy),
// generated keys written back into the copy, and a failed flush undone as any other.
#include "../support/orm_fixture.hpp"

namespace tabella::testing {
namespace {

struct merge_note {
    BOOST_HANA_DEFINE_STRUCT(merge_note, (std::optional<std::int64_t>, id), (std::string, body),
                             (std::int64_t, version));
};

} // namespace
} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::merge_note> {
    static constexpr std::string_view name = "merge_notes";
    static constexpr std::string_view version = "version";
};

namespace tabella::testing {
namespace {

using models::student;

template <class B>
class orm_merge : public orm_test<B> {
  protected:
    /// A committed student, and its key.
    std::int64_t seed(const std::string& name, std::optional<std::int64_t> id = std::nullopt) {
        session s(this->eng());
        auto& st = s.add(student{id, name, "Seed", 30});
        s.commit();
        return *st.id;
    }
};
TYPED_TEST_SUITE(orm_merge, all_backends);

TYPED_TEST(orm_merge, a_new_object_becomes_a_pending_copy_whose_key_is_written_back) {
    session s(this->eng());
    const student given{std::nullopt, "Ann", "Lee", 20};
    student& merged = s.merge(given);
    EXPECT_NE(&merged, &given);
    EXPECT_EQ(s.state_of(merged), object_state::pending);
    EXPECT_EQ(s.state_of(given), object_state::detached);
    s.commit();
    ASSERT_TRUE(merged.id);
    EXPECT_FALSE(given.id) << "the object given is not changed";
    EXPECT_EQ(std::get<0>(this->rows().at(*merged.id)), "Ann");
    EXPECT_EQ(s.get<student>(*merged.id), &merged);
}

TYPED_TEST(orm_merge, a_detached_object_is_copied_onto_its_loaded_row_and_updated) {
    const auto id = this->seed("Bob");
    student detached;
    {
        session first(this->eng());
        detached = *first.get<student>(id);
    }
    detached.lastname = "Merged";
    session s(this->eng());
    this->echo_lines_.clear();
    student& merged = s.merge(detached);
    EXPECT_EQ(this->echoed("SELECT"), 1u) << "loaded by its key";
    EXPECT_EQ(s.state_of(merged), object_state::persistent);
    EXPECT_EQ(merged.lastname, "Merged");
    EXPECT_EQ(s.get<student>(id), &merged);
    s.commit();
    EXPECT_EQ(this->echoed("UPDATE students SET"), 1u);
    EXPECT_EQ(std::get<1>(this->rows().at(id)), "Merged");
    EXPECT_EQ(this->rows().size(), 1u);
}

TYPED_TEST(orm_merge, an_object_the_session_holds_takes_the_state_without_a_select) {
    const auto id = this->seed("Cy");
    session s(this->eng());
    student* held = s.get<student>(id);
    ASSERT_NE(held, nullptr);
    this->echo_lines_.clear();
    student& merged = s.merge(student{id, "Cyrus", "Seed", 31});
    EXPECT_EQ(&merged, held);
    EXPECT_EQ(this->echoed("SELECT"), 0u);
    EXPECT_EQ(held->name, "Cyrus");
    EXPECT_EQ(&s.merge(*held), held) << "merging the session's own object changes nothing";
    s.commit();
    EXPECT_EQ(this->rows().at(id),
              (std::tuple<std::string, std::string, std::optional<int>>{"Cyrus", "Seed", 31}));
}

TYPED_TEST(orm_merge, a_key_without_a_row_becomes_a_pending_copy_with_that_key) {
    session s(this->eng());
    student& merged = s.merge(student{500, "Dee", "Po", std::nullopt});
    EXPECT_EQ(s.state_of(merged), object_state::pending);
    s.commit();
    EXPECT_EQ(merged.id, 500);
    EXPECT_EQ(std::get<0>(this->rows().at(500)), "Dee");
}

TYPED_TEST(orm_merge, a_removed_objects_key_is_taken_by_a_pending_copy) {
    const auto id = this->seed("Gus");
    for (const bool autoflush : {true, false}) {
        session s(this->eng(), {.autoflush = autoflush});
        student* held = s.get<student>(id);
        ASSERT_NE(held, nullptr);
        s.remove(*held);
        student& merged = s.merge(student{id, autoflush ? "Gil" : "Guy", "Back", 1});
        EXPECT_NE(&merged, held);
        EXPECT_EQ(s.state_of(merged), object_state::pending);
        s.commit();
        EXPECT_EQ(std::get<0>(this->rows().at(id)), autoflush ? "Gil" : "Guy");
    }
}

TYPED_TEST(orm_merge, without_change_tracking_the_merged_members_are_still_sent) {
    const auto id = this->seed("Eve");
    session s(this->eng(), {.track_changes = false});
    (void)s.merge(student{id, "Eva", "Seed", 30});
    s.commit();
    EXPECT_EQ(std::get<0>(this->rows().at(id)), "Eva");
}

TYPED_TEST(orm_merge, a_failed_flush_after_merge_leaves_objects_and_rows_as_before) {
    const auto id = this->seed("Fay");
    session s(this->eng(), {.autoflush = false});
    student& changed = s.merge(student{id, "Faye", "Seed", 30});
    student& fresh = s.merge(student{std::nullopt, "New", "One", 1});
    student& keyed = s.merge(student{600, "Six", "Hundred", 6});
    student& clash = s.add(student{600, "Clash", "Same key", 6}); // the flush fails on it
    EXPECT_THROW(s.flush(), tabella::error);
    EXPECT_EQ(s.state_of(changed), object_state::persistent);
    EXPECT_EQ(changed.name, "Faye") << "the merged change is still to be sent";
    EXPECT_EQ(s.state_of(fresh), object_state::pending);
    EXPECT_FALSE(fresh.id) << "no generated key left behind";
    EXPECT_EQ(s.state_of(keyed), object_state::pending);
    EXPECT_EQ(keyed.id, 600);
    const auto rows = this->rows();
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_EQ(std::get<0>(rows.at(id)), "Fay");

    s.remove(clash); // pending: dropped
    s.commit();
    const auto after = this->rows();
    EXPECT_EQ(after.size(), 3u);
    EXPECT_EQ(std::get<0>(after.at(id)), "Faye");
    ASSERT_TRUE(fresh.id);
    EXPECT_EQ(std::get<0>(after.at(*fresh.id)), "New");
    EXPECT_EQ(std::get<0>(after.at(600)), "Six");
}

TYPED_TEST(orm_merge, a_versioned_object_keeps_the_session_version_and_a_stale_one_is_refused) {
    drop_all<merge_note>(this->eng());
    create_all<merge_note>(this->eng());
    std::int64_t id = 0;
    {
        session s(this->eng());
        auto& n = s.add(merge_note{std::nullopt, "v1", 0});
        s.commit();
        id = *n.id;
    }
    {
        session s(this->eng());
        merge_note& merged = s.merge(merge_note{id, "v2", 0}); // 0: version unknown
        EXPECT_EQ(merged.version, 1);
        s.commit();
        EXPECT_EQ(merged.version, 2);
        EXPECT_EQ(merged.body, "v2");
    }
    {
        session s(this->eng());
        EXPECT_THROW((void)s.merge(merge_note{id, "stale", 1}), stale_data_error);
        merge_note* held = s.get<merge_note>(id);
        ASSERT_NE(held, nullptr);
        EXPECT_EQ(held->body, "v2") << "nothing copied";
        EXPECT_EQ(&s.merge(merge_note{id, "v3", 2}), held);
        s.commit();
        EXPECT_EQ(held->version, 3);
    }
    drop_all<merge_note>(this->eng());
}

} // namespace
} // namespace tabella::testing
