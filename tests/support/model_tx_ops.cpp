// The randomized session test: transactions, queries and loads (see model_run.hpp).
#include "model_run.hpp"

#include <algorithm>
#include <sstream>
#include <unistd.h>

namespace tabella::testing::model {

// ----------------------------------------------------------------------------------------
// Operations on the session.

bool run::op_flush() {
    flushing(
        "flush", [&] { s_->flush(); }, nullptr);
    return true;
}

bool run::op_commit() {
    if (!m_.levels.empty()) return false;
    flushing(
        "commit", [&] { s_->commit(); },
        [&] {
            m_.commit();
            just_ended_ = true;
        });
    return true;
}

bool run::op_rollback() {
    if (!m_.levels.empty()) return false;
    note("rollback");
    std::string message;
    if (expect(outcome::ok, invoke([&] { s_->rollback(); }, &message), "rollback", message)) {
        m_.rollback();
        just_ended_ = true;
    }
    return true;
}

bool run::op_begin_nested() {
    if (m_.levels.size() >= 3) return false;
    flushing(
        "begin_nested (level " + std::to_string(m_.levels.size() + 1) + ")",
        [&] { nested_.push_back(s_->begin_nested()); }, [&] { m_.begin_nested(); });
    return true;
}

bool run::op_nested_commit() {
    if (m_.levels.empty() || nested_.empty() || m_.plan_flush().violation) return false;
    flushing(
        "commit nested level " + std::to_string(m_.levels.size()), [&] { nested_.back().commit(); },
        [&] {
            m_.release_nested();
            if (nested_.back().is_active())
                problem("the nested transaction is active after commit()");
            nested_.pop_back();
        });
    return true;
}

bool run::op_nested_rollback() {
    if (m_.levels.empty() || nested_.empty()) return false;
    if (chance(25)) { // going out of scope while active rolls back
        note("nested level " + std::to_string(m_.levels.size()) +
             " goes out of scope while active (a rollback)");
        nested_.pop_back();
        m_.rollback_nested();
        return true;
    }
    note("rollback nested level " + std::to_string(m_.levels.size()));
    std::string message;
    if (expect(outcome::ok, invoke([&] { nested_.back().rollback(); }, &message), "nested rollback",
               message)) {
        m_.rollback_nested();
        if (nested_.back().is_active())
            problem("the nested transaction is active after rollback()");
        nested_.pop_back();
    }
    return true;
}

void run::check_loaded(student* got, std::int64_t key, const std::string& what) {
    if (!got) return problem(what + " returned nullptr for row " + std::to_string(key));
    if (const auto h = m_.holder(key, true)) {
        if (got != m_.objects[*h].ptr)
            problem(what + " returned " + held(got).value_or("a new object") + " for row " +
                    std::to_string(key) + ", which " + m_.objects[*h].label + " holds");
        return;
    }
    if (const auto l = held(got))
        return problem(what + " returned " + *l + " (" + name_of(s_->state_of(*got)) +
                       ") for row " + std::to_string(key) + ", held by no tracked object");
    more(" -> loads #" + std::to_string(m_.objects.size()));
    m_.add_loaded(got, key);
}

void run::check_query(const std::vector<student*>& got) {
    std::vector<std::int64_t> keys;
    for (const auto& [k, r] : m_.txview) keys.push_back(k);
    if (got.size() != keys.size()) {
        std::string ids;
        for (const auto* p : got) ids += " " + (p && p->id ? std::to_string(*p->id) : "?");
        return problem("all() returned " + std::to_string(got.size()) + " objects (ids" + ids +
                       ") for the " + std::to_string(keys.size()) + " rows the transaction sees");
    }
    for (std::size_t j = 0; j < keys.size(); ++j) check_loaded(got[j], keys[j], "all()");
}

bool run::op_query() {
    if (chance(25)) {
        student* first = nullptr;
        flushing(
            "query<student>().order_by(id).first()",
            [&] { first = s_->query<student>().order_by(&student::id).first(); },
            [&] {
                if (!m_.txview.empty())
                    check_loaded(first, m_.txview.begin()->first, "first()");
                else if (first)
                    problem("first() returned " + held(first).value_or("a new object") +
                            " although the transaction sees no row");
            },
            opts_.autoflush);
        return true;
    }
    std::vector<student*> got;
    flushing(
        "query<student>().order_by(id).all()",
        [&] { got = s_->query<student>().order_by(&student::id).all(); }, [&] { check_query(got); },
        opts_.autoflush);
    return true;
}

bool run::op_count() {
    std::int64_t got = -1;
    flushing(
        "query<student>().count()", [&] { got = s_->query<student>().count(); },
        [&] {
            if (got != static_cast<std::int64_t>(m_.txview.size()))
                problem("count() is " + std::to_string(got) + ", the transaction sees " +
                        std::to_string(m_.txview.size()) + " rows");
        },
        opts_.autoflush);
    return true;
}

bool run::op_get() {
    std::vector<std::int64_t> keys;
    for (const auto& [k, r] : m_.txview) keys.push_back(k);
    keys.insert(keys.end(), m_.seen_keys.begin(), m_.seen_keys.end());
    for (const auto& o : m_.objects)
        if (o.state == object_state::pending && o.members.id) keys.push_back(*o.members.id);
    keys.push_back(1 + static_cast<std::int64_t>(below(40)));
    const auto unsettled = m_.unsettled_keys();
    std::erase_if(keys, [&](std::int64_t k) { return unsettled.contains(k); });
    const auto key = pick(keys);
    if (!key) return false;
    const std::string what = "get(" + std::to_string(*key) + ")";
    student* got = nullptr;
    if (const auto h = m_.holder(*key, false)) { // in the identity map: no flush
        note(what + " -> " + m_.objects[*h].label + " from the identity map");
        std::string message;
        if (expect(outcome::ok, invoke([&] { got = s_->get<student>(*key); }, &message), what,
                   message) &&
            got != m_.objects[*h].ptr)
            problem(what + " returned " + (got ? held(got).value_or("a new object") : "nullptr") +
                    " instead of " + m_.objects[*h].label);
        return true;
    }
    flushing(
        what, [&] { got = s_->get<student>(*key); },
        [&] {
            if (m_.holder(*key, true) || m_.txview.contains(*key))
                check_loaded(got, *key, what);
            else if (got)
                problem(what + " returned " + held(got).value_or("a new object") + " (" +
                        name_of(s_->state_of(*got)) + ") for a key without a row");
        },
        opts_.autoflush);
    return true;
}

} // namespace tabella::testing::model
