// What a flush sends and checks (docs/session.md, "Flush"): rows of one table that refer to
// each other are ordered across chunks and strategies, cycles and refs to objects outside
// the session are usage errors before anything is sent, every statement's count of
// changed rows is checked (rows dropped by a trigger, rows deleted by another client).
#include "../support/correctness_fixture.hpp"

namespace tabella::testing {
namespace {

using models::course;
using models::enrollment;
using models::node;
using models::student;

template <class B>
class orm_ordering : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (this->engine_) create_all<node>(this->eng());
    }

    /// n nodes, each one added before its parent: a chain (i's parent is i + 1), or a
    /// binary tree laid out from the leaves up.
    static void link_children_before_parents(std::span<node> nodes, bool chain) {
        const std::size_t n = nodes.size();
        for (std::size_t i = 0; i + 1 < n; ++i) {
            const std::size_t heap = n - 1 - i; // the root is the last object
            const std::size_t parent = chain ? i + 1 : n - 1 - (heap - 1) / 2;
            nodes[i].parent = tabella::ref<node>(nodes[parent]);
        }
    }

    /// Every object is stored, with the key of its parent object in its parent column.
    void expect_nodes_stored(std::span<const node> objs) {
        std::map<std::int64_t, std::optional<std::int64_t>> rows;
        for (const auto& r : this->other().execute_sql("SELECT id, parent FROM nodes"))
            rows[r.template get<std::int64_t>(0)] = r.template get<std::optional<std::int64_t>>(1);
        ASSERT_EQ(rows.size(), objs.size());
        for (const auto& o : objs) {
            ASSERT_TRUE(o.id.has_value()) << o.label;
            ASSERT_TRUE(rows.contains(*o.id)) << o.label;
            const std::optional<std::int64_t> expected =
                o.parent ? o.parent->get()->id : std::nullopt;
            ASSERT_TRUE(!o.parent || expected.has_value()) << o.label << ": parent has no key";
            EXPECT_EQ(rows.at(*o.id), expected) << o.label;
        }
    }

    /// n committed nodes inserted with SQL, parents first: id i's parent is i - 1 (a chain)
    /// or i / 2 (a binary tree), from id 1.
    void insert_nodes_with_sql(std::size_t n, bool chain) {
        std::string sql = "INSERT INTO nodes (id, parent, label) VALUES ";
        for (std::size_t i = 1; i <= n; ++i) {
            const std::size_t parent = chain ? i - 1 : i / 2;
            sql += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " +
                   (parent ? std::to_string(parent) : std::string("NULL")) + ", 'n" +
                   std::to_string(i) + "')";
        }
        this->exec({sql});
    }
};
TYPED_TEST_SUITE(orm_ordering, all_backends);

TYPED_TEST(orm_ordering, children_added_before_their_parents_get_the_parents_keys) {
    for (const auto strategy : TestFixture::traits::strategies()) {
        for (const std::size_t page_size : {std::size_t{2}, std::size_t{0}}) {
            for (const bool chain : {true, false}) {
                SCOPED_TRACE(std::string(name_of(strategy)) + ", page_size " +
                             std::to_string(page_size) + (chain ? ", chain" : ", tree"));
                // Unlinked first: InnoDB checks a foreign key at each row, not at the end
                // of the statement.
                this->exec({"UPDATE nodes SET parent = NULL", "DELETE FROM nodes"});
                // Small pages: parents several chunks after their children. Default pages:
                // more rows than one statement takes.
                const std::size_t n = page_size ? 9 : 1201;
                session s(this->eng(), {.strategy = strategy, .page_size = page_size});
                std::vector<node> fresh(n);
                for (std::size_t i = 0; i < n; ++i) fresh[i].label = "n" + std::to_string(i);
                auto objs = s.add_all(std::move(fresh));
                this->link_children_before_parents(objs, chain);
                s.commit();
                this->expect_nodes_stored(objs);
            }
        }
    }
}

TYPED_TEST(orm_ordering, a_self_referencing_tree_is_removed_in_one_commit) {
    for (const bool chain : {true, false}) {
        SCOPED_TRACE(chain ? "chain" : "tree");
        this->insert_nodes_with_sql(1001, chain);
        session s(this->eng());
        const auto loaded = s.query<node>().order_by(&node::id).all();
        ASSERT_EQ(loaded.size(), 1001u);
        for (auto* n : loaded) s.remove(*n);
        s.commit();
        EXPECT_EQ(this->count("nodes"), 0);
        for (auto* n : loaded) EXPECT_EQ(s.state_of(*n), object_state::detached);
    }
}

