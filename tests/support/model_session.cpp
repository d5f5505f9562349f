// The rules of docs/session.md, applied to the model.
#include "model_session.hpp"

#include <sstream>

namespace tabella::testing::model {

row row_of(const models::student& s) {
    return {s.name, s.lastname, s.age};
}

models::student student_of(std::int64_t key, const row& r) {
    return {key, r.name, r.lastname, r.age};
}

bool same(const models::student& a, const models::student& b) {
    return a.id == b.id && a.name == b.name && a.lastname == b.lastname && a.age == b.age;
}

namespace {

std::string text(const std::string& s) {
    if (s.size() <= 24) return '"' + s + '"';
    return '"' + s.substr(0, 12) + "...\" (" + std::to_string(s.size()) + " bytes)";
}

std::string age_text(const std::optional<int>& age) {
    return age ? std::to_string(*age) : "NULL";
}

} // namespace

std::string describe(const models::student& s) {
    return "{id=" + (s.id ? std::to_string(*s.id) : std::string("none")) +
           ", name=" + text(s.name) + ", lastname=" + text(s.lastname) +
           ", age=" + age_text(s.age) + "}";
}

std::string describe(std::int64_t key, const row& r) {
    return describe(student_of(key, r));
}

std::string difference(const table& database, const table& expected) {
    std::ostringstream out;
    for (const auto& [k, r] : database) {
        const auto it = expected.find(k);
        if (it == expected.end())
            out << "      extra row " << describe(k, r) << '\n';
        else if (!(it->second == r))
            out << "      row " << describe(k, r) << " should be " << describe(k, it->second)
                << '\n';
    }
    for (const auto& [k, r] : expected)
        if (!database.contains(k)) out << "      missing row " << describe(k, r) << '\n';
    return out.str();
}

std::size_t session_model::add_pending(models::student* p, const models::student& members) {
    object o;
    o.ptr = p;
    o.label = "#" + std::to_string(objects.size());
    o.members = members;
    objects.push_back(std::move(o));
    return objects.size() - 1;
}

std::size_t session_model::add_loaded(models::student* p, std::int64_t key) {
    object o;
    o.ptr = p;
    o.label = "#" + std::to_string(objects.size());
    o.from = origin::loaded;
    o.state = object_state::persistent;
    o.loaded = o.load_key = key;
    if (const auto it = txview.find(key); it != txview.end())
        o.members = student_of(key, it->second);
    else
        model_errors.push_back(o.label + " loaded for key " + std::to_string(key) +
                               ", which the transaction does not see");
    // Rows nobody holds are committed and untouched (see may_expunge()).
    if (committed.contains(key) && !touched.contains(key))
        o.committed_key = key;
    else
        model_errors.push_back(o.label + " loaded from row " + std::to_string(key) +
                               ", written since the last commit");
    objects.push_back(std::move(o));
    return objects.size() - 1;
}

bool session_model::key_changed(const object& o) const {
    return o.state == object_state::persistent && o.members.id != o.loaded;
}

std::size_t session_model::pending_count() const {
    std::size_t n = 0;
    for (const auto& o : objects) n += o.state == object_state::pending ? 1 : 0;
    return n;
}

std::optional<std::size_t> session_model::holder(std::int64_t key, bool with_marked) const {
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const auto& o = objects[i];
        if (o.state == object_state::persistent && o.loaded == key && (with_marked || !o.marked))
            return i;
    }
    return std::nullopt;
}

std::set<std::int64_t> session_model::unsettled_keys() const {
    std::set<std::int64_t> out;
    for (const auto& o : objects) {
        if (o.state != object_state::persistent) continue;
        if (o.marked) {
            out.insert(*o.loaded);
            if (o.members.id) out.insert(*o.members.id);
        } else if (key_changed(o)) {
            out.insert(*o.loaded);
            out.insert(*o.members.id);
        }
    }
    return out;
}

