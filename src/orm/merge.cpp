// session::merge (SQLAlchemy's Session.merge): finding the session's object for the key of
// an object it need not hold, and copying that object's members into it.
#include "session_state.hpp"

#include "tabella/error.hpp"
#include "tabella/session.hpp"

namespace tabella {

void* session::merge_raw(const detail::entity_mapping& m, const void* obj,
                         void (*assign)(void* to, const void* from)) {
    param_ref columns[64];
    m.bind_row(obj, columns);
    std::vector<param_ref> key;
    for (const auto c : m.key_columns) {
        if (columns[c].kind == value_kind::null) return nullptr; // a new row: a pending copy
        key.push_back(columns[c]);
    }
    void* held = get_raw(m, key); // may autoflush; obj is not tracked, or keeps its key
    if (!held) return nullptr;
    const std::int64_t version = m.versioned() ? m.get_version(held) : 0;
    if (m.versioned()) {
        const std::int64_t given = m.get_version(obj);
        if (given != 0 && given != version)
            throw stale_data_error("merge(): this " + m.struct_name + " has version " +
                                   std::to_string(given) + " but its row in the session has " +
                                   std::to_string(version) +
                                   " (leave the version 0 to skip this check)");
    }
    if (held == obj) return held;
    assign(held, obj);
    if (m.versioned()) m.set_version(held, version);
    auto& t = state_->runtime(m);
    ++t.changes; // its refs may point elsewhere now
    const auto e = t.entry_of(held);
    // Without change tracking nothing would notice the copied members: send them all.
    if (e && !t.track_changes && t.states[*e] == object_state::persistent)
        t.marks[*e] |= detail::mark_stale;
    return held;
}

} // namespace tabella
