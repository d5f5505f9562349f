// The fault-injecting VFS shim (see fault_vfs.hpp). Every method forwards to the wrapped
// VFS and file; xWrite, xSync and xTruncate ask fault_vfs::intercept first.
#include "fault_vfs.hpp"

#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <mutex>
#include <stdexcept>

namespace tabella::testing {

struct fault_vfs::state {
    sqlite3_vfs* real = nullptr;
    std::string real_name;
    sqlite3_vfs shim{};

    mutable std::mutex mutex;
    bool armed = false;
    fault_op op = fault_op::write;
    int countdown = 0;
    int rc = SQLITE_OK;
    bool persistent = false;
    bool failing = false; // persistent and fired: every later call fails
    int fired = 0;
    std::array<std::uint64_t, 3> calls{};
};

namespace {

// The shim's file: our methods, then the wrapped VFS's own file object.
struct fault_file {
    sqlite3_file base;
    sqlite3_file* real;
};
constexpr std::size_t real_offset = (sizeof(fault_file) + alignof(std::max_align_t) - 1) /
                                    alignof(std::max_align_t) * alignof(std::max_align_t);

fault_vfs* the_vfs = nullptr;

sqlite3_file* real_of(sqlite3_file* f) {
    return reinterpret_cast<fault_file*>(f)->real;
}

int f_close(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}
int f_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xRead(r, buf, amount, offset);
}
int f_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
    if (const int rc = the_vfs->intercept(fault_op::write)) return rc;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xWrite(r, buf, amount, offset);
}
int f_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (const int rc = the_vfs->intercept(fault_op::truncate)) return rc;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}
int f_sync(sqlite3_file* f, int flags) {
    if (const int rc = the_vfs->intercept(fault_op::sync)) return rc;
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSync(r, flags);
}
int f_file_size(sqlite3_file* f, sqlite3_int64* size) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}
int f_lock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xLock(r, level);
}
int f_unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}
int f_check_reserved_lock(sqlite3_file* f, int* out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}
int f_file_control(sqlite3_file* f, int op, void* arg) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFileControl(r, op, arg);
}
int f_sector_size(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xSectorSize(r);
}
int f_device_characteristics(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}
int f_shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmMap(r, page, page_size, extend, out);
}
int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}
void f_shm_barrier(sqlite3_file* f) {
    sqlite3_file* r = real_of(f);
    r->pMethods->xShmBarrier(r);
}
int f_shm_unmap(sqlite3_file* f, int delete_flag) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xShmUnmap(r, delete_flag);
}
int f_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xFetch(r, offset, amount, out);
}
int f_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    sqlite3_file* r = real_of(f);
    return r->pMethods->xUnfetch(r, offset, p);
}

// One method table per io_methods version, so that SQLite calls only what the wrapped
// file has.
constexpr sqlite3_io_methods methods_of_version(int version) {
    return {version,
            f_close,
            f_read,
            f_write,
            f_truncate,
            f_sync,
            f_file_size,
            f_lock,
            f_unlock,
            f_check_reserved_lock,
            f_file_control,
            f_sector_size,
            f_device_characteristics,
            version >= 2 ? f_shm_map : nullptr,
            version >= 2 ? f_shm_lock : nullptr,
            version >= 2 ? f_shm_barrier : nullptr,
            version >= 2 ? f_shm_unmap : nullptr,
            version >= 3 ? f_fetch : nullptr,
            version >= 3 ? f_unfetch : nullptr};
}
const sqlite3_io_methods file_methods[] = {methods_of_version(1), methods_of_version(2),
                                           methods_of_version(3)};

sqlite3_vfs* real_vfs(sqlite3_vfs* shim) {
    return static_cast<sqlite3_vfs*>(shim->pAppData);
}

int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    auto* f = reinterpret_cast<fault_file*>(file);
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset);
    f->real->pMethods = nullptr;
    const int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, f->real, flags, out_flags);
    // SQLite calls xClose whenever pMethods is set, even after a failed xOpen: mirror the
    // wrapped VFS.
    if (const sqlite3_io_methods* m = f->real->pMethods) {
        const int version = m->iVersion < 1 ? 1 : (m->iVersion > 3 ? 3 : m->iVersion);
        f->base.pMethods = &file_methods[version - 1];
    }
    return rc;
}
int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}
int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
    return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, n, out);
}
void* v_dl_open(sqlite3_vfs* vfs, const char* name) {
    return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}