flush_plan session_model::plan_flush() const {
    flush_plan p;
    std::map<std::int64_t, int> pending_keys;
    for (const auto& o : objects)
        if (o.state == object_state::pending && o.members.id) ++pending_keys[*o.members.id];
    auto offend = [&](std::size_t i, const std::string& why) {
        p.violation = true;
        p.offenders.push_back(i);
        if (p.why.empty()) p.why = why;
    };
    // Row switch: a removed object's row is the row of its loaded key, whatever its key
    // member holds now (a DELETE addresses the loaded key).
    auto switch_partner = [&](std::int64_t k) {
        for (const auto& a : objects)
            if (a.state == object_state::persistent && a.marked && a.loaded == k) return true;
        return false;
    };
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const auto& o = objects[i];
        if (o.state == object_state::pending) {
            p.sends = true;
            if (!o.members.id) continue;
            const auto k = *o.members.id;
            if (pending_keys[k] > 1)
                offend(i,
                       o.label + " has key " + std::to_string(k) + " like another pending object");
            else if (txview.contains(k) && !switch_partner(k))
                offend(i, o.label + " has the key of row " + std::to_string(k));
        } else if (o.state == object_state::persistent && o.marked) {
            p.sends = true;
        } else if (o.state == object_state::persistent) {
            const auto it = txview.find(*o.loaded);
            if (it == txview.end()) continue; // a model error, reported by apply_flush
            if (!(row_of(o.members) == it->second) || key_changed(o)) {
                p.sends = true;
                if (key_changed(o) && txview.contains(*o.members.id)) {
                    p.key_change_violation = true;
                    offend(i, o.label + " changes its key to existing row " +
                                  std::to_string(*o.members.id));
                }
            }
        }
    }
    return p;
}

std::vector<std::string> session_model::apply_flush() {
    std::vector<std::string> problems;
    bool sent = false;
    std::set<std::int64_t> inserted;
    for (auto& o : objects) { // INSERTs (a row switch UPDATEs the removed object's row)
        if (o.state != object_state::pending) continue;
        sent = true;
        if (!o.members.id) {
            if (!o.ptr->id) {
                problems.push_back(o.label + ": the flush inserted it but left its key empty");
                o.state = object_state::detached; // stop looking at it
                continue;
            }
            const auto got = *o.ptr->id;
            if (txview.contains(got) || inserted.contains(got))
                problems.push_back(o.label + ": generated key " + std::to_string(got) +
                                   " is the key of another row");
            o.members.id = got;
            o.key_generated = true;
        }
        const auto k = *o.members.id;
        for (auto& a : objects)
            if (&a != &o && a.state == object_state::persistent && a.marked && a.loaded == k) {
                a.state = object_state::deleted; // row switch
                a.marked = false;
            }
        txview[k] = row_of(o.members);
        inserted.insert(k);
        touched.insert(k);
        seen_keys.insert(k);
        o.state = object_state::persistent;
        o.loaded = k;
        o.inserted_in_tx = true;
    }
    for (auto& o : objects) { // UPDATEs
        if (o.state != object_state::persistent || o.marked) continue;
        const auto it = txview.find(*o.loaded);
        if (it == txview.end()) {
            model_errors.push_back(o.label + " is persistent without a row");
            continue;
        }
        if (row_of(o.members) == it->second && !key_changed(o)) continue;
        sent = true;
        txview.erase(it);
        touched.insert(*o.loaded);
        const auto k = *o.members.id;
        txview[k] = row_of(o.members);
        touched.insert(k);
        seen_keys.insert(k);
        o.loaded = k;
    }
    for (auto& o : objects) { // DELETEs
        if (o.state != object_state::persistent || !o.marked) continue;
        sent = true;
        txview.erase(*o.loaded);
        touched.insert(*o.loaded);
        o.state = object_state::deleted;
        o.marked = false;
    }
    if (sent) tx_work = true;
    return problems;
}

void session_model::transaction_over() {
    touched.clear();
    tx_work = false;
    levels.clear();
}

void session_model::commit() {
    committed = txview;
    for (auto& o : objects) {
        if (o.state == object_state::deleted) o.state = object_state::detached;
        if (o.state == object_state::persistent) o.committed_key = o.loaded;
        o.inserted_in_tx = false;
        o.key_generated = false;
    }
    transaction_over();
}

void session_model::reload(object& o, std::int64_t key, const table& from) {
    o.loaded = key;
    if (const auto it = from.find(key); it != from.end())
        o.members = student_of(key, it->second);
    else
        model_errors.push_back(o.label + " has no row " + std::to_string(key) + " to reload");
}

void session_model::rollback() {
    for (auto& o : objects) {
        switch (o.state) {
        case object_state::pending: // added since the last commit
            o.state = object_state::detached;
            break;
        case object_state::persistent:
        case object_state::deleted:
            if (o.inserted_in_tx) {
                o.state = object_state::detached;
                if (o.key_generated) o.members.id.reset();
            } else if (o.committed_key) {
                // Unmarked, undeleted; every persistent object holds what its row holds.
                o.state = object_state::persistent;
                reload(o, *o.committed_key, committed);
            } else {
                model_errors.push_back(o.label + " has no committed row to return to");
            }
            break;
        case object_state::detached:
            break;
        }
        o.marked = false;
        o.inserted_in_tx = false;
        o.key_generated = false;
    }
    txview = committed;
    transaction_over();
}

void session_model::begin_nested() {
    levels.push_back({objects, txview, tx_work, touched});
}

