// The session's transactions: flush, commit, rollback and nested savepoints, and what each
// outcome does to the objects (docs/session.md).
#include "flush.hpp"
#include "session_state.hpp"

#include "tabella/error.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

void clear_generated_key(table_runtime& t, std::uint32_t e) {
    if (t.marks[e] & mark_key_generated) clear_generated_key(*t.map, t.objects[e]);
    t.marks[e] &= static_cast<std::uint8_t>(~mark_key_generated);
    t.inserted_at.set(e, 0);
}

} // namespace

connection& session_state::conn() {
    if (closed_) throw usage_error("the session is closed");
    if (own_conn_ && !tx_ && !own_conn_->is_usable()) // lost between transactions
        release_connection();
    if (!conn_) {
        own_conn_.emplace(engine_->connect());
        conn_ = &*own_conn_;
    }
    return *conn_;
}

void session_state::release_connection() noexcept {
    statements_.clear();
    own_conn_.reset();
    conn_ = nullptr;
}

prepared_statement& session_state::statement(const std::string& sql) {
    connection& c = conn();
    const auto it = statements_.find(sql);
    if (it != statements_.end()) return *it->second;
    auto stmt = connection_access::driver(c).prepare(sql);
    return *statements_.emplace(sql, std::move(stmt)).first->second;
}

void session_state::begin() {
    if (tx_) return;
    connection& c = conn();
    // In the caller's transaction the session's work is a SAVEPOINT of its own.
    if (c.in_transaction())
        tx_.emplace(c.begin());
    else
        tx_.emplace(c.begin_write());
}

bool session_state::transaction_lost() noexcept {
    if (!tx_ || !conn_) return false;
    return !conn_->is_usable() || !conn_->transaction_active();
}

void session_state::drop_transaction() noexcept {
    while (!nested_.empty()) nested_.pop_back(); // innermost first
    tx_.reset(); // sends nothing in a transaction the database has ended
    if (own_conn_ && !own_conn_->is_usable()) release_connection();
}

void session_state::autoflush() {
    if (options_.autoflush) flush();
}

void session_state::flush() {
    if (closed_) throw usage_error("flush(): the session is closed");
    flush_plan plan = plan_flush(*this); // checks that fail send nothing
    if (plan.empty()) return;
    try {
        begin();
        auto savepoint = conn().begin();
        send_flush(plan, conn(), options_);
        savepoint.commit();
    } catch (...) {
        undo_flush(plan);
        if (transaction_lost()) {
            replay_after_lost_transaction();
            drop_transaction();
        } else if (tx_ && nested_.empty() && epoch_ == committed_at_) {
            // Nothing in the transaction is worth keeping: end it, so that its locks do
            // not block other connections while the caller fixes the objects.
            try {
                tx_->rollback();
            } catch (...) {
                // The original error matters more than a failed ROLLBACK.
            }
            tx_.reset();
        }
        throw;
    }
    apply_flush(plan, ++epoch_);
}

epoch session_state::run_bulk(table_runtime& t, const std::function<void()>& send) {
    if (closed_) throw usage_error("the session is closed");
    try {
        begin();
        auto savepoint = conn().begin();
        send();
        savepoint.commit();
    } catch (...) {
        if (transaction_lost()) {
            replay_after_lost_transaction();
            drop_transaction();
        }
        throw;
    }
    t.bulk_at = ++epoch_;
    return t.bulk_at;
}

void session_state::commit() {
    flush();
    try {
        while (!nested_.empty()) { // innermost first
            nested_.back().tx.commit();
            nested_.pop_back();
        }
        if (tx_) {
            tx_->commit();
            tx_.reset();
        }
    } catch (...) {
        drop_transaction();
        roll_back_objects(committed_at_);
        committed_at_ = epoch_;
        throw;
    }
    committed_at_ = epoch_;
    for (auto& t : tables_) {
        t->key_changes.clear();
        for (std::uint32_t e = 0; e < t->objects.size(); ++e)
            if (t->states[e] == object_state::deleted) t->states[e] = object_state::detached;
    }
}

void session_state::rollback() {
    if (closed_) throw usage_error("rollback(): the session is closed");
    while (!nested_.empty()) nested_.pop_back(); // ROLLBACK TO each, innermost first
    if (tx_) {
        try {
            tx_->rollback();
        } catch (const error&) {
            // The transaction died with its connection: nothing of it is left to undo.
        }
        tx_.reset();
    }
    drop_transaction();
    roll_back_objects(committed_at_);
    committed_at_ = epoch_;
}

