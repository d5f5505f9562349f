// Core statements: INSERT (one row, executemany, multi-VALUES), SELECT, UPDATE and DELETE.
#pragma once

#include "tabella/export.hpp"

#include "tabella/expression.hpp"
#include "tabella/value.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tabella {

class table;

/// Column name -> value for one row of an INSERT, in the order given.
class TABELLA_EXPORT param_set {
  public:
    param_set() = default;
    param_set(std::initializer_list<std::pair<std::string, value>> items) : items_(items) {}

    /// Sets (or replaces) the value of `column`.
    param_set& set(std::string column, value v);
    [[nodiscard]] const std::vector<std::pair<std::string, value>>& items() const noexcept {
        return items_;
    }
    [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

  private:
    std::vector<std::pair<std::string, value>> items_;
};

/// What an INSERT does with a row that conflicts with a stored one on a unique key
/// (an upsert).
struct TABELLA_EXPORT on_conflict {
    /// The unique columns whose conflict is handled (`ON CONFLICT (...)`); MariaDB handles
    /// a conflict on any unique key and ignores them.
    std::vector<std::string> conflict_columns;
    /// Columns set from the new row when it conflicts; empty: the row is skipped.
    std::vector<std::string> update_columns;
};

/// INSERT INTO a table. `values(row)` gives one row; `values(rows)` gives many rows
/// rendered as multi-VALUES statements (split at the connection's parameter limit).
class TABELLA_EXPORT insert_statement {
  public:
    explicit insert_statement(const table& t) noexcept : table_(&t) {}

    /// A row that conflicts with a stored one on `conflict_columns` (a unique key) is
    /// skipped: `ON CONFLICT (...) DO NOTHING`.
    insert_statement& on_conflict_do_nothing(std::vector<std::string> conflict_columns = {});
    /// A row that conflicts with a stored one on `conflict_columns` updates that row's
    /// `update_columns` from its own values: `ON CONFLICT (id) DO UPDATE SET name =
    /// excluded.name` (MariaDB: `ON DUPLICATE KEY UPDATE name = VALUES(name)`).
    insert_statement& on_conflict_do_update(std::vector<std::string> conflict_columns,
                                            std::vector<std::string> update_columns);
    [[nodiscard]] const std::optional<on_conflict>& conflict() const noexcept { return conflict_; }

    /// Returns these columns of every row the INSERT stores: one row per parameter set,
    /// in the order of the parameter sets, for one row, executemany and multi-VALUES
    /// alike (chunked or not). Rows are matched to parameter sets by construction, never
    /// by the order the database returns them in (SQLAlchemy's sort_by_parameter_order).
    /// With on_conflict_do_update a conflicting parameter set returns the row as updated;
    /// with on_conflict_do_nothing a skipped one returns no row, so the result has fewer
    /// rows than parameter sets (still in parameter-set order: return a column that tells
    /// them apart, such as the conflict column). Where a skipped row would come back as
    /// the stored row (MariaDB), that combination is a usage_error before anything is sent.
    insert_statement& returning(std::vector<std::string> columns);
    [[nodiscard]] const std::vector<std::string>& returned() const noexcept { return returning_; }

    /// One row: `insert().values({{"name", "Bob"}, {"lastname", "Chrismansyah"}})`.
    insert_statement& values(param_set row);
    /// Many rows in multi-VALUES statements. Every row must name the same columns.
    insert_statement& values(std::vector<param_set> rows);

    [[nodiscard]] const table& target() const noexcept { return *table_; }
    [[nodiscard]] const std::vector<param_set>& rows() const noexcept { return rows_; }
    [[nodiscard]] bool is_multi_values() const noexcept { return multi_; }

  private:
    const table* table_;
    std::vector<param_set> rows_;
    bool multi_ = false;
    std::optional<on_conflict> conflict_;
    std::vector<std::string> returning_;
};

/// A table joined to a SELECT: `JOIN other ON condition`, or LEFT JOIN.
struct TABELLA_EXPORT join_clause {
    std::string table;
    condition on;
    bool left = false;
};

/// SELECT columns FROM a table [JOIN ...] [WHERE ...] [GROUP BY ...] [HAVING ...]
/// [ORDER BY ...] [LIMIT n] [OFFSET m]. Made by `table::select()` (every column of the
/// table) or by `tabella::select({expressions...}).select_from(table)`.
class TABELLA_EXPORT select_statement {
  public:
    explicit select_statement(const table& t) noexcept : table_(&t) {}
    /// Selects these expressions; FROM is select_from()'s table, or else the table of the
    /// first column they name.
    explicit select_statement(std::vector<expr> selected) : selected_(std::move(selected)) {}

    /// The table of the FROM clause.
    select_statement& select_from(const table& t);
    /// `JOIN other ON on`: where() and order_by() may then name `other`'s columns; the
    /// selected columns stay this table's unless columns() says otherwise.
    select_statement& join(const table& other, condition on);
    /// `LEFT JOIN other ON on`: rows without a match are kept.
    select_statement& left_join(const table& other, condition on);
    [[nodiscard]] const std::vector<join_clause>& joins() const noexcept { return joins_; }

