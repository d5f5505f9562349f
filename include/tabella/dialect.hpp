// The dialect boundary: pure SQL rendering and limits, no I/O. Tested by exact strings.
#pragma once

#include "tabella/export.hpp"

#include "tabella/metadata.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace tabella {

struct on_conflict;

/// Renders SQL for one database. A dialect holds no connection and does no I/O.
class TABELLA_EXPORT dialect {
  public:
    virtual ~dialect() = default;

    /// The database it renders for: "sqlite", "postgresql"... For messages; code decides
    /// by capabilities, never by this name.
    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    /// Rows per INSERT a flush sends when the session sets no page_size: past it, the
    /// database spends more preparing a statement than running it (0: parameter limit).
    [[nodiscard]] virtual std::size_t preferred_rows_per_statement() const noexcept { return 0; }
    /// The bound-parameter limit to assume when no connection says otherwise.
    [[nodiscard]] virtual std::size_t default_parameter_limit() const noexcept = 0;
    /// Appends the placeholder of the 1-based parameter `index` ("?" or "$3").
    virtual void append_placeholder(std::string& out, std::size_t index) const = 0;
    /// The type name used in CREATE TABLE for `c`, including identity/autoincrement clauses.
    [[nodiscard]] virtual std::string column_type_sql(const column& c, bool sole_key) const = 0;

    /// The statement that opens a transaction; `for_write` asks for the write lock up front
    /// where the database has one (SQLite: BEGIN IMMEDIATE), so that concurrent writers
    /// wait for each other instead of failing with a deadlock.
    [[nodiscard]] virtual std::string_view begin_sql(bool for_write) const noexcept {
        (void)for_write;
        return "BEGIN";
    }

    /// What follows a SELECT to lock the rows it reads until the transaction ends (""
    /// where the database locks more than rows, at the transaction's start).
    [[nodiscard]] virtual std::string_view for_update_clause() const noexcept {
        return " FOR UPDATE";
    }
    /// The statements that end a transaction.
    [[nodiscard]] virtual std::string_view commit_sql() const noexcept { return "COMMIT"; }
    [[nodiscard]] virtual std::string_view rollback_sql() const noexcept { return "ROLLBACK"; }
    /// SAVEPOINT name / RELEASE SAVEPOINT name / ROLLBACK TO SAVEPOINT name.
    [[nodiscard]] virtual std::string savepoint_sql(std::string_view name) const;
    [[nodiscard]] virtual std::string release_savepoint_sql(std::string_view name) const;
    [[nodiscard]] virtual std::string rollback_to_savepoint_sql(std::string_view name) const;
    /// SELECT count(*) FROM table (a WHERE clause may follow).
    [[nodiscard]] std::string count_rows(std::string_view table) const;

    /// Appends `ident`, quoted (with identifier_quote()) when it is not a plain lower-case
    /// name or is a SQL keyword. Embedded quotes are doubled. Throws usage_error for an empty name
    /// or one with a NUL byte.
    void append_identifier(std::string& out, std::string_view ident) const;
    /// Appends "(a, b, ...)", each identifier quoted as append_identifier does.
    void append_identifier_list(std::string& out, std::span<const std::string> idents) const;
    /// `append_identifier` into a new string.
    [[nodiscard]] std::string quote_identifier(std::string_view ident) const;

