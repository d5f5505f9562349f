// Self-references and cycles (issue 12): a tree of any size in one table is inserted
// parents first and deleted children first; two tables that reference each other are
// created by create_all and flushed with one ref set by an UPDATE after both rows exist
// (SQLAlchemy's post_update); a graph that cannot be ordered is a usage_error.
#include "../support/correctness_fixture.hpp"

#include <algorithm>

namespace tabella::testing {

struct tree_node {
    BOOST_HANA_DEFINE_STRUCT(tree_node, (std::optional<std::int64_t>, id),
                             (std::optional<tabella::ref<tree_node>>, parent), (std::string, name));
};

/// A tree whose subtrees go with their root.
struct branch {
    BOOST_HANA_DEFINE_STRUCT(branch, (std::optional<std::int64_t>, id),
                             (std::optional<tabella::ref<branch, tabella::on_delete::cascade>>,
                              parent),
                             (int, depth));
};

struct dept;
/// Every employee has a department; a department may have a manager: the cycle is closed
/// by the optional ref.
struct emp {
    BOOST_HANA_DEFINE_STRUCT(emp, (std::optional<std::int64_t>, id), (tabella::ref<dept>, dept_id),
                             (std::string, name));
};
struct dept {
    BOOST_HANA_DEFINE_STRUCT(dept, (std::optional<std::int64_t>, id),
                             (std::optional<tabella::ref<emp>>, manager), (std::string, name));
};

/// Two refs that cannot be empty: rows of these tables can never both be new.
struct hen;
struct egg {
    BOOST_HANA_DEFINE_STRUCT(egg, (std::optional<std::int64_t>, id), (tabella::ref<hen>, laid_by));
};
struct hen {
    BOOST_HANA_DEFINE_STRUCT(hen, (std::optional<std::int64_t>, id),
                             (tabella::ref<egg>, hatched_from));
};

} // namespace tabella::testing

template <>
struct tabella::table_traits<tabella::testing::tree_node> {
    static constexpr std::string_view name = "tree_nodes";
};
template <>
struct tabella::table_traits<tabella::testing::branch> {
    static constexpr std::string_view name = "branches";
};
template <>
struct tabella::table_traits<tabella::testing::emp> {
    static constexpr std::string_view name = "emps";
};
template <>
struct tabella::table_traits<tabella::testing::dept> {
    static constexpr std::string_view name = "depts";
};
template <>
struct tabella::table_traits<tabella::testing::egg> {
    static constexpr std::string_view name = "eggs";
};
template <>
struct tabella::table_traits<tabella::testing::hen> {
    static constexpr std::string_view name = "hens";
};

