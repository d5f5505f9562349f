// The randomized session test: calling the session, keys, and the object operations (see
// model_run.hpp).
#include "model_run.hpp"

#include <algorithm>
#include <sstream>
#include <unistd.h>

namespace tabella::testing::model {

// ----------------------------------------------------------------------------------------
// Outcomes.

outcome run::invoke(const std::function<void()>& call, std::string* message) {
    try {
        call();
        return outcome::ok;
    } catch (const unique_violation& e) {
        *message = e.what();
        return outcome::unique;
    } catch (const connection_error& e) {
        *message = e.what();
        return outcome::connection;
    } catch (const usage_error& e) {
        *message = e.what();
        return outcome::usage;
    } catch (const sql_error& e) {
        *message = e.what();
        return e.sqlstate() == "53100" ? outcome::disk_full : outcome::other;
    } catch (const std::exception& e) {
        *message = e.what();
        return outcome::other;
    }
}

bool run::expect(outcome want, outcome got, const std::string& what, const std::string& message) {
    if (want == got) return true;
    problem(what + ": expected " + name_of(want) + ", got " + name_of(got) +
            (message.empty() ? "" : ": " + message));
    return false;
}

void run::flushing(const std::string& what, const std::function<void()>& call,
                   const std::function<void()>& after, bool flushes) {
    const auto plan = flushes ? m_.plan_flush() : flush_plan{};
    const outcome want = plan.violation ? outcome::unique : outcome::ok;
    note(what + (plan.violation ? " -> expect unique_violation (" + plan.why + ")" : ""));
    std::string message;
    const outcome got = invoke(call, &message);
    if (plan.key_change_violation && got == outcome::usage) return; // refused before sending
    if (!expect(want, got, what, message) || got != outcome::ok) return;
    if (flushes)
        for (auto& p : m_.apply_flush()) problem(p);
    if (after) after();
}

// ----------------------------------------------------------------------------------------
// Keys the generator may use.

std::vector<std::int64_t> run::stable_rows(std::optional<std::int64_t> except) const {
    const auto unsettled = m_.unsettled_keys();
    std::vector<std::int64_t> out;
    for (const auto& [k, r] : m_.txview)
        if (!unsettled.contains(k) && k != except) out.push_back(k);
    return out;
}

std::vector<std::int64_t> run::switch_keys() const {
    std::vector<std::int64_t> out;
    for (const auto& a : m_.objects) {
        if (a.state != object_state::persistent || !a.marked || a.members.id != a.loaded) continue;
        bool taken = false;
        for (const auto& o : m_.objects)
            taken |= o.state == object_state::pending && o.members.id == a.loaded;
        if (!taken) out.push_back(*a.loaded);
    }
    return out;
}

std::vector<std::int64_t> run::free_keys() const {
    // Keys of rows deleted since, below the largest key: no generated key reaches them.
    std::vector<std::int64_t> out;
    if (m_.txview.empty()) return out;
    const auto unsettled = m_.unsettled_keys();
    const auto top = m_.txview.rbegin()->first;
    for (const auto k : m_.seen_keys) {
        if (k >= top || m_.txview.contains(k) || unsettled.contains(k)) continue;
        bool pending = false;
        for (const auto& o : m_.objects)
            pending |= o.state == object_state::pending && o.members.id == k;
        if (!pending) out.push_back(k);
    }
    return out;
}

// ----------------------------------------------------------------------------------------
// Operations on objects.

bool run::add_one(const student& v, const std::string& why) {
    session_model sim = m_;
    sim.add_pending(nullptr, v);
    if (sim.ambiguity()) return false;
    note("add #" + std::to_string(m_.objects.size()) + " " + describe(v) + why);
    student& ref = s_->add(student(v));
    if (const auto l = held(&ref)) problem("add() returned the address of " + *l);
    m_.add_pending(&ref, v);
    return true;
}

bool run::op_add() {
    return add_one({std::nullopt, new_name(), new_lastname(), new_age()}, "");
}

bool run::op_add_preset() {
    student v{std::nullopt, new_name(), new_lastname(), new_age()};
    std::string why;
    switch (below(4)) {
    case 0:
        v.id = fresh_key();
        why = " (a new key)";
        break;
    case 1:
        v.id = pick(stable_rows());
        why = " (the key of an existing row: its flush fails)";
        break;
    case 2:
        v.id = pick(switch_keys());
        why = " (the key of a removed object: row switch)";
        break;
    default:
        v.id = pick(free_keys());
        why = " (the key of a deleted row)";
    }
    return v.id && add_one(v, why);
}

bool run::op_add_all() {
    std::vector<student> v(1 + below(4));
    session_model sim = m_;
    std::string text = "add_all [";
    for (auto& x : v) {
        x = {std::nullopt, new_name(), new_lastname(), new_age()};
        const auto r = below(10);
        if (r >= 7) x.id = fresh_key();
        if (r == 6) x.id = pick(stable_rows());
        text += (&x == &v.front() ? "#" : ", #") + std::to_string(sim.objects.size()) + " " +
                describe(x);
        sim.add_pending(nullptr, x);
    }
    if (sim.ambiguity()) return false;
    note(text + "]");
    auto copy = v;
    const std::span<student> got = s_->add_all(std::move(copy));
    if (got.size() != v.size()) {
        problem("add_all() of " + std::to_string(v.size()) + " objects returned a span of " +
                std::to_string(got.size()));
        return true;
    }
    for (std::size_t j = 0; j < v.size(); ++j) {
        if (const auto l = held(&got[j])) problem("add_all() returned the address of " + *l);
        m_.add_pending(&got[j], v[j]);
    }
    return true;
}

bool run::op_change() {
    const auto i = pick_object([](const object& o) { return o.state != object_state::deleted; });
    if (!i) return false;
    auto& o = m_.objects[*i];
    const auto what = below(3);
    if (what != 1) o.members.name = new_name();
    if (what != 0) o.members.age = new_age();
    note(o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ").name = \"" +
         o.members.name +
         "\", .age = " + (o.members.age ? std::to_string(*o.members.age) : "NULL"));
    o.ptr->name = o.members.name;
    o.ptr->age = o.members.age;
    return true;
}

bool run::set_key(std::size_t i, std::optional<std::int64_t> key, const std::string& why) {
    session_model sim = m_;
    sim.objects[i].members.id = key;
    if (sim.ambiguity()) return false;
    auto& o = m_.objects[i];
    note(o.label + " (" + name_of(o.state) +
         ").id = " + (key ? std::to_string(*key) : std::string("none")) + why);
    o.members.id = key;
    o.ptr->id = key;
    return true;
}

bool run::op_change_key() {
    const auto i = pick_object([](const object& o) {
        return o.state == object_state::persistent && !o.marked && !o.inserted_in_tx;
    });
    if (!i) return false;
    const auto& o = m_.objects[*i];
    const auto r = below(100);
    if (r < 60) return set_key(*i, fresh_key(), " (key change to a new key: an UPDATE of the key)");
    if (r < 85) {
        const auto k = pick(stable_rows(o.loaded));
        return k && set_key(*i, k, " (key change to an existing row's key: its flush fails)");
    }
    return m_.key_changed(o) && set_key(*i, o.loaded, " (back to its loaded key)");
}

bool run::op_fix() {
    const auto plan = m_.plan_flush();
    if (!plan.violation) return false;
    const auto i = *pick(plan.offenders);
    const auto& o = m_.objects[i];
    const auto r = below(100);
    if (o.state == object_state::pending) {
        if (r < 45) return set_key(i, fresh_key(), " (fix: a new key)");
        if (r < 60) return set_key(i, std::nullopt, " (fix: a generated key)");
        if (r < 85) return remove_object(i);
        return expunge_object(i);
    }
    if (r < 60) return set_key(i, o.loaded, " (fix: back to its loaded key)");
    return set_key(i, fresh_key(), " (fix: a new key)");
}

bool run::remove_object(std::size_t i) {
    session_model sim = m_;
    auto& so = sim.objects[i];
    if (so.state == object_state::pending) so.state = object_state::detached;
    if (so.state == object_state::persistent) so.marked = true;
    if (sim.ambiguity()) return false;
    const auto& o = m_.objects[i];
    const outcome want = o.state == object_state::detached ? outcome::usage : outcome::ok;
    note("remove " + o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ")" +
         (want == outcome::usage ? " -> expect usage_error" : ""));
    std::string message;
    if (expect(want, invoke([&] { s_->remove(*o.ptr); }, &message), "remove", message))
        m_.objects[i] = so;
    return true;
}

bool run::op_remove() {
    const bool detached = chance(10);
    const auto i = pick_object(
        [&](const object& o) { return (o.state == object_state::detached) == detached; });
    return i && remove_object(*i);
}

bool run::op_remove_stranger() {
    student stranger{std::nullopt, "stranger", "never added", 1};
    note("remove an object the session never owned -> expect usage_error");
    if (s_->state_of(stranger) != object_state::detached)
        problem("state_of() of an object the session never owned is not detached");
    std::string message;
    expect(outcome::usage, invoke([&] { s_->remove(stranger); }, &message), "remove", message);
    return true;
}

bool run::expunge_object(std::size_t i) {
    session_model sim = m_;
    sim.objects[i].state = object_state::detached;
    sim.objects[i].marked = false;
    if (sim.ambiguity()) return false;
    const auto& o = m_.objects[i];
    note("expunge " + o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ")");
    std::string message;
    if (expect(outcome::ok, invoke([&] { s_->expunge(*o.ptr); }, &message), "expunge", message))
        m_.objects[i] = sim.objects[i];
    return true;
}

bool run::op_expunge() {
    const auto i = pick_object([&](const object& o) { return m_.may_expunge(o); });
    return i && expunge_object(*i);
}

} // namespace tabella::testing::model
