// Names of the session's enumerations, for test messages and traces.
#pragma once

#include <tabella/session.hpp>

namespace tabella::testing {

[[nodiscard]] inline const char* name_of(insert_strategy s) {
    switch (s) {
    case insert_strategy::automatic:
        return "automatic";
    case insert_strategy::reserve_keys:
        return "reserve_keys";
    case insert_strategy::row_by_row:
        return "row_by_row";
    case insert_strategy::copy:
        return "copy";
    case insert_strategy::returning:
        return "returning";
    }
    return "?";
}

[[nodiscard]] inline const char* name_of(object_state s) {
    switch (s) {
    case object_state::pending:
        return "pending";
    case object_state::persistent:
        return "persistent";
    case object_state::deleted:
        return "deleted";
    case object_state::detached:
        return "detached";
    }
    return "?";
}

} // namespace tabella::testing