namespace tabella::testing {
namespace {

template <class B>
class orm_cycles : public correctness_test<B> {
  protected:
    void SetUp() override {
        correctness_test<B>::SetUp();
        if (!this->engine_) return;
        drop_all<tree_node, branch, emp, dept>(this->eng());
        create_all<tree_node, branch, emp, dept>(this->eng());
    }
    void TearDown() override {
        if (this->engine_) drop_all<tree_node, branch, emp, dept>(this->eng());
        correctness_test<B>::TearDown();
    }
    std::size_t updates_of(std::string_view table) const {
        const std::string prefix = "UPDATE " + std::string(table);
        return static_cast<std::size_t>(
            std::count_if(this->echo_lines_.begin(), this->echo_lines_.end(),
                          [&](const std::string& l) { return l.starts_with(prefix); }));
    }
};
TYPED_TEST_SUITE(orm_cycles, all_backends);

TYPED_TEST(orm_cycles, a_tree_of_100000_nodes_is_inserted_and_deleted_in_one_session) {
    constexpr std::size_t n = 100000;
    session s(this->eng());
    std::vector<tree_node*> nodes(n);
    for (std::size_t i = 0; i < n; ++i)
        nodes[i] = &s.add(tree_node{std::nullopt, std::nullopt, "n" + std::to_string(i)});
    // Heap order, read backwards: every node was added before its parent, the root last.
    auto at = [&](std::size_t heap) { return nodes[n - 1 - heap]; };
    for (std::size_t h = 1; h < n; ++h) at(h)->parent = ref<tree_node>(*at((h - 1) / 2));
    s.commit();
    EXPECT_EQ(this->count("tree_nodes"), static_cast<std::int64_t>(n));
    EXPECT_EQ(this->count("tree_nodes", "parent IS NULL"), 1);
    EXPECT_EQ(this->count("tree_nodes c JOIN tree_nodes p ON c.parent = p.id"),
              static_cast<std::int64_t>(n - 1))
        << "every stored parent is a stored node";
    EXPECT_EQ(this->count("tree_nodes", "parent = " + std::to_string(*at(0)->id)), 2);
    for (tree_node* node : nodes) s.remove(*node);
    s.commit();
    EXPECT_EQ(this->count("tree_nodes"), 0);
    EXPECT_EQ(s.state_of(*at(0)), object_state::detached);
}

TYPED_TEST(orm_cycles, removing_a_root_cascades_through_the_tree_held_or_not) {
    // Two trees of 1,023 branches (ten levels), the second stored after the first.
    std::vector<std::int64_t> roots;
    for (int tree = 0; tree < 2; ++tree) {
        session s(this->eng());
        branch& root = s.add(branch{std::nullopt, std::nullopt, 0});
        std::vector<branch*> level{&root};
        for (int depth = 1; depth < 10; ++depth) {
            std::vector<branch*> next;
            for (branch* b : level)
                for (int k = 0; k < 2; ++k)
                    next.push_back(
                        &s.add(branch{std::nullopt, ref<branch, on_delete::cascade>(*b), depth}));
            level = std::move(next);
        }
        s.commit();
        roots.push_back(*root.id);
    }
    ASSERT_EQ(this->count("branches"), 2046);
    // The session holds the whole first tree, and only the root of the second.
    session s(this->eng());
    const auto held = s.query<branch>().where(col(&branch::id) < roots[1]).all();
    ASSERT_EQ(held.size(), 1023u);
    branch* second_root = s.get<branch>(roots[1]);
    ASSERT_NE(second_root, nullptr);
    s.remove(*s.get<branch>(roots[0]));
    s.remove(*second_root);
    s.commit();
    EXPECT_EQ(this->count("branches"), 0)
        << "held subtrees removed by the session, the others by the database";
    EXPECT_TRUE(std::all_of(held.begin(), held.end(), [&](branch* b) {
        return s.state_of(*b) == object_state::detached;
    })) << "every held branch went with its root";
}

TYPED_TEST(orm_cycles, two_tables_that_reference_each_other_are_flushed_with_a_post_update) {
    session s(this->eng());
    dept& lab = s.add(dept{std::nullopt, std::nullopt, "lab"});
    emp& ann = s.add(emp{std::nullopt, lab, "Ann"});
    s.add(emp{std::nullopt, lab, "Bo"});
    lab.manager = ann;
    this->echo_lines_.clear();
    s.commit();
    ASSERT_TRUE(lab.id && ann.id);
    EXPECT_EQ(this->updates_of("depts"), 1u) << "the manager is set after both rows exist";
    EXPECT_EQ(this->count("depts", "manager = " + std::to_string(*ann.id)), 1);
    EXPECT_EQ(this->count("emps", "dept_id = " + std::to_string(*lab.id)), 2);
    ASSERT_TRUE(lab.manager.has_value());
    EXPECT_EQ(lab.manager->get(), &ann);
    this->echo_lines_.clear();
    s.flush();
    EXPECT_TRUE(this->echo_lines_.empty()) << "nothing left to send: " << this->echo_lines_[0];

    for (emp* e : s.query<emp>().all()) s.remove(*e);
    s.remove(lab);
    s.commit();
    EXPECT_EQ(this->count("emps"), 0);
    EXPECT_EQ(this->count("depts"), 0);
}

TYPED_TEST(orm_cycles, a_failed_flush_puts_the_deferred_ref_back) {
    {
        session s(this->eng());
        s.add(dept{std::int64_t{7}, std::nullopt, "taken"});
        s.commit();
    }
    session s(this->eng());
    dept& dup = s.add(dept{std::int64_t{7}, std::nullopt, "duplicate key"});
    emp& ann = s.add(emp{std::nullopt, dup, "Ann"});
    dup.manager = ann;
    EXPECT_THROW(s.flush(), unique_violation);
    ASSERT_TRUE(dup.manager.has_value()) << "the ref emptied for the INSERT is set again";
    EXPECT_EQ(dup.manager->get(), &ann);
    EXPECT_FALSE(ann.id.has_value());
    EXPECT_EQ(s.state_of(dup), object_state::pending);
    EXPECT_EQ(this->count("emps"), 0);
}

TYPED_TEST(orm_cycles, a_graph_that_cannot_be_ordered_is_a_usage_error_naming_the_objects) {
    session s(this->eng());
    egg& e = s.add(egg{});
    hen& h = s.add(hen{std::nullopt, e});
    e.laid_by = h;
    this->echo_lines_.clear();
    try {
        s.flush();
        FAIL() << "expected usage_error";
    } catch (const usage_error& err) {
        const std::string what = err.what();
        EXPECT_NE(what.find("egg (the session's 1st)"), std::string::npos) << what;
        EXPECT_NE(what.find("hen (the session's 1st) its laid_by"), std::string::npos) << what;
        EXPECT_NE(what.find("std::optional"), std::string::npos) << what;
    }
    EXPECT_TRUE(this->echo_lines_.empty()) << "nothing sent";
    EXPECT_EQ(s.state_of(e), object_state::pending);
    EXPECT_EQ(e.laid_by.get(), &h);
}

} // namespace
} // namespace tabella::testing
