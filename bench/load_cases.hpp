// tabella_load_bench: loading objects through the session against the raw sqlite3 loop
// that builds the same objects, each pair's ratio printed from the same run.
#pragma once

#include <string>
#include <vector>

namespace tabella_load {

/// A session case and the raw case it is compared with: every run of `session` whose
/// name continues as a run of `raw` does (same arguments) gives one ratio line.
struct ratio_pair {
    std::string session;
    std::string raw;
    std::string what; ///< e.g. "books with their authors"
};

/// A fresh directory of this process for the cases' SQLite files, removed at exit.
[[nodiscard]] const std::string& scratch_directory();

/// query<book>().load(&book::author_id) against a raw JOIN (issue 12).
void register_relationship_cases(std::vector<ratio_pair>& pairs);
/// query<T>().all() against a raw sqlite3_step loop, tracking on and off (issue 14).
void register_query_cases(std::vector<ratio_pair>& pairs);
/// A GROUP BY with COUNT and SUM through the ORM and Core against the same SQL raw (issue 13).
void register_aggregate_cases(std::vector<ratio_pair>& pairs);
/// query<T>().stream(n) and connection::stream_sql against raw streaming loops (issue 13).
void register_stream_cases(std::vector<ratio_pair>& pairs);

} // namespace tabella_load
