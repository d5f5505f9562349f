// The driver boundary: one connection to one database, and its prepared statements.
// Implemented by each folder of src/ that holds a driver; no client-library header appears
// here, and nothing outside a driver's folder names a database.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tabella {
class dialect;
struct url;
struct engine_options;
} // namespace tabella

namespace tabella::detail {

class echo_log;

/// Rows read by a statement, stored flat: cells[row * columns.size() + column].
struct TABELLA_EXPORT row_buffer {
    std::vector<std::string> columns;
    std::vector<value> cells;
    [[nodiscard]] std::size_t row_count() const noexcept {
        return columns.empty() ? 0 : cells.size() / columns.size();
    }
};

/// Receives a statement's rows one at a time, as the driver reads them
/// (prepared_statement::execute_each).
class TABELLA_EXPORT row_sink {
  public:
    virtual ~row_sink() = default;
    /// One row: a view of each cell, in select-list order, of the kind the database
    /// reported (text and blobs point into the driver's buffers). The views are valid only
    /// during the call: whatever is kept is copied, once, into its destination.
    virtual void row(std::span<const param_ref> cells) = 0;
};

/// The rows of one execution of a statement, read as the caller asks for them, so that a
/// result of any size is never held whole (prepared_statement::open). Destroying it ends
/// the execution and leaves the connection ready for other statements.
class TABELLA_EXPORT row_cursor {
  public:
    virtual ~row_cursor() = default;
    /// Empties `out`'s cells and reads up to `n` (at least 1) more rows into it, setting its
    /// columns at the first call. Returns false, with no rows, once the result has none
    /// left. Throws the sql_error that matches a failure; the cursor is at its end then.
    virtual bool fetch(row_buffer& out, std::size_t n) = 0;
    /// fetch(), each of the up to `n` rows handed to `sink` as views (valid during the
    /// call) rather than kept as values: the ORM's streams load objects from them. Returns
    /// false, handing nothing, once the result has no rows left. The default fetches into
    /// a buffer of the cursor's and views it.
    virtual bool fetch_each(row_sink& sink, std::size_t n);

  private:
    row_buffer each_; ///< the default fetch_each's rows
};

/// A statement prepared once and executed many times with different parameters.
class TABELLA_EXPORT prepared_statement {
  public:
    virtual ~prepared_statement() = default;
    /// Binds `params` and runs the statement to completion. Appends the rows it returns to
    /// `out` when `out` is not null. Returns the count of rows it changed.
    /// Throws the sql_error subclass that matches the failure.
    virtual std::int64_t execute(std::span<const param_ref> params, row_buffer* out) = 0;
    /// Runs the statement and hands its rows to `sink` in batches of at most `batch` rows,
    /// in `buffer` (emptied of cells before each batch; its columns stay), so that a large
    /// result is never held whole where the driver can read rows as they come. The default
    /// reads them all, then makes one call. Returns the count of rows changed.
    virtual std::int64_t execute_batched(std::span<const param_ref> params, row_buffer& buffer,
                                         std::size_t batch,
                                         const std::function<void(row_buffer&)>& sink) {
        (void)batch;
        const std::int64_t changed = execute(params, &buffer);
        sink(buffer);
        return changed;
    }
    /// Runs the statement and hands each row to `sink` as it is read, with no `value` made
    /// of its cells (SQLite as it steps, PostgreSQL from its result): the load path of the
    /// ORM. The default reads batches with execute_batched and views their cells. Returns
    /// the count of rows changed.
    virtual std::int64_t execute_each(std::span<const param_ref> params, row_sink& sink);
    /// Runs the statement with `params` and returns a cursor over its rows, read a batch
    /// at a time as fetch() asks (SQLite steps, PostgreSQL FETCHes from a server-side
    /// cursor, MariaDB from a read-only server cursor). The statement, `params` and what
    /// they view must outlive the cursor, and the statement is not run again meanwhile.
    /// The default reads the whole result, then hands it out.
    [[nodiscard]] virtual std::unique_ptr<row_cursor> open(std::span<const param_ref> params);
    [[nodiscard]] virtual const std::string& sql() const noexcept = 0;
};

/// What a connection can do. Core and the ORM decide by these, never by a database's name.
struct TABELLA_EXPORT driver_capabilities {
    /// A failed statement leaves the transaction usable (SQLite and InnoDB roll back just
    /// the statement); false when it aborts the whole transaction (PostgreSQL).
    bool keeps_transaction_after_error = false;
    /// INSERT ... RETURNING works (the key of a generated row comes back with the row).
    bool returning = false;
    /// A multi-row INSERT ... RETURNING returns its rows in the order of its VALUES, so
    /// the n-th returned key belongs to the n-th row sent.
    bool returning_in_values_order = false;
    /// reserve_keys() may succeed (it still answers per table).
    bool reserves_keys = false;
    /// copy_rows() works and reports the count of rows it stored.
    bool copy = false;
    /// A foreign key is checked at each row a statement writes, not at the end of the
    /// statement (InnoDB): one statement must not delete a row and a row referencing it.
    bool checks_foreign_keys_per_row = false;
    /// The database has named sequences: create_all creates those columns name
    /// (column::sequence) and reserve_from_sequence() draws keys from them.
    bool sequences = false;
};

/// One open connection. Not thread-safe: a connection is used by one thread at a time.
class TABELLA_EXPORT driver_connection {
  public:
    virtual ~driver_connection() = default;