TYPED_TEST(orm_ordering, a_cycle_of_new_objects_is_a_usage_error_before_anything_is_sent) {
    auto conn = this->eng().connect();
    session s(conn);
    node& a = s.add(node{.label = "a"});
    node& b = s.add(node{.label = "b"});
    a.parent = tabella::ref<node>(b);
    b.parent = tabella::ref<node>(a);
    this->echo_lines_.clear();
    EXPECT_THROW(s.flush(), usage_error);
    EXPECT_EQ(this->echoed("INSERT") + this->echoed("COPY"), 0u);
    EXPECT_EQ(this->count_on(conn, "nodes"), 0);
    EXPECT_FALSE(a.id.has_value() || b.id.has_value());
    EXPECT_EQ(s.pending_count(), 2u);
    b.parent.reset(); // the session stays usable
    s.commit();
    this->expect_nodes_stored(std::vector<node>{a, b});
}

TYPED_TEST(orm_ordering, a_nullable_ref_to_an_object_outside_the_session_is_a_usage_error) {
    auto conn = this->eng().connect();
    session s(conn);
    student& bob = s.add(student{.name = "Bob", .lastname = "C"});
    course stray_course{std::nullopt, "never added", 1};
    enrollment& e = s.add(enrollment{
        .student_id = bob, .course_id = tabella::ref<course>(stray_course), .term = "fall"});
    EXPECT_THROW(s.flush(), usage_error);
    EXPECT_EQ(this->count_on(conn, "students") + this->count_on(conn, "enrollments"), 0);
    EXPECT_FALSE(bob.id.has_value() || e.id.has_value());
    EXPECT_EQ(s.pending_count(), 2u);
    e.course_id.reset();

    node stray_node{.label = "never added"};
    node& child = s.add(node{.parent = tabella::ref<node>(stray_node), .label = "child"});
    EXPECT_THROW(s.flush(), usage_error);
    EXPECT_EQ(this->count_on(conn, "students") + this->count_on(conn, "enrollments") +
                  this->count_on(conn, "nodes"),
              0);
    child.parent.reset();

    s.commit(); // fixed: the same objects go in
    EXPECT_EQ(this->count("students"), 1);
    EXPECT_EQ(this->count("enrollments", "course_id IS NULL"), 1);
    EXPECT_EQ(this->count("nodes", "parent IS NULL"), 1);
}

TYPED_TEST(orm_ordering, rows_dropped_by_a_trigger_fail_the_flush_atomically) {
    this->exec(TestFixture::traits::skip_rows_trigger());
    this->seed_students({101});
    for (const auto strategy : TestFixture::traits::strategies()) {
        SCOPED_TRACE(std::string(name_of(strategy)));
        const auto before = this->count("students");
        auto conn = this->eng().connect();
        session s(conn, {.strategy = strategy});
        auto objs = s.add_all(this->make_students(10));
        objs[7].name = "skip me";
        EXPECT_THROW(s.flush(), error); // 9 rows changed where 10 were sent
        EXPECT_EQ(this->count_on(conn, "students"), before);
        EXPECT_EQ(s.pending_count(), 10u);
        for (const auto& o : objs) EXPECT_FALSE(o.id.has_value()) << o.name;
        objs[7].name = "kept";
        try {
            s.commit();
        } catch (const usage_error& e) { // a strategy that refuses a table with triggers
            if (!this->may_refuse(strategy)) ADD_FAILURE() << e.what();
            continue;
        }
        EXPECT_EQ(this->count("students"), before + 10);
        this->expect_students_stored(objs);
    }
}

TYPED_TEST(orm_ordering, rows_deleted_by_another_client_are_stale_data) {
    this->seed_students({101, 102, 103});
    auto conn = this->eng().connect();
    session s(conn);
    student* a = s.get<student>(101);
    student* b = s.get<student>(102);
    student* c = s.get<student>(103);
    ASSERT_TRUE(a && b && c);
    this->exec({"DELETE FROM students WHERE id IN (101, 103)"});

    a->name = "stale";
    b->name = "b changed";
    student& p = s.add(student{.name = "pending", .lastname = "x"});
    EXPECT_THROW(s.flush(), stale_data_error); // the UPDATE of a matched no row
    EXPECT_EQ(
        this->student_rows_on(conn),
        (std::map<std::int64_t, typename TestFixture::student_row>{{102, this->seeded(102)}}));
    EXPECT_FALSE(p.id.has_value());
    EXPECT_EQ(s.state_of(p), object_state::pending);

    s.remove(*c);
    s.expunge(*a);
    EXPECT_THROW(s.flush(), stale_data_error); // the DELETE of c matched no row
    EXPECT_EQ(
        this->student_rows_on(conn),
        (std::map<std::int64_t, typename TestFixture::student_row>{{102, this->seeded(102)}}));

    s.expunge(*c);
    s.commit();
    const auto rows = this->student_rows();
    EXPECT_EQ(rows.size(), 2u);
    EXPECT_EQ(std::get<0>(rows.at(102)), "b changed");
    ASSERT_TRUE(p.id.has_value());
    EXPECT_EQ(std::get<0>(rows.at(*p.id)), "pending");
}

} // namespace
} // namespace tabella::testing
