// What the fault sweeps (sqlite_fault_sweep_test.cpp, postgres_fault_sweep_test.cpp) share
// to describe rows, objects and errors, and to collect what an attempt got wrong.
#pragma once

#include "models.hpp"
#include "names.hpp"

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
#include <stdexcept>
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

} // namespace tabella::testing::sweep