void session_state::close() {
    if (closed_) return;
    drop_transaction();
    for (auto& t : tables_)
        for (std::uint32_t e = 0; e < t->objects.size(); ++e) t->detach(e);
    statements_.clear();
    own_conn_.reset();
    conn_ = nullptr;
    closed_ = true;
}

std::uint64_t session_state::begin_nested() {
    flush();
    begin();
    nested_.push_back({conn().begin(), epoch_, next_nested_id_});
    return next_nested_id_++;
}

bool session_state::nested_is_open(std::uint64_t id) const noexcept {
    return std::any_of(nested_.begin(), nested_.end(),
                       [&](const nested_point& p) { return p.id == id; });
}

void session_state::finish_nested(std::uint64_t id, bool commit) {
    if (!nested_is_open(id)) {
        if (commit)
            throw usage_error("the nested transaction ended with its enclosing transaction");
        return;
    }
    if (nested_.back().id != id) throw usage_error("finish the innermost nested transaction first");
    if (commit) {
        flush();
        nested_.back().tx.commit();
        nested_.pop_back();
        return;
    }
    const epoch since = nested_.back().since;
    try {
        nested_.back().tx.rollback();
    } catch (const error&) {
        // A lost connection: the whole transaction is gone; the next flush finds out.
    }
    nested_.pop_back();
    roll_back_objects(since);
}

void session_state::roll_back_objects(epoch since) {
    relations_.clear(); // collections are loaded again after a rollback, as SQLAlchemy expires
    for (auto& tp : tables_) {
        table_runtime& t = *tp;
        t.undo_key_changes(since);
        std::vector<std::uint32_t> stale;
        for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
            switch (t.states[e]) {
            case object_state::pending: // added since the rollback point
                t.detach(e);
                break;
            case object_state::persistent:
                if (t.inserted_at[e] > since) {
                    t.detach(e);
                    clear_generated_key(t, e);
                    break;
                }
                if (t.marks[e] & mark_removing) {
                    t.marks[e] &= static_cast<std::uint8_t>(~mark_removing);
                    --t.removing;
                }
                if (t.written_at[e] > since || t.is_modified(e) || t.bulk_at > since)
                    stale.push_back(e);
                break;
            case object_state::deleted:
                if (t.written_at[e] <= since) break;
                if (t.inserted_at[e] > since) {
                    t.states[e] = object_state::detached;
                    clear_generated_key(t, e);
                    break;
                }
                t.make_persistent(e, t.keys[e]);
                stale.push_back(e);
                break;
            case object_state::detached:
                break;
            }
        }
        if (stale.empty()) continue;
        try {
            reload(conn(), t, stale);
        } catch (const error&) {
            // Without the database's values the session cannot vouch for these objects:
            // it forgets them, and get() loads them afresh.
            for (const auto e : stale) t.detach(e);
        }
    }
}

void session_state::replay_after_lost_transaction() {
    relations_.clear();
    for (auto& tp : tables_) {
        table_runtime& t = *tp;
        t.undo_key_changes(committed_at_); // a stale object's UPDATE then moves it again
        for (std::uint32_t e = 0; e < t.objects.size(); ++e) {
            const bool inserted = t.inserted_at[e] > committed_at_;
            const bool written = t.written_at[e] > committed_at_;
            if (t.bulk_at > committed_at_ && !inserted) {
                // A bulk statement cannot be replayed, and the objects of its table may
                // hold what it wrote: the session lets them go, and get() reads them again.
                if (t.states[e] != object_state::pending) t.detach(e);
                continue;
            }
            if (t.states[e] == object_state::persistent && inserted) {
                if (t.marks[e] & mark_removing) { // added and removed: nothing to redo
                    t.detach(e);
                    clear_generated_key(t, e);
                    continue;
                }
                t.detach(e);
                clear_generated_key(t, e);
                t.states[e] = object_state::pending;
                ++t.pending;
            } else if (t.states[e] == object_state::deleted && written) {
                if (inserted) {
                    t.states[e] = object_state::detached;
                    clear_generated_key(t, e);
                    continue;
                }
                t.make_persistent(e, t.keys[e]);
                t.marks[e] |= mark_removing;
                ++t.removing;
            } else if (t.states[e] == object_state::persistent && written) {
                t.marks[e] |= mark_stale; // its UPDATE was lost: send every column again
            }
        }
    }
}

} // namespace tabella::detail
