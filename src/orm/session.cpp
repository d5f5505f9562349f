// The session's public API and its transaction lifecycle.
#include "session_state.hpp"

#include "tabella/detail/driver.hpp"
#include "tabella/error.hpp"

namespace tabella {
namespace detail {

std::uint32_t table_runtime::add_entry(void* obj, std::uint16_t f) {
    if (objects.size() >= UINT32_MAX)
        throw usage_error("a session tracks at most 2^32 objects a type");
    objects.push_back(obj);
    flags.push_back(f);
    return static_cast<std::uint32_t>(objects.size() - 1);
}

std::optional<std::uint32_t> table_runtime::entry_of(const void* obj) const {
    if (const auto key = map->get_key(obj)) {
        const auto e = identity.find(*key);
        if (e && objects[*e] == obj) return e;
    }
    for (std::size_t i = objects.size(); i-- > 0;) // pending objects have no key yet
        if (objects[i] == obj && !(flags[i] & entry_gone)) return static_cast<std::uint32_t>(i);
    return std::nullopt;
}

void table_runtime::take_snapshot(std::uint32_t entry) {
    if (!track_changes) return;
    const std::size_t width = snapshot_width();
    if (snapshot.size() < objects.size() * width) snapshot.resize(objects.size() * width);
    param_ref refs[64];
    map->bind_row(objects[entry], refs);
    std::uint64_t* out = &snapshot[entry * width];
    for (std::size_t c = 0; c < map->column_count(); ++c)
        if (c != map->key_index) *out++ = fingerprint(refs[c]);
    flags[entry] &= static_cast<std::uint16_t>(~entry_stale);
}

session_state::session_state(engine eng, session_options opts)
    : engine_(std::move(eng)), options_(opts) {}

session_state::session_state(connection& conn, session_options opts)
    : conn_(&conn), options_(opts) {}

session_state::~session_state() {
    tx_.reset(); // rolls back an uncommitted transaction
}

table_runtime& session_state::runtime(const entity_mapping& m) {
    if (closed_) throw usage_error("the session is closed");
    if (const auto it = by_mapping_.find(&m); it != by_mapping_.end()) return *it->second;
    if (m.column_count() > 64)
        throw usage_error("struct " + m.struct_name + " maps more than 64 columns");
    tables_.push_back(std::make_unique<table_runtime>(m, options_.track_changes));
    by_mapping_.emplace(&m, tables_.back().get());
    return *tables_.back();
}

void session_state::close() {
    if (tx_) {
        try {
            tx_->rollback();
        } catch (const error&) {
            // a broken connection: nothing left to roll back
        }
        tx_.reset();
    }
    if (tx_has_work_) forget_transaction_work();
    tx_has_work_ = false;
    own_conn_.reset();
    conn_ = nullptr;
    closed_ = true;
}

connection& session_state::conn() {
    if (closed_) throw usage_error("the session is closed");
    if (own_conn_ && !tx_ && !own_conn_->driver().is_usable()) { // lost between transactions
        own_conn_.reset();
        conn_ = nullptr;
    }
    if (!conn_) {
        own_conn_.emplace(engine_->connect());
        conn_ = &*own_conn_;
    }
    return *conn_;
}

void session_state::begin() {
    if (tx_ || conn().in_transaction()) return;
    tx_.emplace(conn().begin_write());
}

std::size_t session_state::pending_count() const noexcept {
    std::size_t n = 0;
    for (const auto& t : tables_) n += t->pending;
    return n;
}

void session_state::autoflush() {
    if (!options_.autoflush) return;
    for (const auto& t : tables_)
        if (t->pending || t->removing) return flush();
}

void session_state::flush() {
    if (closed_) throw usage_error("flush(): the session is closed");
    try {
        begin();
        auto savepoint = conn().begin();
        run_flush(*this, conn());
        savepoint.commit();
        tx_has_work_ = true;
    } catch (const connection_error&) {
        // The transaction died with the connection: what it held is gone too.
        tx_.reset();
        tx_has_work_ = false;
        forget_transaction_work();
        if (own_conn_) {
            own_conn_.reset();
            conn_ = nullptr;
        }
        throw;
    } catch (...) {
        end_transaction_after_failed_flush();
        throw;
    }
}

void session_state::end_transaction_after_failed_flush() noexcept {
    if (!tx_) return;
    // SQLite ends the whole transaction on some errors (a full disk): then the work of
    // earlier flushes in it is gone too, and the session must say so.
    const bool lost = !conn().driver().transaction_active();
    // With nothing worth keeping, end the transaction so that its locks do not block
    // other connections while the caller fixes the objects.
    if (!lost && tx_has_work_) return;
    try {
        tx_->rollback();
    } catch (...) {
        // The original error matters more than a failed ROLLBACK.
    }
    tx_.reset();
    if (lost && tx_has_work_) forget_transaction_work();
    tx_has_work_ = false;
}

void session_state::commit() {
    flush();
    if (tx_) {
        tx_->commit();
        tx_.reset();
    }
    tx_has_work_ = false;
    finish_transaction_bookkeeping();
}

void session_state::rollback() {
    if (tx_) {
        tx_->rollback();
        tx_.reset();
    }
    tx_has_work_ = false;
    forget_transaction_work();
}

void session_state::finish_transaction_bookkeeping() {
    constexpr auto tx_bits = entry_inserted_in_tx | entry_key_generated | entry_deleted_in_tx;
    for (auto& t : tables_)
        for (auto& f : t->flags) f &= static_cast<std::uint16_t>(~tx_bits);
}

void session_state::forget_transaction_work() {
    for (auto& t : tables_) {
        const entity_mapping& m = *t->map;
        for (std::uint32_t e = 0; e < t->objects.size(); ++e) {
            auto& f = t->flags[e];
            if (f & entry_inserted_in_tx) {
                if (const auto key = m.get_key(t->objects[e])) t->identity.erase(*key);
                if (f & entry_key_generated) m.set_key(t->objects[e], std::nullopt);
                f = entry_pending;
                ++t->pending;
            } else if (f & entry_deleted_in_tx) {
                f = entry_persistent | entry_stale;
                if (const auto key = m.get_key(t->objects[e])) t->identity.insert(*key, e);
            } else if (f & entry_persistent) {
                f |= entry_stale; // its changes, if any, were rolled back with the transaction
            }
        }
    }
}

} // namespace detail

session::session(const engine& eng, session_options options)
    : state_(std::make_unique<detail::session_state>(eng, options)) {}
session::session(connection& conn, session_options options)
    : state_(std::make_unique<detail::session_state>(conn, options)) {}
session::session(session&&) noexcept = default;
session& session::operator=(session&&) noexcept = default;
session::~session() = default;

detail::session_state& session::state() {
    if (!state_) throw usage_error("the session was moved from");
    return *state_;
}

void session::flush() {
    state().flush();
}
void session::commit() {
    state().commit();
}
void session::rollback() {
    state().rollback();
}
void session::close() {
    state().close();
}
bool session::is_closed() const noexcept {
    return !state_ || state_->is_closed();
}
std::size_t session::pending_count() const noexcept {
    return state_ ? state_->pending_count() : 0;
}

detail::object_store& session::store_for(const detail::entity_mapping& m) {
    return *state().runtime(m).store;
}

void session::track(const detail::entity_mapping& m, void* first, std::size_t count,
                    std::size_t stride) {
    auto& t = state().runtime(m);
    auto* p = static_cast<char*>(first);
    t.objects.reserve(t.objects.size() + count);
    t.flags.reserve(t.flags.size() + count);
    for (std::size_t i = 0; i < count; ++i) t.add_entry(p + i * stride, detail::entry_pending);
    t.pending += count;
}

void session::remove_raw(const detail::entity_mapping& m, void* obj) {
    auto& t = state().runtime(m);
    const auto e = t.entry_of(obj);
    if (!e) throw usage_error("remove(): this " + m.struct_name + " is not tracked by the session");
    auto& f = t.flags[*e];
    if (f & detail::entry_pending) { // never inserted: just forget it
        f = detail::entry_gone;
        --t.pending;
    } else if (!(f & detail::entry_removing)) {
        f |= detail::entry_removing;
        ++t.removing;
    }
}

} // namespace tabella

namespace tabella {

// Provisional: replaced by the state machine.
object_state session::state_of_raw(const detail::entity_mapping& m, const void* obj) const {
    if (!state_) return object_state::detached;
    for (const auto& t : state_->tables()) {
        if (t->map != &m) continue;
        const auto e = t->entry_of(obj);
        if (!e) return object_state::detached;
        const auto f = t->flags[*e];
        if (f & detail::entry_pending) return object_state::pending;
        if (f & detail::entry_persistent) return object_state::persistent;
        return object_state::detached;
    }
    return object_state::detached;
}

void session::expunge_raw(const detail::entity_mapping&, void*) {
    throw usage_error("expunge: not implemented yet");
}

nested_transaction session::begin_nested() {
    throw usage_error("begin_nested: not implemented yet");
}

nested_transaction::nested_transaction(nested_transaction&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)), level_(other.level_) {}
nested_transaction::~nested_transaction() = default;
void nested_transaction::commit() {
    throw usage_error("nested_transaction: not implemented yet");
}
void nested_transaction::rollback() {
    throw usage_error("nested_transaction: not implemented yet");
}

} // namespace tabella
