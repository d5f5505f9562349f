// SQLite I/O errors at every point of a commit, in the manner of SQLite's own "ioerr" and
// "diskfull" tests: a session commits one transaction (300 inserts in chunks of 40, updates
// and removes of persistent objects, see sweep_workload.hpp) on a database FILE, and the
// Nth xWrite / xSync / xTruncate from the start of that transaction fails (fault_vfs, with
// SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_IOERR_FSYNC or SQLITE_IOERR_TRUNCATE), for
// N = 1, 2, 3... until the commit succeeds without a fault firing. Variants: rollback
// journal or WAL; the fault once, or on every call after the first ("persistent"); the
// transaction as one commit(), or as flush(), more work, commit().
//
// After every attempt, with the fault gone, an independent connection (through the real
// VFS, not the shim) checks that the file passes PRAGMA integrity_check and holds all of
// the transaction or none of it, the session must agree with docs/session.md (typed
// errors; after a failed flush the work is still to do; after a failed COMMIT the rollback
// rule), a retried commit() must store what the contract says, and after an I/O error
// (which makes SQLite end the transaction) nothing may be sent in the ended transaction.
#include "../support/fault_vfs.hpp"
#include "../support/sweep_checks.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <unistd.h>

namespace tabella::testing {
namespace {

using namespace sweep;
namespace fs = std::filesystem;

/// A connection of the test's own, through the real VFS: it never sees a fault.
class raw_db {
  public:
    raw_db(const std::string& path, const std::string& vfs, bool create = false) {
        const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
        const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs.c_str());
        if (rc != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            throw std::runtime_error("raw open of " + path + ": " + msg);
        }
        sqlite3_busy_timeout(db_, 2000); // bounded: a lock left behind fails, never hangs
    }
    raw_db(const raw_db&) = delete;
    raw_db& operator=(const raw_db&) = delete;
    ~raw_db() { sqlite3_close(db_); }

    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw std::runtime_error("raw: " + sql + ": " + msg);
        }
    }
    /// Column 0 of every row, as text.
    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> out;
        query(sql, [&](sqlite3_stmt* st) {
            const auto* t = sqlite3_column_text(st, 0);
            out.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
        });
        return out;
    }
    rows_t rows() {
        rows_t out;
        query("SELECT id, name, lastname, age FROM students", [&](sqlite3_stmt* st) {
            auto text = [&](int c) {
                return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
            };
            out[sqlite3_column_int64(st, 0)] = {
                text(1), text(2),
                sqlite3_column_type(st, 3) == SQLITE_NULL
                    ? std::nullopt
                    : std::optional<int>(sqlite3_column_int(st, 3))};
        });
        return out;
    }

  private:
    template <class F>
    void query(const std::string& sql, F&& per_row) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error("raw: " + sql + ": " + sqlite3_errmsg(db_));
        int rc = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) per_row(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            throw std::runtime_error("raw: " + sql + ": " + sqlite3_errmsg(db_) + " (" +
                                     sqlite3_errstr(rc) + ")");
    }
    sqlite3* db_ = nullptr;
};

enum class journal { rollback, wal };

struct fault_kind {
    const char* name;
    fault_op op;
    int rc;
};
constexpr fault_kind write_ioerr{"write_ioerr", fault_op::write, SQLITE_IOERR_WRITE};
constexpr fault_kind write_full{"write_full", fault_op::write, SQLITE_FULL};
constexpr fault_kind sync_ioerr{"sync_ioerr", fault_op::sync, SQLITE_IOERR_FSYNC};
constexpr fault_kind truncate_ioerr{"truncate_ioerr", fault_op::truncate, SQLITE_IOERR_TRUNCATE};

struct sweep_param {
    journal mode;
    fault_kind kind;
    bool persistent; // every call after the first failure fails too
    bool split;      // the transaction is flush(), more work, commit()
};

std::string name_of(const sweep_param& p) {
    return std::string(p.split ? "two_flushes_" : "one_commit_") +
           (p.mode == journal::wal ? "wal_" : "rollback_journal_") + p.kind.name +
           (p.persistent ? "_persistent" : "_once");
}
std::string param_name(const ::testing::TestParamInfo<sweep_param>& info) {
    return name_of(info.param);
}
// Test names (and ctest's names) show this, not the bytes of the struct.
void PrintTo(const sweep_param& p, std::ostream* os) {
    *os << name_of(p);
}

