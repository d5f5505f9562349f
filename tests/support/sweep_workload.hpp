// The workload and the checks shared by the fault sweeps (sqlite_fault_sweep_test.cpp,
// postgres_fault_sweep_test.cpp): one transaction of a session that inserts a few hundred
// students across several chunks, updates some persistent ones and removes others, and
// what docs/session.md says the database and the session hold after that commit()
// succeeded, failed in its flush, or failed at its COMMIT.
#pragma once

#include "models.hpp"

#include <tabella/tabella.hpp>

#include <gtest/gtest.h>

#include <cxxabi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

namespace tabella::testing::sweep {

using models::student;
using row = std::tuple<std::string, std::string, std::optional<int>>;
/// id -> (name, lastname, age): a whole students table.
using rows_t = std::map<std::int64_t, row>;

inline row row_of(const student& s) {
    return {s.name, s.lastname, s.age};
}

inline std::string describe(const row& r) {
    const auto& last = std::get<1>(r);
    return "(" + std::get<0>(r) + ", " + (last.size() > 20 ? last.substr(0, 20) + "..." : last) +
           ", " + (std::get<2>(r) ? std::to_string(*std::get<2>(r)) : "NULL") + ")";
}

inline const char* state_name(object_state s) {
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

/// "tabella::connection_error: <message>".
inline std::string describe(const std::exception& e) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status), std::free);
    return std::string(status == 0 && name ? name.get() : typeid(e).name()) + ": " + e.what();
}

/// The failed checks of a whole sweep, grouped by check, so that one broken rule is one
/// test failure that lists every fault point where it broke (not hundreds of failures).
class findings {
  public:
    explicit findings(std::string sweep) : sweep_(std::move(sweep)) {}

    void fail(const std::string& check, int point, const std::string& detail) {
        auto& c = by_check_[check];
        if (c.points.empty()) c.first = detail;
        c.points.push_back(point);
    }
    /// Records a failure of `check` at `point` unless `ok`; `detail()` is built only then.
    template <class F>
    bool expect(bool ok, const std::string& check, int point, F&& detail) {
        if (!ok) fail(check, point, detail());
        return ok;
    }
    /// One ADD_FAILURE per broken check.
    void report(const char* point_name) const {
        for (const auto& [check, c] : by_check_) {
            std::ostringstream points;
            for (std::size_t i = 0; i < c.points.size(); ++i) {
                if (i == 12) {
                    points << ", ... (" << c.points.size() << " points)";
                    break;
                }
                points << (i ? ", " : "") << c.points[i];
            }
            ADD_FAILURE() << sweep_ << ": " << check << "\n  at " << point_name << " = "
                          << points.str() << "\n  first, at " << point_name << " = "
                          << c.points.front() << ": " << c.first;
        }
    }

  private:
    struct check_failures {
        std::vector<int> points;
        std::string first;
    };
    std::string sweep_;
    std::map<std::string, check_failures> by_check_;
};

/// Counts of what the attempts of a sweep ended in, printed at its end.
struct tally {
    int attempts = 0;
    int committed = 0;
    int committed_despite_fault = 0;
    int flush_failed = 0;
    int commit_failed = 0;
    int commit_failed_durable = 0; // COMMIT reported an error, yet the database had it all
    int later_flush_failed = 0;    // failed in the second flush of a split transaction
    int transaction_kept = 0;      // ... and the transaction stayed open
    std::set<std::string> error_types;

    [[nodiscard]] std::string str() const {
        std::string types;
        for (const auto& t : error_types) types += (types.empty() ? "" : ", ") + t;
        return std::to_string(attempts) + " attempts: " + std::to_string(flush_failed) +
               " failed in a flush (" + std::to_string(later_flush_failed) +
               " in the second one, " + std::to_string(transaction_kept) +
               " with the transaction kept open), " + std::to_string(commit_failed) +
               " failed at COMMIT (" + std::to_string(commit_failed_durable) +
               " of them durable all the same), " + std::to_string(committed) + " committed (" +
               std::to_string(committed_despite_fault) +
               " of them although a fault was injected); errors: " + (types.empty() ? "-" : types);
    }
};