void session_model::release_nested() {
    levels.pop_back();
}

void session_model::rollback_nested() {
    savepoint sp = std::move(levels.back());
    levels.pop_back();
    for (std::size_t i = 0; i < objects.size(); ++i) {
        auto& o = objects[i];
        if (o.state == object_state::detached) continue; // detached: nothing
        if (i < sp.objects.size()) {
            const auto& at = sp.objects[i];
            if (at.state == object_state::detached || at.state == object_state::pending) {
                model_errors.push_back(o.label + " was " + name_of(at.state) +
                                       " at begin_nested() and is " + name_of(o.state) + " now");
                continue;
            }
            // Removed since: persistent again; changed since: values as of begin_nested().
            const auto members = o.members;
            o = at;
            if (at.state == object_state::deleted) o.members = members; // never changed
        } else if (o.from == origin::added) {                           // added since P
            o.state = object_state::detached;
            if (o.key_generated) o.members.id.reset();
            o.marked = false;
            o.inserted_in_tx = false;
            o.key_generated = false;
        } else { // loaded since P, from a row P had
            o.state = object_state::persistent;
            o.marked = false;
            reload(o, *o.load_key, sp.txview);
        }
    }
    txview = std::move(sp.txview);
    tx_work = sp.tx_work;
    touched = std::move(sp.touched);
}

void session_model::database_ended_transaction() {
    for (auto& o : objects) {
        switch (o.state) {
        case object_state::pending:
        case object_state::detached:
            break;
        case object_state::persistent:
            if (o.inserted_in_tx) { // pending again, generated key cleared
                o.state = object_state::pending;
                if (o.key_generated) o.members.id.reset();
                o.loaded.reset();
                o.marked = false;
            } else if (o.committed_key) { // updated since: sent again in full
                o.loaded = o.committed_key;
            } else {
                model_errors.push_back(o.label + " has no committed row to return to");
            }
            break;
        case object_state::deleted: // marked for deletion again
            o.state = object_state::persistent;
            o.marked = true;
            o.loaded = o.committed_key;
            break;
        }
        o.inserted_in_tx = false;
        o.key_generated = false;
    }
    txview = committed;
    transaction_over();
}

std::optional<std::string> session_model::ambiguity() const {
    std::set<std::int64_t> changing_from, marked_at, marked_member;
    std::map<std::int64_t, int> changing_to, pending_keys;
    for (const auto& o : objects) {
        if (o.state == object_state::pending && o.members.id) ++pending_keys[*o.members.id];
        if (o.state != object_state::persistent) continue;
        if (o.marked) {
            marked_at.insert(*o.loaded);
            if (o.members.id != o.loaded && o.members.id) marked_member.insert(*o.members.id);
        } else if (key_changed(o)) {
            if (!o.members.id) return o.label + " has an empty key";
            if (o.inserted_in_tx)
                return o.label + " changes the key it was inserted with in this transaction";
            changing_from.insert(*o.loaded);
            ++changing_to[*o.members.id];
        }
    }
    for (const auto& [k, n] : pending_keys) {
        if (changing_from.contains(k) || changing_to.contains(k))
            return "a pending object has key " + std::to_string(k) + " of a key change";
        if (marked_member.contains(k))
            return "a pending object has the changed key " + std::to_string(k) +
                   " of a removed object";
        (void)n;
    }
    for (const auto& [k, n] : changing_to)
        if (n > 1 || changing_from.contains(k) || marked_at.contains(k))
            return "key changes to " + std::to_string(k) + " depend on statement order";
    return std::nullopt;
}

bool session_model::may_lose_transaction(std::string* why) const {
    auto no = [why](std::string reason) {
        *why = std::move(reason);
        return false;
    };
    if (!levels.empty()) return no("nested transactions are open");
    for (const auto& o : objects)
        if (o.inserted_in_tx &&
            (o.state == object_state::deleted || (o.state == object_state::persistent && o.marked)))
            return no(o.label + " was inserted and removed in this transaction");
    if (plan_flush().violation) return no("the next flush fails anyway");
    session_model after = *this;
    after.database_ended_transaction();
    if (auto a = after.ambiguity()) return no("afterwards " + *a);
    return true;
}

bool session_model::may_expunge(const object& o) const {
    if (o.state == object_state::deleted) {
        for (const auto& sp : levels)
            if (sp.touched.contains(*o.loaded)) return false;
        return true;
    }
    if (o.state != object_state::persistent) return true;
    return !o.inserted_in_tx && o.committed_key && o.loaded == o.committed_key &&
           committed.contains(*o.loaded) && !touched.contains(*o.loaded);
}

} // namespace tabella::testing::model
