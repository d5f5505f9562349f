// The session's public API and the per-object operations of its state machine
// (docs/session.md): add, remove, expunge, state_of.
#include "fingerprint.hpp"
#include "row_refs.hpp"
#include "session_state.hpp"

#include "tabella/error.hpp"

#include <algorithm>
#include <utility>

namespace tabella {
namespace detail {

std::uint32_t table_runtime::add_entries(void* first, std::size_t count, std::size_t stride,
                                         object_state state) {
    if (objects.size() + count >= UINT32_MAX)
        throw usage_error("a session tracks at most 2^32 objects a type");
    const auto entry = static_cast<std::uint32_t>(objects.size());
    ++changes;
    objects.append(first, count, stride);
    const std::size_t size = objects.size();
    states.resize(size, state);
    marks.resize(size, 0);
    keys.resize(size);
    inserted_at.resize(size);
    written_at.resize(size);
    return entry;
}

void table_runtime::take_snapshot(std::uint32_t entry) {
    ++changes;
    marks[entry] &= static_cast<std::uint8_t>(~mark_stale);
    if (!track_changes) return;
    row_refs refs(map->column_count());
    map->bind_row(objects[entry], refs.data());
    std::uint64_t* out = snapshot.row(entry);
    for (std::size_t c = 0; c < map->column_count(); ++c)
        if (!(map->key_mask & (std::uint64_t{1} << c))) *out++ = fingerprint(refs[c]);
}

bool table_runtime::snapshot_cells(std::uint32_t entry, const param_ref* cells) {
    if (!map->snapshot_from_cells) return false;
    std::uint64_t* out = snapshot.row(entry);
    for (std::size_t c = 0; c < map->column_count(); ++c) {
        if (map->key_mask >> c & 1) continue;
        // A NULL loaded into an optional member, which binds as NULL.
        if (cells[c].kind != map->exact_kinds[c] && cells[c].kind != value_kind::null) return false;
        *out++ = fingerprint(cells[c]);
    }
    return true;
}

bool table_runtime::is_modified(std::uint32_t entry) const {
    std::string buffer;
    if (object_key(*map, objects[entry], buffer) != keys[entry]) return true;
    if (marks[entry] & mark_stale) return true;
    if (!track_changes) return false;
    row_refs refs(map->column_count());
    map->bind_row(objects[entry], refs.data());
    const std::uint64_t* snap = std::as_const(snapshot).row(entry);
    for (std::size_t c = 0; c < map->column_count(); ++c)
        if (!(map->key_mask & (std::uint64_t{1} << c)) && fingerprint(refs[c]) != *snap++)
            return true;
    return false;
}

void table_runtime::detach(std::uint32_t entry) {
    ++changes;
    auto& st = states[entry];
    if (st == object_state::pending) --pending;
    if (st == object_state::persistent) {
        const auto e = identity.find(keys[entry]);
        if (e && *e == entry) identity.erase(keys[entry]);
    }
    if (marks[entry] & mark_removing) --removing;
    marks[entry] &= static_cast<std::uint8_t>(~(mark_removing | mark_stale));
    st = object_state::detached;
}

void table_runtime::make_persistent(std::uint32_t entry, key_view key) {
    ++changes;
    states[entry] = object_state::persistent;
    keys.set(entry, key);
    identity.insert(key, entry);
}

void table_runtime::undo_key_changes(epoch since) {
    while (!key_changes.empty() && key_changes.back().at > since) {
        const key_change c = std::move(key_changes.back());
        key_changes.pop_back();
        if (states[c.entry] == object_state::persistent) {
            const auto owner = identity.find(keys[c.entry]);
            if (owner && *owner == c.entry) identity.erase(keys[c.entry]);
            identity.insert(c.old_key.view(), c.entry);
        }
        keys.set(c.entry, c.old_key.view());
    }
}

session_state::session_state(engine eng, session_options opts)
    : engine_(std::move(eng)), options_(opts) {}

session_state::session_state(connection& conn, session_options opts)
    : conn_(&conn), options_(opts) {}

session_state::~session_state() {
    nested_.clear(); // innermost savepoints first would be nicer, but all roll back anyway
    tx_.reset();     // rolls back an uncommitted transaction
}

table_runtime& session_state::runtime(const entity_mapping& m) {
    if (closed_) throw usage_error("the session is closed");
    if (auto* t = find_runtime(m)) return *t;
    if (m.column_count() > 64)
        throw usage_error("struct " + m.struct_name + " maps more than 64 columns");
    tables_.push_back(std::make_unique<table_runtime>(m, options_.track_changes));
    by_mapping_.emplace(&m, tables_.back().get());
    return *tables_.back();
}

table_runtime* session_state::find_runtime(const entity_mapping& m) const {
    const auto it = by_mapping_.find(&m);
    return it == by_mapping_.end() ? nullptr : it->second;
}

std::size_t session_state::pending_count() const noexcept {
    std::size_t n = 0;
    for (const auto& t : tables_) n += t->pending;
    return n;
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

void session::begin() {
    state().begin();
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
    t.add_entries(first, count, stride, object_state::pending);
    t.pending += count;
}

void session::remove_raw(const detail::entity_mapping& m, void* obj) {
    auto& t = state().runtime(m);
    const auto e = t.entry_of(obj);
    if (!e || t.states[*e] == object_state::detached)
        throw usage_error("remove(): this " + m.struct_name + " is not tracked by the session");
    switch (t.states[*e]) {
    case object_state::pending: // never inserted: just forget it
        t.detach(*e);
        break;
    case object_state::persistent:
        if (!(t.marks[*e] & detail::mark_removing)) {
            t.marks[*e] |= detail::mark_removing;
            ++t.removing;
            ++t.changes;
        }
        break;
    default: // deleted already
        break;
    }
}

object_state session::state_of_raw(const detail::entity_mapping& m, const void* obj) const {
    if (!state_) return object_state::detached;
    const auto* t = state_->find_runtime(m);
    const auto e = t ? t->entry_of(obj) : std::nullopt;
    return e ? t->states[*e] : object_state::detached;
}

void session::expunge_raw(const detail::entity_mapping& m, void* obj) {
    auto& t = state().runtime(m);
    if (const auto e = t.entry_of(obj)) t.detach(*e);
}

void session::refresh_raw(const detail::entity_mapping& m, void* obj) {
    auto& t = state().runtime(m);
    const auto e = t.entry_of(obj);
    if (!e || t.states[*e] != object_state::persistent || (t.marks[*e] & detail::mark_removing))
        throw usage_error("refresh(): the " + m.struct_name +
                          " is not a persistent object of this session");
    const std::string key = detail::describe_key(m, t.keys[*e]);
    detail::reload(state().conn(), t, {*e});
    if (t.states[*e] == object_state::detached)
        throw stale_data_error("refresh(): the row of the " + m.struct_name + " (" +
                               m.table.name() + " key " + key +
                               ") is gone; the object is detached");
}

std::vector<void*> session::children_raw(const detail::entity_mapping& parent_map, void* parent,
                                         const detail::entity_mapping& child_map,
                                         const detail::relationship& r) {
    return detail::children_of(state(), parent_map, parent, child_map, r);
}

nested_transaction session::begin_nested() {
    auto& s = state();
    return nested_transaction(s, s.begin_nested());
}

nested_transaction::nested_transaction(nested_transaction&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)), level_(other.level_) {}

nested_transaction::~nested_transaction() {
    if (!state_) return;
    try {
        state_->finish_nested(level_, false);
    } catch (...) {
        // A destructor cannot report a failed ROLLBACK TO; the session learns of a lost
        // transaction at its next statement.
    }
}

void nested_transaction::commit() {
    if (!state_) throw usage_error("the nested transaction is already finished");
    state_->finish_nested(level_, true); // a failed flush leaves it open, to roll back
    state_ = nullptr;
}

void nested_transaction::rollback() {
    if (!state_) throw usage_error("the nested transaction is already finished");
    auto* s = std::exchange(state_, nullptr);
    s->finish_nested(level_, false);
}

} // namespace tabella