inline bool is_dml(std::string_view line) {
    return line.starts_with("INSERT") || line.starts_with("UPDATE") || line.starts_with("DELETE") ||
           line.starts_with("COPY");
}

/// The transaction every attempt makes, and what the database must hold before and after.
class workload {
  public:
    static constexpr std::size_t inserts = 300;

    /// Students that are not in the database yet.
    static std::vector<student> new_students(std::size_t n, const std::string& prefix) {
        std::vector<student> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back(
                {std::nullopt, prefix + std::to_string(i), "l" + std::to_string(i),
                 i % 5 == 0 ? std::nullopt : std::optional<int>(static_cast<int>(i % 90))});
        return out;
    }

    /// `persistent`: every object of the session that has a committed row, `before`: the
    /// table as an independent connection reads it now. The transaction changes some
    /// objects, removes a run of them (whole pages of the table, so that the file shrinks
    /// on SQLite with auto_vacuum) and adds `inserts` new ones. Made at once, or with
    /// `split`: only the first half of the inserts now, the rest at second_part() (a
    /// transaction of two flushes).
    workload(session& s, std::vector<student*> persistent, rows_t before, bool split = false)
        : persistent_(std::move(persistent)), before_(std::move(before)) {
        const std::size_t n = persistent_.size();
        removed_.assign(n, false);
        for (std::size_t i = 0; i < n; ++i) {
            const student& p = *persistent_[i];
            committed_.push_back(row_of(p));
            row r = committed_.back();
            if (i >= n / 6 && i < n / 6 + n * 3 / 8) {
                removed_[i] = true;
                removed_ids_.insert(*p.id);
            } else if (i % 8 == 0) { // two column sets: lastname + age, and age alone
                std::get<1>(r) = "updated" + std::to_string(i);
                std::get<2>(r) = 300 + static_cast<int>(i);
            } else if (i % 8 == 4) {
                std::get<2>(r) =
                    std::get<2>(r) ? std::nullopt : std::optional<int>(400 + static_cast<int>(i));
            }
            intended_.push_back(r);
            if (!removed_[i]) kept_[*p.id] = r;
        }
        auto fresh = new_students(inserts, "new");
        if (split) {
            later_.assign(std::make_move_iterator(fresh.begin() + inserts / 2),
                          std::make_move_iterator(fresh.end()));
            fresh.resize(inserts / 2);
            add(s, std::move(fresh));
            first_part_ = inserted_.size();
        } else {
            add(s, std::move(fresh));
            first_part_ = inserted_.size();
            second_part(s);
        }
    }

