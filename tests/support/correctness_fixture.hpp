// Fixture of the correctness suite (docs/session.md, the session's contract): the ORM
// fixture plus what every test needs to check the database independently of the session,
// through an engine of its own that shares no connection, pool or echo with it.
#pragma once

#include "backend_traits.hpp"
#include "correctness_models.hpp"
#include "names.hpp"
#include "orm_fixture.hpp"

#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace tabella::testing {

template <class Backend>
class correctness_test : public orm_test<Backend> {
  protected:
    using traits = backend_traits<Backend>;
    using student_row = std::tuple<std::string, std::string, std::optional<int>>;

    void TearDown() override {
        // Tables made by the tests go first: late_children references students.
        if (this->engine_)
            this->drop_tables(this->eng(), {"late_children", "nodes", "items", "numbered"});
        orm_test<Backend>::TearDown();
    }

    /// A connection of another engine on the same database: nothing shared with the
    /// session under test, and its statements are not in echo_lines_.
    tabella::connection other() {
        return create_engine(traits::independent_url(this->eng(), this->url_)).connect();
    }

    /// Runs each statement on other(), in autocommit.
    void exec(const std::vector<std::string>& statements) {
        auto conn = other();
        for (const auto& sql : statements) conn.execute_sql(sql);
    }

    /// count(*) of `table` through other(): what is committed.
    std::int64_t count(const std::string& table, const std::string& where = "") {
        auto conn = other();
        return count_on(conn, table, where);
    }
    /// count(*) through `conn`; inside a session's open transaction on `conn`, what that
    /// transaction holds now (an in-memory SQLite database lets no other connection read
    /// while a transaction writes).
    static std::int64_t count_on(connection& conn, const std::string& table,
                                 const std::string& where = "") {
        return conn
            .execute_sql("SELECT count(*) FROM " + table + (where.empty() ? "" : " WHERE " + where))
            .template scalar<std::int64_t>();
    }

    /// id -> (name, lastname, age) of every students row, committed (through other()).
    std::map<std::int64_t, student_row> student_rows() {
        auto conn = other();
        return student_rows_on(conn);
    }
    /// The same through `conn`, e.g. inside a session's transaction.
    static std::map<std::int64_t, student_row> student_rows_on(connection& conn) {
        std::map<std::int64_t, student_row> out;
        auto res = conn.execute_sql("SELECT id, name, lastname, age FROM students");
        for (const auto& r : res)
            out[r.template get<std::int64_t>(0)] = {r.template get<std::string>(1),
                                                    r.template get<std::string>(2),
                                                    r.template get<std::optional<int>>(3)};
        return out;
    }

    /// Committed students rows with the given keys: name<k>, last<k>, age 30. Keys far
    /// above 1 keep clear of the keys the database generates.
    void seed_students(std::initializer_list<std::int64_t> keys) {
        auto conn = other();
        for (const auto k : keys)
            conn.execute_sql("INSERT INTO students (id, name, lastname, age) VALUES (" +
                             std::to_string(k) + ", 'name" + std::to_string(k) + "', 'last" +
                             std::to_string(k) + "', 30)");
    }
    static student_row seeded(std::int64_t k) {
        return {"name" + std::to_string(k), "last" + std::to_string(k), 30};
    }

    /// Every object has a key, and the students row with that key holds its values.
    void expect_students_stored(std::span<const models::student> objs) {
        const auto rows = student_rows();
        for (const auto& o : objs) {
            ASSERT_TRUE(o.id.has_value()) << o.name;
            const auto it = rows.find(*o.id);
            ASSERT_NE(it, rows.end()) << "no row for " << o.name << " (key " << *o.id << ")";
            EXPECT_EQ(std::get<0>(it->second), o.name) << "key " << *o.id;
            EXPECT_EQ(std::get<1>(it->second), o.lastname) << "key " << *o.id;
        }
    }

    /// label -> id of every items row (the id may be NULL in a table whose key the
    /// database does not fill in).
    std::multimap<std::string, std::optional<std::int64_t>> item_rows() {
        std::multimap<std::string, std::optional<std::int64_t>> out;
        for (const auto& r : other().execute_sql("SELECT id, label FROM items"))
            out.emplace(r.template get<std::string>(1),
                        r.template get<std::optional<std::int64_t>>(0));
        return out;
    }

    /// Every object has a key, and it is the key of the one items row with its label.
    void expect_items_stored(std::span<const models::item> objs) {
        const auto rows = item_rows();
        for (const auto& o : objs) {
            ASSERT_TRUE(o.id.has_value()) << o.label;
            ASSERT_EQ(rows.count(o.label), 1u) << o.label;
            EXPECT_EQ(rows.find(o.label)->second, o.id) << o.label;
        }
    }

    /// After a failed flush of `objs` by a session on `conn`: nothing of the flush is in the
    /// database (as `conn` sees it) and the objects have no keys.
    static void expect_items_untouched(connection& conn, std::span<const models::item> objs,
                                       std::int64_t rows_before) {
        EXPECT_EQ(count_on(conn, "items"), rows_before);
        for (const auto& o : objs) EXPECT_FALSE(o.id.has_value()) << o.label;
    }

    static std::vector<models::item> make_items(std::size_t n, const std::string& prefix) {
        std::vector<models::item> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back({.id = std::nullopt, .label = prefix + std::to_string(i)});
        return out;
    }

    /// Strategies that may refuse a table where reserving keys is not safe.
    static bool may_refuse(insert_strategy s) {
        return s == insert_strategy::reserve_keys || s == insert_strategy::copy;
    }

    /// Drops items and creates it anew with the key column `key` (a traits definition),
    /// then runs `then` (triggers...), through other().
    void recreate_items(const char* key, const std::vector<std::string>& then = {}) {
        exec({"DROP TABLE IF EXISTS items",
              std::string("CREATE TABLE items (id ") + key + ", label TEXT NOT NULL)"});
        if (!then.empty()) exec(then);
    }

    /// Commits `s`, whose strategy is `strategy`. True when it committed; false when it
    /// failed, which only a strategy that may refuse the table may do, and then with the
    /// objects `objs` unkeyed and `rows_before` rows in items, as `conn` sees them.
    bool commit_unless_refused(session& s, connection& conn, insert_strategy strategy,
                               std::span<const models::item> objs, std::int64_t rows_before) {
        try {
            s.commit();
            return true;
        } catch (const error& e) {
            if (!may_refuse(strategy)) ADD_FAILURE() << e.what();
            expect_items_untouched(conn, objs, rows_before);
            return false;
        }
    }
};

} // namespace tabella::testing