class sqlite_fault_sweep : public ::testing::TestWithParam<sweep_param> {
  protected:
    static constexpr int max_points = 2000; // the sweep is bounded, whatever happens
    static constexpr std::size_t baseline_rows = 100;

    void SetUp() override {
        vfs_ = &fault_vfs::install();
        ASSERT_STREQ(sqlite3_vfs_find(nullptr)->zName, fault_vfs::name);
        // tmpfs when there is one: the fsyncs of hundreds of commits cost nothing there.
        const fs::path base =
            fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string name = "tabella-sweep-" + std::to_string(::getpid()) + "-" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name();
        for (auto& c : name)
            if (c == '/') c = '_';
        dir_ = base / name;
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        make_template();
    }
    void TearDown() override {
        if (vfs_) vfs_->disarm();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    /// The database every attempt starts from: auto_vacuum=FULL (so that freeing pages
    /// truncates the file at COMMIT, and xTruncate is part of the commit), the journal
    /// mode of the test, and 100 committed students with long last names (4 a page).
    void make_template() {
        template_ = (dir_ / "template.db").string();
        {
            raw_db raw(template_, vfs_->real_vfs_name(), true);
            raw.exec("PRAGMA auto_vacuum = FULL");
            if (GetParam().mode == journal::wal) raw.exec("PRAGMA journal_mode = WAL");
        }
        {
            auto eng = create_engine(url(template_));
            create_all<student>(eng);
        }
        raw_db raw(template_, vfs_->real_vfs_name());
        raw.exec("BEGIN");
        for (std::size_t i = 0; i < baseline_rows; ++i)
            raw.exec("INSERT INTO students (name, lastname, age) VALUES ('base" +
                     std::to_string(i) + "', '" +
                     std::string(900, static_cast<char>('a' + i % 26)) + std::to_string(i) + "', " +
                     (i % 7 == 0 ? std::string("NULL") : std::to_string(i % 90)) + ")");
        raw.exec("COMMIT");
        ASSERT_EQ(raw.column("PRAGMA auto_vacuum"), std::vector<std::string>{"1"});
        ASSERT_EQ(raw.column("PRAGMA journal_mode"),
                  std::vector<std::string>{GetParam().mode == journal::wal ? "wal" : "delete"});
    }

    static std::string url(const std::string& path) { return "sqlite:///" + path; }

    /// A fresh copy of the template for one attempt.
    std::string fresh_copy() {
        const std::string path = (dir_ / "attempt.db").string();
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix);
        fs::copy_file(template_, path);
        return path;
    }

    enum class result { next, done, aborted };