    /// The rest of a split transaction: the changes, the removes, the other inserts.
    void second_part(session& s) {
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            student& p = *persistent_[i];
            if (removed_[i]) {
                s.remove(p);
                continue;
            }
            std::tie(p.name, p.lastname, p.age) = intended_[i];
        }
        if (!later_.empty()) add(s, std::move(later_));
        later_.clear();
    }
    [[nodiscard]] const rows_t& before() const { return before_; }

    /// The table holds none of the transaction: exactly what it held at the last commit.
    [[nodiscard]] bool holds_none(const rows_t& rows) const { return rows == before_; }

    /// The table holds all of the transaction: changed rows, no removed row, and rows with
    /// the values of the inserted objects (whatever their keys).
    [[nodiscard]] bool holds_all(const rows_t& rows) const {
        for (const auto& [id, r] : kept_) {
            const auto it = rows.find(id);
            if (it == rows.end() || it->second != r) return false;
        }
        std::multiset<row> extra, wanted;
        for (const auto& [id, r] : rows) {
            if (removed_ids_.contains(id)) return false;
            if (!kept_.contains(id)) extra.insert(r);
        }
        for (const auto* o : inserted_) wanted.insert(row_of(*o));
        return extra == wanted;
    }

    /// The intended final table, keyed by the keys the inserted objects now hold.
    [[nodiscard]] std::optional<rows_t> final_rows() const {
        rows_t out = kept_;
        for (const auto* o : inserted_) {
            if (!o->id || !out.emplace(*o->id, row_of(*o)).second) return std::nullopt;
        }
        return out;
    }

    /// What differs between `rows` and `want`, briefly.
    static std::string diff(const rows_t& rows, const rows_t& want) {
        std::ostringstream out;
        out << rows.size() << " rows, expected " << want.size();
        int shown = 0;
        for (const auto& [id, r] : want) {
            const auto it = rows.find(id);
            if (it == rows.end()) {
                if (shown++ < 3) out << "; missing " << id << " " << describe(r);
            } else if (it->second != r) {
                if (shown++ < 3)
                    out << "; row " << id << " is " << describe(it->second) << " not "
                        << describe(r);
            }
        }
        for (const auto& [id, r] : rows)
            if (!want.contains(id) && shown++ < 6) out << "; extra " << id << " " << describe(r);
        return out.str();
    }
    std::string summary(const rows_t& rows) const {
        return "before: " + diff(rows, before_) +
               (final_rows() ? " | final: " + diff(rows, *final_rows()) : std::string());
    }

    // ---- what the session must say (docs/session.md) ----

    /// commit() succeeded: inserted objects persistent with keys, removed ones detached,
    /// the others persistent with the values the transaction gave them.
    void expect_committed(const session& s, findings& f, int point, const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::persistent, true);
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const auto want = removed_[i] ? object_state::detached : object_state::persistent;
            if (!expect_state(s, f, point, ctx, i, want)) break;
        }
        expect_values(f, point, ctx, intended_, "the values the transaction gave it");
        f.expect(s.pending_count() == 0, "after a commit, nothing is pending" + ctx, point,
                 [&] { return std::to_string(s.pending_count()) + " pending"; });
    }

    /// A flush failed and nothing of the transaction is left (the database ended it, or
    /// that flush was all of it): every object back where it stood at the last commit,
    /// with the work still to do (inserted ones pending, keys cleared;
    /// removed ones marked again, so persistent; changed ones keep their new values).
    void expect_work_to_do(const session& s, findings& f, int point, const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::pending, false);
        f.expect(s.pending_count() == inserted_.size(),
                 "objects inserted since the last commit are pending again" + ctx, point, [&] {
                     return "pending_count() = " + std::to_string(s.pending_count()) + ", " +
                            std::to_string(inserted_.size()) + " expected";
                 });
        for (std::size_t i = 0; i < persistent_.size(); ++i)
            if (!expect_state(s, f, point, ctx, i, object_state::persistent)) break;
        expect_values(f, point, ctx, intended_, "its unsent change (work still to do)");
    }

    /// The second flush of a split transaction failed and the database kept the
    /// transaction (SQLite rolls back only the statement on a full disk): that flush's
    /// SAVEPOINT is rolled back, the first flush's work stays in the open transaction.
    /// Objects inserted by the first flush are persistent with their keys, the rest of
    /// the work is still to do.
    void expect_transaction_kept(const session& s, findings& f, int point,
                                 const std::string& ctx) const {
        expect_inserted(s, f, point, ctx, object_state::persistent, true, 0, first_part_);
        expect_inserted(s, f, point, ctx, object_state::pending, false, first_part_);
        f.expect(s.pending_count() == inserted_.size() - first_part_,
                 "objects of the failed flush are pending again" + ctx, point, [&] {
                     return "pending_count() = " + std::to_string(s.pending_count()) + ", " +
                            std::to_string(inserted_.size() - first_part_) + " expected";
                 });
        for (std::size_t i = 0; i < persistent_.size(); ++i)
            if (!expect_state(s, f, point, ctx, i, object_state::persistent)) break;
        expect_values(f, point, ctx, intended_, "its unsent change (work still to do)");
    }

    /// The rollback rule (a failed COMMIT): inserted objects detached with keys cleared;
    /// every other object persistent, holding what its row holds (`db`, read by an
    /// independent connection: the committed values, reloaded where they had changed).
    /// A removed object whose row is gone (a COMMIT that reported an error although the
    /// database had committed) may also be detached, by the reload. `reloads`: false when
    /// the fault was still there while the rollback ran (persistent faults), so that it
    /// could not reload: then the objects it would reload (changed and removed ones) are
    /// not looked at.
    void expect_rolled_back(const session& s, findings& f, int point, const std::string& ctx,
                            const rows_t& db, bool reloads) const {
        expect_inserted(s, f, point, ctx, object_state::detached, false);
        f.expect(s.pending_count() == 0,
                 "after a rollback nothing added since the last commit is pending" + ctx, point,
                 [&] { return "pending_count() = " + std::to_string(s.pending_count()); });
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const student& p = *persistent_[i];
            const bool changed = intended_[i] != committed_[i];
            if (!reloads && (changed || removed_[i])) continue;
            const auto it = db.find(*p.id);
            const auto got = s.state_of(p);
            if (it == db.end()) {
                if (!f.expect(got == object_state::persistent || got == object_state::detached,
                              "after a rollback, an object whose row is gone is persistent or "
                              "detached" +
                                  ctx,
                              point, [&] {
                                  return "object with key " + std::to_string(*p.id) + " is " +
                                         state_name(got);
                              }))
                    break;
                continue;
            }
            if (!f.expect(got == object_state::persistent,
                          std::string("after a rollback, ") +
                              (removed_[i] ? "removed"
                               : changed   ? "changed"
                                           : "untouched") +
                              " objects whose row exists are persistent" + ctx,
                          point, [&] {
                              return "object with key " + std::to_string(*p.id) + " is " +
                                     state_name(got);
                          }))
                break;
            if (!f.expect(row_of(p) == it->second,
                          "after a rollback, every persistent object holds what its row holds "
                          "(values reloaded)" +
                              ctx,
                          point, [&] {
                              return "object with key " + std::to_string(*p.id) + " holds " +
                                     describe(row_of(p)) + ", its row " + describe(it->second);
                          }))
                break;
        }
    }

  private:
    void add(session& s, std::vector<student>&& objs) {
        for (auto& o : s.add_all(std::move(objs))) inserted_.push_back(&o);
    }
    void expect_inserted(const session& s, findings& f, int point, const std::string& ctx,
                         object_state want, bool keyed, std::size_t from = 0,
                         std::size_t to = SIZE_MAX) const {
        to = std::min(to, inserted_.size());
        const std::string which = from == 0 && to == inserted_.size() ? "inserted objects"
                                  : from == 0 ? "objects inserted by the first flush"
                                              : "objects added after the first flush";
        for (std::size_t i = from; i < to; ++i) {
            const auto got = s.state_of(*inserted_[i]);
            if (!f.expect(got == want, which + " are " + state_name(want) + ctx, point, [&] {
                    return "new object " + std::to_string(i) + " is " + state_name(got);
                }))
                break;
        }
        for (std::size_t i = from; i < to; ++i) {
            const bool has = inserted_[i]->id.has_value();
            if (!f.expect(has == keyed,
                          which + (keyed ? " hold their generated keys" : " have no key") + ctx,
                          point, [&] {
                              return "new object " + std::to_string(i) + " has " +
                                     (has ? "key " + std::to_string(*inserted_[i]->id)
                                          : std::string("no key"));
                          }))
                break;
        }
    }
    bool expect_state(const session& s, findings& f, int point, const std::string& ctx,
                      std::size_t i, object_state want) const {
        const auto got = s.state_of(*persistent_[i]);
        return f.expect(got == want,
                        std::string(removed_[i] ? "removed" : "other") +
                            " persistent objects are " + state_name(want) + ctx,
                        point, [&] {
                            return "object with key " + std::to_string(*persistent_[i]->id) +
                                   " is " + state_name(got);
                        });
    }
    void expect_values(findings& f, int point, const std::string& ctx, const std::vector<row>& want,
                       const char* what) const {
        for (std::size_t i = 0; i < persistent_.size(); ++i) {
            const row got = row_of(*persistent_[i]);
            if (!f.expect(got == want[i],
                          std::string("every persistent object holds ") + what + ctx, point, [&] {
                              return "object with key " + std::to_string(*persistent_[i]->id) +
                                     " holds " + describe(got) + ", expected " + describe(want[i]);
                          }))
                break;
        }
    }

    std::vector<student*> persistent_;
    rows_t before_;
    std::vector<row> committed_; // per persistent object: its values at the last commit
    std::vector<row> intended_;  // per persistent object: its values in this transaction
    std::vector<bool> removed_;
    std::set<std::int64_t> removed_ids_;
    rows_t kept_; // rows of the persistent objects not removed, after the transaction
    std::vector<student*> inserted_;
    std::vector<student> later_; // the inserts of second_part()
    std::size_t first_part_ = 0;
};

