// Core statements: INSERT (one row, executemany, multi-VALUES) and SELECT.
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

/// INSERT INTO a table. `values(row)` gives one row; `values(rows)` gives many rows
/// rendered as multi-VALUES statements (split at the connection's parameter limit).
class TABELLA_EXPORT insert_statement {
  public:
    explicit insert_statement(const table& t) noexcept : table_(&t) {}

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
};

/// SELECT columns FROM a table [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET m].
class TABELLA_EXPORT select_statement {
  public:
    explicit select_statement(const table& t) noexcept : table_(&t) {}

    /// Adds a condition; several where() calls are joined with AND.
    select_statement& where(condition c);
    select_statement& order_by(order_term term);
    select_statement& limit(std::int64_t n);
    select_statement& offset(std::int64_t n);
    /// Selects only these columns (default: all columns of the table).
    select_statement& columns(std::vector<std::string> names);

    [[nodiscard]] const table& target() const noexcept { return *table_; }
    [[nodiscard]] const std::optional<condition>& where_clause() const noexcept { return where_; }
    [[nodiscard]] const std::vector<order_term>& ordering() const noexcept { return order_; }
    [[nodiscard]] std::optional<std::int64_t> limit_count() const noexcept { return limit_; }
    [[nodiscard]] std::optional<std::int64_t> offset_count() const noexcept { return offset_; }
    [[nodiscard]] const std::vector<std::string>& column_names() const noexcept { return columns_; }

  private:
    const table* table_;
    std::optional<condition> where_;
    std::vector<order_term> order_;
    std::optional<std::int64_t> limit_;
    std::optional<std::int64_t> offset_;
    std::vector<std::string> columns_;
};

} // namespace tabella
