// Reading this process's resident memory from /proc (Linux), for the memory benchmarks.
#pragma once

#include <fstream>
#include <string>

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

} // namespace tabella_bench