    /// One attempt: the fault at the nth call.
    result attempt(int nth, findings& f, tally& t) {
        const auto& p = GetParam();
        const std::string path = fresh_copy();
        std::vector<std::string> echo;
        std::vector<bool> after_fault; // per echo line: the fault had fired when it was sent
        engine_options opts;
        opts.echo = true;
        opts.echo_sink = [&](std::string_view line) {
            echo.emplace_back(line);
            after_fault.push_back(vfs_->fired() > 0);
        };
        opts.busy_timeout = std::chrono::milliseconds(1000);
        auto eng = create_engine(url(path), std::move(opts));
        session s(eng, {.page_size = 40});

        std::optional<workload> w;
        try {
            // Persistent objects of two kinds: loaded, and inserted by an earlier commit.
            auto persistent = workload::persistent_objects(s, baseline_rows);
            rows_t before = raw_db(path, vfs_->real_vfs_name()).rows();
            w.emplace(s, std::move(persistent), std::move(before), p.split);
        } catch (const std::exception& e) {
            f.fail("the workload can be set up without faults", nth, describe(e));
            return result::aborted;
        }

        const std::size_t mark = echo.size();
        outcome o;
        bool fired = false;
        {
            fault_guard guard(*vfs_);
            vfs_->arm(p.kind.op, nth, p.kind.rc, p.persistent);
            o = run_transaction(s, *w, p.split, echo);
            fired = vfs_->fired() > 0;
        } // disarmed: everything below runs without faults
        const std::string sent = statements_since(echo, mark);
        const std::size_t attempt_end = echo.size();

        auto read_rows = [&] {
            raw_db raw(path, vfs_->real_vfs_name());
            const auto integrity = raw.column("PRAGMA integrity_check");
            if (integrity != std::vector<std::string>{"ok"})
                throw std::runtime_error("PRAGMA integrity_check: " + integrity.front());
            return raw.rows();
        };
        f.expect(!o.threw || fired, "commit() fails only when a fault was injected", nth,
                 [&] { return o.error + statements_since(echo, mark); });
        // SQLite itself ends the whole transaction when a statement fails with an I/O error,
        // and when COMMIT fails for any reason but SQLITE_BUSY (sqlite3VdbeHalt: IOERR and
        // FULL are "special errors"; a failed commit calls sqlite3RollbackAll; after it
        // sqlite3_get_autocommit() is 1 and a ROLLBACK fails with "cannot rollback - no
        // transaction is active"). From there up to the next BEGIN, nothing may be sent.
        const bool ioerr =
            (p.kind.rc & 0xff) == SQLITE_IOERR && o.error.starts_with("tabella::connection_error");
        if (o.threw && (ioerr || o.commit_sent)) {
            std::size_t from = mark; // after a failed COMMIT: what follows that COMMIT
            for (std::size_t i = mark; o.commit_sent && i < attempt_end; ++i)
                if (echo[i] == "COMMIT") {
                    from = i + 1;
                    break;
                }
            std::string sent_in_ended;
            for (std::size_t i = from; i < attempt_end; ++i) {
                if (!after_fault[i] || echo[i].starts_with("(") || echo[i].starts_with("["))
                    continue;
                if (echo[i].starts_with("BEGIN")) break;
                if (echo[i].starts_with("ROLLBACK") || echo[i].starts_with("RELEASE") ||
                    is_dml(echo[i]))
                    sent_in_ended += "\n      " + echo[i].substr(0, 90);
            }
            f.expect(sent_in_ended.empty(),
                     "nothing is sent in a transaction the database has ended (after an I/O "
                     "error or a failed COMMIT: no ROLLBACK / RELEASE / INSERT / UPDATE / "
                     "DELETE before a new BEGIN)",
                     nth, [&] {
                         return o.error + "; sent after it:" + sent_in_ended +
                                "\n    statements:" + statements_since(echo, mark);
                     });
        }
        verify_attempt(s, *w, o, fired, read_rows, o.later_flush && holds_write_lock(path), echo,
                       mark, f, t, nth, !(p.persistent && o.threw && o.commit_sent));
        if (o.threw || fired) return result::next;
        untouched_statements_ = sent;
        return result::done;
    }

    /// Whether another connection holds the write lock of `path` (the session's
    /// transaction is still open in the database): BEGIN IMMEDIATE without waiting.
    bool holds_write_lock(const std::string& path) {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE,
                            vfs_->real_vfs_name().c_str()) != SQLITE_OK) {
            sqlite3_close(db);
            return false;
        }
        const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        return (rc & 0xff) == SQLITE_BUSY;
    }

    fault_vfs* vfs_ = nullptr;
    std::string untouched_statements_; // what the commit sends when nothing fails
    fs::path dir_;
    std::string template_;
};

TEST_P(sqlite_fault_sweep, every_fault_point_leaves_all_or_nothing_and_the_session_agrees) {
    const auto& p = GetParam();
    findings f(std::string("SQLite ") + name_of(p));
    tally t;
    const auto start = std::chrono::steady_clock::now();
    int nth = 1;
    result r = result::next;
    for (; nth <= max_points && r == result::next; ++nth) r = attempt(nth, f, t);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::cout << "[ sweep    ] " << name_of(p) << ": N = 1.." << nth - 1 << ", " << t.str() << ", "
              << ms << " ms, statements of the commit:" << untouched_statements_ << "\n";
    f.report("N");
    ASSERT_TRUE(r != result::next) << "the sweep did not end within " << max_points << " points";
    // The workload must reach the faulted operation (except xTruncate in WAL mode, where
    // the file is truncated by checkpoints, not by commits).
    if (r == result::done && !(p.kind.op == fault_op::truncate && p.mode == journal::wal)) {
        EXPECT_GT(nth - 1, 1) << "no " << p.kind.name << " fault point in the commit";
    }
}

std::vector<sweep_param> all_params() {
    std::vector<sweep_param> out;
    for (const bool split : {false, true})
        for (const auto mode : {journal::rollback, journal::wal})
            for (const auto& kind : {write_ioerr, write_full, sync_ioerr, truncate_ioerr})
                for (const bool persistent : {false, true})
                    out.push_back({mode, kind, persistent, split});
    return out;
}

INSTANTIATE_TEST_SUITE_P(faults, sqlite_fault_sweep, ::testing::ValuesIn(all_params()), param_name);

} // namespace
} // namespace tabella::testing