    [[nodiscard]] virtual const dialect& sql_dialect() const noexcept = 0;
    [[nodiscard]] virtual driver_capabilities capabilities() const noexcept = 0;
    /// The real bound-parameter limit of this connection.
    [[nodiscard]] virtual std::size_t parameter_limit() const = 0;
    /// Lowers (or restores) the parameter limit, e.g. to force chunking in tests.
    virtual void set_parameter_limit(std::size_t limit) = 0;
    [[nodiscard]] virtual std::unique_ptr<prepared_statement> prepare(std::string sql) = 0;
    /// Runs a statement without parameters or results (BEGIN, COMMIT, DDL...).
    virtual void execute_simple(const std::string& sql) = 0;
    /// Reserves `count` new keys of `table`.`key_column` for rows that this transaction then
    /// inserts with explicit keys, appending them to `out`. Every key is greater than
    /// `above` (the largest key the caller still addresses a row by: a database that reuses
    /// the keys of deleted rows must not hand one of those out). Returns false, appending
    /// nothing, when reserving is not safe for that table (the caller falls back to
    /// RETURNING). Call only inside a transaction. Statements it runs are echoed.
    virtual bool reserve_keys(const std::string& table, const std::string& key_column,
                              std::size_t count, std::int64_t above,
                              std::vector<std::int64_t>& out) {
        (void)table, (void)key_column, (void)count, (void)above, (void)out;
        return false;
    }
    /// Draws `count` new values of the sequence `sequence` (a plain name, not quoted) in one
    /// round trip, appending them to `out`: distinct, though not always consecutive. Call
    /// only inside a transaction, and only when capabilities().sequences (else it returns
    /// false, appending nothing). Statements it runs are echoed.
    virtual bool reserve_from_sequence(const std::string& sequence, std::size_t count,
                                       std::vector<std::int64_t>& out) {
        (void)sequence, (void)count, (void)out;
        return false;
    }
    /// Sends rows with COPY FROM STDIN: `flat` holds `columns.size()` values a row.
    /// Returns the count of rows stored; only called when capabilities().copy.
    virtual std::int64_t copy_rows(const std::string& table, std::span<const std::string> columns,
                                   std::span<const param_ref> flat) {
        (void)table, (void)columns, (void)flat;
        return 0;
    }
    /// False when the database has ended the transaction on its own (SQLite rolls back
    /// the whole transaction on SQLITE_FULL, InnoDB on a deadlock...); true while one is
    /// open.
    [[nodiscard]] virtual bool transaction_active() const noexcept { return true; }
    /// False once the driver knows the connection cannot be used any more.
    [[nodiscard]] virtual bool is_usable() const noexcept = 0;

    /// Where the driver reports the statements it runs on its own (catalog checks, key
    /// reservation), so that echo shows every statement sent. Set by Core; may be null.
    void set_echo(const echo_log* log) noexcept { echo_ = log; }

  protected:
    /// Echoes a statement the driver runs on its own, with its parameters.
    void echo_statement(std::string_view sql, std::span<const param_ref> params = {}) const;

  private:
    const echo_log* echo_ = nullptr;
};

/// Opens a connection for a parsed URL.
using driver_factory =
    std::function<std::unique_ptr<driver_connection>(const url&, const engine_options&)>;

/// A driver as the engine sees it: what it is called, how it opens connections and what
/// its URLs may say. Registered by each driver's public register_driver() function.
struct TABELLA_EXPORT driver_info {
    /// URL schemes, the canonical one first ("postgresql", "postgres"). A URL's
    /// "+suffix" ("postgresql+pqxx") is ignored.
    std::vector<std::string> schemes;
    const dialect* sql_dialect = nullptr;
    driver_factory open;
    /// Throws usage_error when a parsed URL's parts or options are not valid for this
    /// driver. May be empty.
    std::function<void(const url&)> validate_url;
    /// True for a URL whose database lives only while one of its connections is open
    /// (SQLite in memory): the pool keeps every connection, and prepare_engine_url names
    /// the database so that all of an engine's connections share it. May be empty.
    std::function<bool(const url&)> is_memory;
    std::function<void(url&)> prepare_engine_url;
};

/// Adds a driver (a second registration of its scheme is ignored). Thread-safe; drivers call it
/// from register_driver().
TABELLA_EXPORT void register_driver(driver_info info);
/// The driver registered for `scheme` (canonical or alias), or nullptr.
[[nodiscard]] TABELLA_EXPORT const driver_info* find_driver(std::string_view scheme);

} // namespace tabella::detail
