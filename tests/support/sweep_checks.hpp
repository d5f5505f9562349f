// The checks of the fault sweeps: what docs/session.md says the database and the session
// hold after the workload's commit() succeeded, failed in its flush, or failed at its COMMIT.
#pragma once

#include "sweep_workload.hpp"

namespace tabella::testing::sweep {

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