/// What one attempt at the transaction ended in.
struct outcome {
    bool threw = false;
    bool typed = true;        // the error was a tabella::error
    bool commit_sent = false; // COMMIT was echoed: every flush had finished
    bool later_flush = false; // it was the second flush of a split transaction that failed
    std::string error;
};

/// Runs the transaction of `w` (a split one as flush(), second part, commit()) and
/// classifies its end; `echo` is the engine's echo log.
inline outcome run_transaction(session& s, workload& w, bool split,
                               const std::vector<std::string>& echo) {
    outcome o;
    const std::size_t mark = echo.size();
    auto run = [&](auto&& step) {
        try {
            step();
        } catch (const tabella::error& e) {
            o.threw = true;
            o.error = describe(e);
        } catch (const std::exception& e) {
            o.threw = true;
            o.typed = false;
            o.error = describe(e);
        }
    };
    if (split) {
        run([&] { s.flush(); });
        w.second_part(s); // sends nothing: no autoflush in remove() and add_all()
        if (o.threw) return o;
    }
    run([&] { s.commit(); });
    for (std::size_t i = mark; i < echo.size(); ++i) o.commit_sent |= echo[i] == "COMMIT";
    o.later_flush = split && o.threw && !o.commit_sent;
    return o;
}

/// The statements echoed from `from` on (repeats counted, parameters left out), for
/// messages.
inline std::string statements_since(const std::vector<std::string>& echo, std::size_t from) {
    std::string out, last;
    int repeats = 0;
    auto flush = [&] {
        if (repeats > 1) out += " (x" + std::to_string(repeats) + ")";
    };
    for (std::size_t i = from; i < echo.size(); ++i) {
        if (echo[i].starts_with("(") || echo[i].starts_with("[")) continue;
        const std::string line = echo[i].size() > 90 ? echo[i].substr(0, 90) + "..." : echo[i];
        if (line == last) {
            ++repeats;
            continue;
        }
        flush();
        out += "\n      " + line;
        last = line;
        repeats = 1;
    }
    flush();
    return out;
}

