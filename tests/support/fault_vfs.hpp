// A sqlite3_vfs shim for I/O fault injection, in the manner of SQLite's own test suite
// (src/test_vfs.c, the "ioerr" and "diskfull" tests): it wraps the process's default VFS
// and every file it opens, passes each call through, and makes the Nth xWrite, xSync or
// xTruncate from the moment it is armed fail with a chosen result code, once or (like
// SQLite's "-persist" ioerr tests) on every such call after the first failure.
//
// install() registers the shim as the process's default VFS, so every connection opened
// without naming a VFS (tabella's included) goes through it; real_vfs_name() names the
// wrapped VFS, for an independent connection that must not see any fault.
#pragma once

#include <cstdint>
#include <string>

namespace tabella::testing {

/// The file operations a fault can be injected into.
enum class fault_op { write, sync, truncate };

class fault_vfs {
  public:
    /// The shim, registered as the default VFS at the first call (thread-safe).
    static fault_vfs& install();

    /// From now on, the `nth` call (1-based) of `op` on any file opened through the shim
    /// fails with `rc` (e.g. SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_FULL) and does
    /// nothing; with `persistent`, every later call of `op` fails too until disarm().
    void arm(fault_op op, int nth, int rc, bool persistent);
    /// No more faults; the counters keep their values.
    void disarm();
    /// Failures injected since the last arm().
    [[nodiscard]] int fired() const;
    /// Calls of `op` seen since the last arm() (failed ones included).
    [[nodiscard]] std::uint64_t calls(fault_op op) const;
    /// The name of the wrapped VFS ("unix" on Linux).
    [[nodiscard]] const std::string& real_vfs_name() const;
    /// The name the shim is registered under.
    static constexpr const char* name = "tabella_fault";

    /// Called by the shim for every op: the result code to return instead of doing it,
    /// or 0 to pass the call through. Thread-safe.
    int intercept(fault_op op) noexcept;

  private:
    fault_vfs();
    struct state;
    state* state_;
};

/// Disarms the shim when it goes out of scope (a failed assertion must not leave a fault
/// armed for the next test).
class fault_guard {
  public:
    explicit fault_guard(fault_vfs& vfs) : vfs_(vfs) {}
    fault_guard(const fault_guard&) = delete;
    fault_guard& operator=(const fault_guard&) = delete;
    ~fault_guard() { vfs_.disarm(); }

  private:
    fault_vfs& vfs_;
};

} // namespace tabella::testing