    /// CREATE TABLE IF NOT EXISTS with columns, PRIMARY KEY, UNIQUE, named UNIQUE constraints
    /// and FOREIGN KEY clauses; foreign keys equal to one of `deferred` are left out (create_all
    /// adds them with add_foreign_key once every table exists).
    [[nodiscard]] std::string
    create_table(const table& t, std::span<const foreign_key_constraint> deferred = {}) const;
    /// CREATE INDEX IF NOT EXISTS name ON table (columns...) for an index of `t`. Throws
    /// usage_error when the name is longer than max_identifier_length().
    [[nodiscard]] std::string create_index(const table& t, const table_index& ix) const;
    /// Adds `fk` to an existing table as the constraint `name`: ALTER TABLE table ADD
    /// CONSTRAINT name FOREIGN KEY (...) REFERENCES ... [ON DELETE ...]. A dialect renders it
    /// so that it does nothing when the table has that constraint already, where the
    /// database allows it. Only used when can_add_foreign_keys().
    [[nodiscard]] virtual std::string add_foreign_key(std::string_view table,
                                                      const foreign_key_constraint& fk,
                                                      std::string_view name) const;
    /// Drops the foreign key `name` of `table` when both exist: ALTER TABLE IF EXISTS table
    /// DROP CONSTRAINT IF EXISTS name, unless the database spells it otherwise.
    [[nodiscard]] virtual std::string drop_foreign_key(std::string_view table,
                                                       std::string_view name) const;
    /// The database can add a FOREIGN KEY to an existing table (add_foreign_key). Where it
    /// cannot (SQLite), a FOREIGN KEY may name a table that does not exist yet, so tables
    /// that reference each other keep every foreign key inside CREATE TABLE.
    [[nodiscard]] virtual bool can_add_foreign_keys() const noexcept { return true; }
    /// A statement that postpones the checks of foreign keys to the end of the transaction,
    /// so that drop_all can drop tables that reference each other where their foreign keys
    /// cannot be dropped first ("" when there is none, or none is needed).
    [[nodiscard]] virtual std::string_view defer_foreign_keys_sql() const noexcept { return {}; }
    /// The longest identifier the database accepts, in bytes (0: no limit).
    [[nodiscard]] virtual std::size_t max_identifier_length() const noexcept { return 0; }
    /// DROP TABLE IF EXISTS.
    [[nodiscard]] std::string drop_table(const table& t) const;
    /// CREATE SEQUENCE IF NOT EXISTS name (for a database with sequences).
    [[nodiscard]] std::string create_sequence(std::string_view name) const;
    /// DROP SEQUENCE IF EXISTS name.
    [[nodiscard]] std::string drop_sequence(std::string_view name) const;
    /// INSERT INTO t (c1, c2) VALUES (?, ?), (?, ?)... with `rows` rows, parameters numbered
    /// from 1 row by row. With no columns: INSERT INTO t DEFAULT VALUES (rows must be 1).
    [[nodiscard]] std::string insert(std::string_view table, std::span<const std::string> columns,
                                     std::size_t rows) const;
    /// Appends the upsert clause of an INSERT of `columns`: " ON CONFLICT (c) DO NOTHING" or
    /// " ON CONFLICT (c) DO UPDATE SET u = excluded.u, ..." by default.
    virtual void append_on_conflict(std::string& out, const on_conflict& rule,
                                    std::span<const std::string> columns) const;
    /// UPDATE t SET c1 = p1, c2 = p2 WHERE key = p3 (parameters in that order).
    [[nodiscard]] std::string update_by_key(std::string_view table,
                                            std::span<const std::string_view> set_columns,
                                            std::string_view key_column) const;
    /// UPDATE t SET c1 = p1, c2 = p2 WHERE key = p3 AND version = p4 (optimistic locking).
    [[nodiscard]] std::string update_by_key(std::string_view table,
                                            std::span<const std::string_view> set_columns,
                                            std::string_view key_column,
                                            std::string_view version_column) const;
    /// DELETE FROM t WHERE (key = p1 AND version = p2) OR ... for `count` rows.
    [[nodiscard]] std::string delete_by_keys_and_versions(std::string_view table,
                                                          std::string_view key_column,
                                                          std::string_view version_column,
                                                          std::size_t count) const;
    /// DELETE FROM t WHERE key IN (p1, ..., pn).
    [[nodiscard]] std::string delete_by_keys(std::string_view table, std::string_view key_column,
                                             std::size_t count) const;
    /// UPDATE t SET c1 = p1, ... WHERE k1 = p AND k2 = p ... [AND version = p]: the row
    /// addressed by every column of its primary key (and, when `version_column` is not
    /// empty, by its version too). Parameters: the set values, the key, the version.
    [[nodiscard]] std::string update_by_key(std::string_view table,
                                            std::span<const std::string_view> set_columns,
                                            std::span<const std::string_view> key_columns,
                                            std::string_view version_column) const;
    /// DELETE FROM t for `count` rows, each addressed by its key columns (and version, when
    /// `version_column` is not empty): `k IN (...)` for one unversioned key column, else
    /// `(k1 = p AND k2 = p ...) OR ...`. Parameters row by row.
    [[nodiscard]] std::string delete_by_keys(std::string_view table,
                                             std::span<const std::string_view> key_columns,
                                             std::string_view version_column,
                                             std::size_t count) const;
    /// Appends `column LIKE <placeholder>` for `column_sql` (quoted already), case-sensitive
    /// or not, with `pattern` (SQL LIKE wildcards) appended to `params` as this database
    /// needs it. Default: LIKE, and ILIKE (PostgreSQL).
    virtual void append_like(std::string& sql, std::vector<value>& params,
                             std::string_view column_sql, const std::string& pattern,
                             bool case_insensitive) const;
    /// An INSERT with append_on_conflict's skipping clause (no update columns) and
    /// RETURNING returns the stored row of each row it skipped, not nothing (MariaDB, which
    /// skips by setting a column to itself): the rows returned cannot tell inserted from
    /// skipped.
    [[nodiscard]] virtual bool returns_skipped_rows() const noexcept { return false; }
    /// UPDATE ... RETURNING works (MariaDB has it for INSERT and DELETE only).
    [[nodiscard]] virtual bool returns_from_update() const noexcept { return true; }
    /// ORDER BY ... NULLS FIRST / NULLS LAST is understood; when not, tabella sorts by a
    /// NULL-ness key first.
    [[nodiscard]] virtual bool orders_nulls() const noexcept { return true; }
    /// " RETURNING column", appended to an INSERT to read back what the database generated.
    [[nodiscard]] std::string returning(std::string_view column) const;
    /// " RETURNING first, more[0], more[1]...".
    [[nodiscard]] std::string returning(std::string_view first,
                                        std::span<const std::string> more) const;
    /// Appends "(p, p, ...)" with `count` placeholders starting at parameter `first`.
    void append_value_tuple(std::string& out, std::size_t first, std::size_t count) const;

