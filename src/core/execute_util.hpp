// Helpers shared by the statement executors of the Core layer.
#pragma once

#include "tabella/connection.hpp"
#include "tabella/detail/driver.hpp"

namespace tabella::detail {

/// Runs `work` all or nothing: in its own transaction outside one (autocommit, with
/// "BEGIN (implicit)" and COMMIT in echo), in a SAVEPOINT inside one when `multi` says the
/// work spans several statements.
template <class F>
void run_atomically(connection& conn, F&& work, bool multi = false, bool write = false) {
    if (conn.in_transaction() && !multi) {
        work();
        return;
    }
    auto tx = write ? conn.begin_write() : conn.begin();
    work();
    tx.commit();
}

/// A result from rows read by a driver.
[[nodiscard]] result to_result(row_buffer&& rows, std::int64_t changed);

} // namespace tabella::detail