    /// Adds a condition; several where() calls are joined with AND.
    select_statement& where(condition c);
    /// Adds a GROUP BY expression.
    select_statement& group_by(expr e);
    /// Adds a condition on the groups; several having() calls are joined with AND.
    select_statement& having(condition c);
    /// SELECT DISTINCT.
    select_statement& distinct();
    select_statement& order_by(order_term term);
    select_statement& limit(std::int64_t n);
    select_statement& offset(std::int64_t n);
    /// Selects only these columns of the table (default: all of them).
    select_statement& columns(std::vector<std::string> names);

    /// The FROM table, or nullptr for a statement made from expressions alone.
    [[nodiscard]] const table* from_table() const noexcept { return table_; }
    /// The FROM table; a usage_error when there is none.
    [[nodiscard]] const table& target() const;
    [[nodiscard]] const std::vector<expr>& selected() const noexcept { return selected_; }
    [[nodiscard]] const std::optional<condition>& where_clause() const noexcept { return where_; }
    [[nodiscard]] const std::vector<expr>& grouping() const noexcept { return group_; }
    [[nodiscard]] const std::optional<condition>& having_clause() const noexcept { return having_; }
    [[nodiscard]] bool is_distinct() const noexcept { return distinct_; }
    [[nodiscard]] const std::vector<order_term>& ordering() const noexcept { return order_; }
    [[nodiscard]] std::optional<std::int64_t> limit_count() const noexcept { return limit_; }
    [[nodiscard]] std::optional<std::int64_t> offset_count() const noexcept { return offset_; }
    [[nodiscard]] const std::vector<std::string>& column_names() const noexcept { return columns_; }

  private:
    const table* table_ = nullptr;
    std::vector<expr> selected_;
    std::optional<condition> where_;
    std::vector<expr> group_;
    std::optional<condition> having_;
    bool distinct_ = false;
    std::vector<order_term> order_;
    std::optional<std::int64_t> limit_;
    std::optional<std::int64_t> offset_;
    std::vector<std::string> columns_;
    std::vector<join_clause> joins_;
};

/// `SELECT expressions...`: `tabella::select({students.c("lastname"), tabella::count()})
/// .select_from(students).group_by(students.c("lastname"))`.
[[nodiscard]] TABELLA_EXPORT select_statement select(std::vector<expr> columns);

/// UPDATE a table SET columns = values [WHERE ...] [RETURNING ...]:
/// `students.update().where(students.c("id") == 1).values({{"name", "Robert"}})`. Without
/// where() every row is updated (as in SQL).
class TABELLA_EXPORT update_statement {
  public:
    explicit update_statement(const table& t) noexcept : table_(&t) {}

    /// Adds a condition; several where() calls are joined with AND.
    update_statement& where(condition c);
    /// The columns to set and their values (bound as parameters); replaces earlier ones.
    /// An unknown column is a usage_error.
    update_statement& values(param_set values);
    /// Sets `column` to an expression of the row's columns: `set("price", t.c("price") * 2)`.
    update_statement& set(std::string column, expr e);
    /// Returns these columns of every updated row (where the database can: not MariaDB,
    /// a usage_error there).
    update_statement& returning(std::vector<std::string> columns);

    [[nodiscard]] const table& target() const noexcept { return *table_; }
    [[nodiscard]] const std::optional<condition>& where_clause() const noexcept { return where_; }
    [[nodiscard]] const param_set& assignments() const noexcept { return values_; }
    [[nodiscard]] const std::vector<std::pair<std::string, expr>>&
    expression_assignments() const noexcept {
        return expressions_;
    }
    [[nodiscard]] const std::vector<std::string>& returned() const noexcept { return returning_; }

  private:
    const table* table_;
    std::optional<condition> where_;
    param_set values_;
    std::vector<std::pair<std::string, expr>> expressions_;
    std::vector<std::string> returning_;
};

/// DELETE FROM a table [WHERE ...] [RETURNING ...]:
/// `students.delete_().where(students.c("lastname").is_null())`. Without where() every row
/// is deleted (as in SQL).
class TABELLA_EXPORT delete_statement {
  public:
    explicit delete_statement(const table& t) noexcept : table_(&t) {}

    /// Adds a condition; several where() calls are joined with AND.
    delete_statement& where(condition c);
    /// Returns these columns of every deleted row.
    delete_statement& returning(std::vector<std::string> columns);

    [[nodiscard]] const table& target() const noexcept { return *table_; }
    [[nodiscard]] const std::optional<condition>& where_clause() const noexcept { return where_; }
    [[nodiscard]] const std::vector<std::string>& returned() const noexcept { return returning_; }

  private:
    const table* table_;
    std::optional<condition> where_;
    std::vector<std::string> returning_;
};

} // namespace tabella