inline std::size_t dml_since(const std::vector<std::string>& echo, std::size_t from) {
    std::size_t n = 0;
    for (std::size_t i = from; i < echo.size(); ++i) n += is_dml(echo[i]) ? 1 : 0;
    return n;
}

/// Everything docs/session.md says about one attempt, after the fault is gone: the
/// database holds all of the transaction or none of it (read by `read_rows`, an
/// independent connection), the session agrees, and a retried commit() stores what the
/// contract says. `transaction_open`: an independent look at whether the session's
/// transaction is still open in the database. `retry_after_failed_commit`: false when the
/// fault was still there while the rollback after a failed COMMIT ran (persistent faults),
/// so that it could not reload values: then only the states are checked, and no retry.
inline void verify_attempt(session& s, const workload& w, const outcome& o, bool fault_fired,
                           const std::function<rows_t()>& read_rows, bool transaction_open,
                           const std::vector<std::string>& echo, std::size_t echo_mark, findings& f,
                           tally& t, int point, bool retry_after_failed_commit) {
    ++t.attempts;
    if (o.threw) t.error_types.insert(o.error.substr(0, o.error.find(": ")));
    f.expect(o.typed, "commit() throws only tabella::error subclasses", point,
             [&] { return o.error; });
    const std::string error_ctx =
        o.threw
            ? "\n    error: " + o.error + "\n    statements:" + statements_since(echo, echo_mark)
            : std::string();

    rows_t rows;
    try {
        rows = read_rows();
    } catch (const std::exception& e) {
        f.fail("an independent connection can read the table after the attempt", point,
               e.what() + error_ctx);
        return;
    }
    // After any successful commit, nothing is left to send.
    auto expect_nothing_left = [&](const char* after) {
        const std::size_t again = echo.size();
        try {
            s.commit();
        } catch (const std::exception& e) {
            f.fail(std::string("a commit() with nothing to do succeeds ") + after, point,
                   describe(e));
            return;
        }
        f.expect(dml_since(echo, again) == 0,
                 std::string("a commit() with nothing to do sends no INSERT/UPDATE/DELETE ") +
                     after,
                 point, [&] { return statements_since(echo, again); });
    };

    const bool none = w.holds_none(rows), all = w.holds_all(rows);
    f.expect(none || all, "the database holds all of the transaction or none of it", point,
             [&] { return w.summary(rows) + error_ctx; });

    if (!o.threw) {
        ++t.committed;
        if (fault_fired) ++t.committed_despite_fault;
        const auto want = w.final_rows();
        f.expect(want && rows == *want,
                 "a commit() that returned stored the transaction, keys as the objects hold", point,
                 [&] { return want ? workload::diff(rows, *want) : "inserted objects lack keys"; });
        w.expect_committed(s, f, point, "");
        expect_nothing_left("(after a successful commit)");
        return;
    }
    if (!o.commit_sent) {
        ++t.flush_failed;
        f.expect(none, "a failed flush left nothing of the transaction in the database", point,
                 [&] { return w.summary(rows) + error_ctx; });
        if (o.later_flush) ++t.later_flush_failed;
        if (o.later_flush && transaction_open) {
            ++t.transaction_kept;
            w.expect_transaction_kept(s, f, point,
                                      " (after a failed second flush, the transaction open)");
        } else {
            w.expect_work_to_do(s, f, point,
                                o.later_flush
                                    ? " (after a failed second flush, the transaction ended)"
                                    : " (after a failed flush)");
        }
    } else {
        // SQLite can report an error from a COMMIT that is durable (the file is truncated
        // after the journal is gone), and a lost PostgreSQL COMMIT is ambiguous: the
        // contract asks for the rollback rule, with values reloaded from what the database
        // holds, whichever it is.
        ++t.commit_failed;
        if (all) ++t.commit_failed_durable;
        w.expect_rolled_back(s, f, point, " (after a failed COMMIT)", rows,
                             retry_after_failed_commit);
        if (!retry_after_failed_commit) return;
    }

    // The retry, the fault gone: commit() stores what the contract says is still to do.
    const std::size_t mark = echo.size();
    try {
        s.commit();
    } catch (const std::exception& e) {
        f.fail("a retried commit() succeeds once the fault is gone", point,
               describe(e) + error_ctx + "\n    retry:" + statements_since(echo, mark));
        return;
    }
    if (!o.commit_sent) { // the work was still to do: all of it now
        try {
            rows = read_rows();
        } catch (const std::exception& e) {
            f.fail("an independent connection can read the table after the retry", point, e.what());
            return;
        }
        const auto want = w.final_rows();
        f.expect(want && rows == *want,
                 "after a failed flush, a retried commit() stores exactly the intended state",
                 point, [&] {
                     return (want ? workload::diff(rows, *want) : "inserted objects lack keys") +
                            error_ctx + "\n    retry:" + statements_since(echo, mark);
                 });
        w.expect_committed(s, f, point, " (after the retry)");
        expect_nothing_left("(after the retry)");
    } else { // rollback rule: nothing left to send
        const rows_t after_attempt = std::exchange(rows, {});
        try {
            rows = read_rows();
        } catch (const std::exception& e) {
            f.fail("an independent connection can read the table after the retry", point, e.what());
            return;
        }
        f.expect(rows == after_attempt, "after a failed COMMIT, a later commit() stores nothing",
                 point, [&] {
                     return workload::diff(rows, after_attempt) + error_ctx +
                            "\n    retry:" + statements_since(echo, mark);
                 });
        f.expect(dml_since(echo, mark) == 0,
                 "after a failed COMMIT, a later commit() sends no INSERT/UPDATE/DELETE", point,
                 [&] { return error_ctx + "\n    retry:" + statements_since(echo, mark); });
        w.expect_rolled_back(s, f, point, " (after the later commit)", rows, true);
    }
}

} // namespace tabella::testing::sweep
