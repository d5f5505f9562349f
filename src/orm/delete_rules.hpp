// What removing a parent does to the children the session holds, decided when a flush is
// planned: on_delete::restrict refuses (nothing sent), cascade removes them too (and their
// own children, to a fixpoint), set_null empties their ref so the flush UPDATEs it to NULL
// before the parent's DELETE. Every change is logged, so a failed flush puts it back.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace tabella::detail {

class session_state;
struct table_runtime;
struct relationship;

/// The changes delete rules made to the session's objects, in the order made.
class delete_rule_log {
  public:
    delete_rule_log() = default;
    delete_rule_log(const delete_rule_log&) = delete;
    delete_rule_log& operator=(const delete_rule_log&) = delete;
    delete_rule_log(delete_rule_log&&) noexcept = default;
    delete_rule_log& operator=(delete_rule_log&&) noexcept = default;

    /// Puts every object back as it was before apply_delete_rules (a failed flush).
    void undo() noexcept;

  private:
    friend class delete_rules;
    enum class change : std::uint8_t { removed, dropped, nulled };
    struct entry {
        change what;
        table_runtime* t;
        std::uint32_t e;
        const relationship* r = nullptr; ///< nulled: the ref emptied
        std::shared_ptr<void> saved;     ///< nulled: the ref as it was
        bool was_stale = false;          ///< nulled: mark_stale before
    };
    std::vector<entry> entries_;
};

/// Applies the on_delete action of every relationship to the tracked children of every
/// object marked for removal. Throws foreign_key_violation (restrict: a child the session
/// holds still refers to a removed parent) after undoing what it did.
[[nodiscard]] delete_rule_log apply_delete_rules(session_state& s);

} // namespace tabella::detail