void v_dl_error(sqlite3_vfs* vfs, int n, char* out) {
    real_vfs(vfs)->xDlError(real_vfs(vfs), n, out);
}
void (*v_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void v_dl_close(sqlite3_vfs* vfs, void* handle) {
    real_vfs(vfs)->xDlClose(real_vfs(vfs), handle);
}
int v_randomness(sqlite3_vfs* vfs, int n, char* out) {
    return real_vfs(vfs)->xRandomness(real_vfs(vfs), n, out);
}
int v_sleep(sqlite3_vfs* vfs, int microseconds) {
    return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}
int v_current_time(sqlite3_vfs* vfs, double* out) {
    return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
    return real_vfs(vfs)->xGetLastError ? real_vfs(vfs)->xGetLastError(real_vfs(vfs), n, out) : 0;
}
int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}
int v_set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr p) {
    return real_vfs(vfs)->xSetSystemCall(real_vfs(vfs), name, p);
}
sqlite3_syscall_ptr v_get_system_call(sqlite3_vfs* vfs, const char* name) {
    return real_vfs(vfs)->xGetSystemCall(real_vfs(vfs), name);
}
const char* v_next_system_call(sqlite3_vfs* vfs, const char* name) {
    return real_vfs(vfs)->xNextSystemCall(real_vfs(vfs), name);
}

} // namespace

fault_vfs::fault_vfs() : state_(new state) {
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    if (!real) throw std::runtime_error("fault_vfs: SQLite has no default VFS");
    if (real->iVersion < 3 || !real->xCurrentTimeInt64 || !real->xSetSystemCall)
        throw std::runtime_error("fault_vfs: the default VFS is older than version 3");
    state_->real = real;
    state_->real_name = real->zName;
    sqlite3_vfs& v = state_->shim;
    v.iVersion = 3;
    v.szOsFile = static_cast<int>(real_offset) + real->szOsFile;
    v.mxPathname = real->mxPathname;
    v.zName = name;
    v.pAppData = real;
    v.xOpen = v_open;
    v.xDelete = v_delete;
    v.xAccess = v_access;
    v.xFullPathname = v_full_pathname;
    v.xDlOpen = v_dl_open;
    v.xDlError = v_dl_error;
    v.xDlSym = v_dl_sym;
    v.xDlClose = v_dl_close;
    v.xRandomness = v_randomness;
    v.xSleep = v_sleep;
    v.xCurrentTime = v_current_time;
    v.xGetLastError = v_get_last_error;
    v.xCurrentTimeInt64 = v_current_time_int64;
    v.xSetSystemCall = v_set_system_call;
    v.xGetSystemCall = v_get_system_call;
    v.xNextSystemCall = v_next_system_call;
}

fault_vfs& fault_vfs::install() {
    // Never destroyed: connections may outlive any static of the test binary.
    static fault_vfs* const instance = [] {
        auto* vfs = new fault_vfs;
        the_vfs = vfs;
        if (sqlite3_vfs_register(&vfs->state_->shim, 1) != SQLITE_OK)
            throw std::runtime_error("fault_vfs: sqlite3_vfs_register failed");
        return vfs;
    }();
    return *instance;
}

void fault_vfs::arm(fault_op op, int nth, int rc, bool persistent) {
    if (nth < 1) throw std::invalid_argument("fault_vfs::arm: nth counts from 1");
    std::lock_guard lock(state_->mutex);
    state_->armed = true;
    state_->op = op;
    state_->countdown = nth;
    state_->rc = rc;
    state_->persistent = persistent;
    state_->failing = false;
    state_->fired = 0;
    state_->calls = {};
}

void fault_vfs::disarm() {
    std::lock_guard lock(state_->mutex);
    state_->armed = false;
    state_->failing = false;
}

int fault_vfs::fired() const {
    std::lock_guard lock(state_->mutex);
    return state_->fired;
}

std::uint64_t fault_vfs::calls(fault_op op) const {
    std::lock_guard lock(state_->mutex);
    return state_->calls[static_cast<std::size_t>(op)];
}

const std::string& fault_vfs::real_vfs_name() const {
    return state_->real_name;
}

int fault_vfs::intercept(fault_op op) noexcept {
    std::lock_guard lock(state_->mutex);
    ++state_->calls[static_cast<std::size_t>(op)];
    if (!state_->armed || op != state_->op) return SQLITE_OK;
    if (state_->failing || --state_->countdown == 0) {
        ++state_->fired;
        if (state_->persistent)
            state_->failing = true;
        else
            state_->armed = false;
        return state_->rc;
    }
    return SQLITE_OK;
}

} // namespace tabella::testing
