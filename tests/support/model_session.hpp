// The model of docs/session.md that tests/integration/orm_model_test.cpp holds a real
// session to: the committed rows, the rows the session's open transaction sees, and for
// every object the test holds its expected state and member values. Each member function
// applies one rule of the contract; nothing here touches a database or a session.
#pragma once

#include "models.hpp"
#include "names.hpp"

#include <tabella/session.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tabella::testing::model {

/// A students row without its key.
struct row {
    std::string name;
    std::string lastname;
    std::optional<int> age;
    friend bool operator==(const row&, const row&) = default;
};
/// Rows by key.
using table = std::map<std::int64_t, row>;

[[nodiscard]] row row_of(const models::student& s);
[[nodiscard]] models::student student_of(std::int64_t key, const row& r);
[[nodiscard]] bool same(const models::student& a, const models::student& b);
[[nodiscard]] std::string describe(const models::student& s);
[[nodiscard]] std::string describe(std::int64_t key, const row& r);
/// The keys and rows that differ between two tables, one line each.
[[nodiscard]] std::string difference(const table& database, const table& expected);
using testing::name_of; // object_state (names.hpp)

enum class origin { added, loaded };

/// One object the test holds, as the contract says it must be.
struct object {
    models::student* ptr = nullptr;
    std::string label; ///< "#7", as in the operation log
    origin from = origin::added;
    models::student members; ///< what its members must hold
    object_state state = object_state::pending;
    bool marked = false;                       ///< persistent, remove()d, DELETE not flushed
    std::optional<std::int64_t> loaded;        ///< key of its row (persistent, deleted)
    std::optional<std::int64_t> committed_key; ///< key of its row at the last commit
    std::optional<std::int64_t> load_key;      ///< origin::loaded: the key it was loaded with
    bool inserted_in_tx = false;               ///< INSERTed since the last commit
    bool key_generated = false;                ///< that INSERT generated its key
};

/// What begin_nested() must return to.
struct savepoint {
    std::vector<object> objects;
    table txview;
    bool tx_work = false;
    std::set<std::int64_t> touched;
};

/// The next flush as the contract predicts it.
struct flush_plan {
    bool violation = false; ///< the database rejects a row: unique_violation, nothing changes
    /// A key change collides: the session may refuse it itself (usage_error), as
    /// tests/integration/orm_keys_test.cpp allows, as long as nothing changes.
    bool key_change_violation = false;
    bool sends = false; ///< at least one INSERT, UPDATE or DELETE
    std::vector<std::size_t> offenders;
    std::string why;
};

class session_model {
  public:
    table committed; ///< what another connection reads
    table txview;    ///< what the session's transaction reads
    std::vector<object> objects;
    std::vector<savepoint> levels;         ///< open nested transactions, innermost last
    bool tx_work = false;                  ///< a flush since the last commit sent something
    std::set<std::int64_t> touched;        ///< keys of rows written since the last commit
    std::set<std::int64_t> seen_keys;      ///< every key a row ever had
    std::vector<std::string> model_errors; ///< broken invariants: the test's bugs

    std::size_t add_pending(models::student* p, const models::student& members);
    std::size_t add_loaded(models::student* p, std::int64_t key);

    [[nodiscard]] flush_plan plan_flush() const;
    /// A successful flush; generated keys are read from the objects. Returns what the
    /// session did wrong with them.
    std::vector<std::string> apply_flush();
    /// COMMIT after a successful flush.
    void commit();
    /// rollback(): the table of docs/session.md with P = the last commit.
    void rollback();
    void begin_nested();
    void release_nested();
    /// Nested rollback: back to the innermost begin_nested().
    void rollback_nested();
    /// The database ended the transaction during a flush (killed backend, SQLite full).
    void database_ended_transaction();
    /// After a commit, a rollback or a lost transaction: no work, savepoint or touched row
    /// of a transaction is left.
    void transaction_over();

    /// Why the outcome of the next flush, rollback or lost transaction would depend on
    /// something docs/session.md leaves open (the order of statements in a flush...), if it
    /// would. The generator never lets the model get there.
    [[nodiscard]] std::optional<std::string> ambiguity() const;
    /// True when a lost transaction now has one documented outcome.
    [[nodiscard]] bool may_lose_transaction(std::string* why) const;
    /// True when expunge(o) leaves a model without open questions: the row of a persistent
    /// object must be untouched since the last commit, and the row of a deleted one must
    /// not come back at a nested rollback with values other than the committed ones, so
    /// that an object loaded for that row later holds what every rollback point holds.
    [[nodiscard]] bool may_expunge(const object& o) const;

    [[nodiscard]] std::size_t pending_count() const;
    [[nodiscard]] bool key_changed(const object& o) const;
    /// The object of the identity map for `key` (persistent, with that loaded key).
    [[nodiscard]] std::optional<std::size_t> holder(std::int64_t key, bool with_marked) const;
    /// Keys whose get() or collision outcome depends on statement order: loaded keys and
    /// targets of unflushed key changes, loaded and member keys of removed objects.
    [[nodiscard]] std::set<std::int64_t> unsettled_keys() const;

  private:
    void reload(object& o, std::int64_t key, const table& from);
};

} // namespace tabella::testing::model