  protected:
    /// Appends "(a, b, ...)", the columns of index `ix` of `t`, as append_identifier_list
    /// does unless the database must index some of them by a prefix.
    virtual void append_index_columns(std::string& out, const table& t,
                                      const table_index& ix) const;
    /// Appends "FOREIGN KEY (columns) REFERENCES table (columns)" and its ON DELETE action.
    void append_foreign_key(std::string& out, const foreign_key_constraint& fk) const;
    /// Appends the name of an index or constraint, quoted; throws usage_error when it is
    /// longer than max_identifier_length().
    void append_constraint_name(std::string& out, std::string_view name) const;

    /// True when `lower_name` (lower case) must be quoted to be an identifier: a keyword
    /// of SQLite, PostgreSQL or standard SQL; a dialect adds its database's own words.
    [[nodiscard]] virtual bool is_reserved_word(std::string_view lower_name) const noexcept;
    /// The character append_identifier quotes with: '"' (standard SQL) unless the
    /// database has another.
    [[nodiscard]] virtual char identifier_quote() const noexcept { return '"'; }
    /// What follows the table of an INSERT that sends no column: " DEFAULT VALUES" unless
    /// the database spells it otherwise.
    [[nodiscard]] virtual std::string_view default_values_sql() const noexcept {
        return " DEFAULT VALUES";
    }
};

/// Rows per statement when each row binds `columns_per_row` parameters: the largest count
/// that keeps a statement within `parameter_limit`, capped by `page_size` (0: no cap).
/// Always at least 1; throws usage_error when one row alone exceeds the limit.
[[nodiscard]] TABELLA_EXPORT std::size_t rows_per_statement(std::size_t columns_per_row,
                                                            std::size_t parameter_limit,
                                                            std::size_t page_size = 0);

} // namespace tabella
