// Reading this process's resident memory from /proc (Linux), for the memory benchmarks.
#pragma once

#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace tabella_bench {

/// A "Vm...:   123 kB" line of /proc/self/status, in bytes; -1 when absent.
inline long long status_bytes(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(field + ":", 0) == 0)
            return std::stoll(line.substr(field.size() + 1)) * 1024;
    return -1;
}

/// Resets VmHWM to the current RSS (Linux >= 4.0), so the next peak is the next work's own.
inline bool reset_peak() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

inline double mib(long long bytes) {
    return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

/// Runs `work` in a child process and returns what it returned, so that memory the
/// allocator kept from one measurement does not hide the next one's. A `work` that throws
/// is reported on stderr (prefixed with `program`), and the call throws.
inline long long in_child(const char* program, const std::function<long long()>& work) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    const pid_t child = fork();
    if (child == 0) {
        long long peak = -1;
        try {
            peak = work();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s: %s\n", program, e.what());
        }
        (void)!write(fds[1], &peak, sizeof peak);
        _exit(0);
    }
    long long peak = -1;
    (void)!read(fds[0], &peak, sizeof peak);
    waitpid(child, nullptr, 0);
    close(fds[0]);
    close(fds[1]);
    if (peak < 0) throw std::runtime_error("a measurement failed");
    return peak;
}

} // namespace tabella_bench
