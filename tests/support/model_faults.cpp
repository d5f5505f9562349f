// The randomized session test: injected faults (see model_run.hpp).
#include "model_run.hpp"

#include <algorithm>
#include <sstream>
#include <unistd.h>

namespace tabella::testing::model {

// ----------------------------------------------------------------------------------------
// Faults: the database ends the transaction, or (SQLite) rolls back one statement.

std::pair<std::string, std::function<void()>> run::flushing_trigger() {
    switch (below(opts_.autoflush ? 5 : 3)) {
    case 0:
        return {"flush", [&] { s_->flush(); }};
    case 1:
        return {"commit", [&] { s_->commit(); }};
    case 2:
        return {"begin_nested", [&] { nested_.push_back(s_->begin_nested()); }};
    case 3:
        return {"count()", [&] { (void)s_->query<student>().count(); }};
    default:
        return {"all()", [&] { (void)s_->query<student>().all(); }};
    }
}

bool run::disk_full() {
    // One object larger than every free page: its INSERT must grow the file.
    const auto page = conn_->execute_sql("PRAGMA page_size").scalar<std::int64_t>();
    const auto free = conn_->execute_sql("PRAGMA freelist_count").scalar<std::int64_t>();
    const auto bytes = static_cast<std::size_t>((free + 8) * page);
    if (!add_one({std::nullopt, new_name(), std::string(bytes, 'x'), std::nullopt},
                 " (larger than the free pages)"))
        return true;
    auto [name, call] = flushing_trigger();
    note("disk full: PRAGMA max_page_count = 1 (the current size), then " + name +
         " -> expect sql_error 53100");
    conn_->execute_sql("PRAGMA max_page_count = 1");
    sqlite_watch::clear_ended();
    std::string message;
    const auto got = invoke(call, &message);
    conn_->execute_sql("PRAGMA max_page_count = 1073741823");
    const bool ended = sqlite_watch::ended_by_database();
    more(ended ? "; SQLite rolled back the whole transaction itself"
               : "; SQLite rolled back the statement, the transaction went on");
    counts_[ended ? "fault_tx_ended" : "fault_stmt_rolled_back"]++;
    if (expect(outcome::disk_full, got, name + " on a full database", message) && ended)
        m_.database_ended_transaction();
    return true;
}

bool run::kill_backend() {
#if defined(TABELLA_MODEL_WITH_LIBPQ) || defined(TABELLA_MODEL_WITH_MARIADB)
    // Only while the session must hold its connection: its transaction has work in it.
    if (!m_.tx_work) return false;
    if (!m_.plan_flush().sends && chance(50)) return failed_commit();
    if (!m_.plan_flush().sends &&
        !add_one({std::nullopt, new_name(), new_lastname(), new_age()}, " (work to flush)"))
        return true;
    auto [name, call] = flushing_trigger();
    note(ending_description() + ", then " + name + " -> expect connection_error");
    std::string err;
    const int n = end_session_connection(&err);
    if (n < 0) {
        problem(err);
        return true;
    }
    if (!session_connection_ended(n)) {
        problem("found " + std::to_string(n) + " backends named " + app_name_ +
                "; the session must hold exactly its own connection while its transaction "
                "has uncommitted work");
        return true;
    }
    std::string message;
    if (expect(outcome::connection, invoke(call, &message), name + " after the backend died",
               message))
        m_.database_ended_transaction();
    return true;
#else
    return false;
#endif
}

bool run::failed_commit() {
#if defined(TABELLA_MODEL_WITH_LIBPQ) || defined(TABELLA_MODEL_WITH_MARIADB)
    note(ending_description() + ", then commit with nothing to flush -> expect connection_error");
    std::string err;
    const int n = end_session_connection(&err);
    if (!session_connection_ended(n)) {
        problem(n < 0 ? err
                      : "found " + std::to_string(n) + " backends named " + app_name_ +
                            "; the session must hold exactly its own connection while its "
                            "transaction has uncommitted work");
        return true;
    }
    std::string message;
    if (!expect(outcome::connection, invoke([&] { s_->commit(); }, &message),
                "commit after the backend died", message))
        return true;
    // Its COMMIT failed: the rollback rule. Unless its flush, with nothing to send, already
    // touched the connection (a SAVEPOINT) and failed: then the rule of a flush in a
    // transaction the database ended. docs/session.md does not say which; either is right.
    session_model rolled_back = m_, lost = m_;
    rolled_back.rollback();
    lost.database_ended_transaction();
    const auto as_rolled_back = object_problems(rolled_back);
    const auto as_lost = object_problems(lost);
    if (as_rolled_back.empty()) {
        m_ = std::move(rolled_back);
        more("; the session applied the rollback rule");
    } else if (as_lost.empty()) {
        m_ = std::move(lost);
        more("; the session applied the rule of a lost transaction (its flush failed)");
    } else {
        problem("after a failed COMMIT the objects follow neither the rollback rule nor the "
                "rule of a flush in a transaction the database ended:");
        for (const auto& p : as_rolled_back) problem("by the rollback rule: " + p);
        for (const auto& p : as_lost) problem("by the lost-transaction rule: " + p);
    }
    just_ended_ = true;
#endif
    return true;
}

bool run::op_fault() {
    std::string why;
    if (!m_.may_lose_transaction(&why)) return false;
    // Mostly while the transaction has work in it: there losing it differs from a failed
    // statement.
    if (!m_.tx_work && chance(80)) return false;
    const bool server =
        cfg_.backend == backend_kind::postgres || cfg_.backend == backend_kind::mariadb;
    return server ? kill_backend() : disk_full();
}

} // namespace tabella::testing::model
