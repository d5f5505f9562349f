// Results: rows with typed access by column name and index, keys of inserted rows.
#pragma once

#include "tabella/export.hpp"

#include "tabella/value.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tabella {

namespace detail {
class connection_access;
} // namespace detail

/// One result row. Columns are reachable by index and by name.
class TABELLA_EXPORT row {
  public:
    row() = default;
    row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<value> values);

    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    /// The value at `index`; throws usage_error when out of range.
    [[nodiscard]] const value& operator[](std::size_t index) const;
    /// The value of column `name`; throws usage_error naming the column when there is none.
    [[nodiscard]] const value& operator[](std::string_view name) const;
    /// Typed access; throws conversion_error when the value does not fit T.
    /// `get<std::string_view>` views the row's text without copying it (valid while the row
    /// lives).
    template <class T>
    [[nodiscard]] T get(std::size_t index) const {
        return (*this)[index].template as<T>();
    }
    template <class T>
    [[nodiscard]] T get(std::string_view name) const {
        return (*this)[name].template as<T>();
    }
    [[nodiscard]] const std::vector<value>& values() const noexcept { return values_; }
    [[nodiscard]] const std::vector<std::string>& columns() const noexcept;

    /// Rows compare by their values only.
    friend bool operator==(const row& a, const row& b) { return a.values_ == b.values_; }

  private:
    std::shared_ptr<const std::vector<std::string>> columns_;
    std::vector<value> values_;
};

/// Prints a row as a tuple: (1, 'Bob', 'Chrismansyah').
TABELLA_EXPORT std::ostream& operator<<(std::ostream& os, const row& r);

/// The outcome of executing a statement: its rows, the count of rows affected, and for
/// INSERTs the primary keys of the inserted rows where they are known.
class TABELLA_EXPORT result {
  public:
    result() = default;
    result(std::shared_ptr<const std::vector<std::string>> columns, std::vector<row> rows,
           std::int64_t rowcount);

    using const_iterator = std::vector<row>::const_iterator;
    [[nodiscard]] const_iterator begin() const noexcept { return rows_.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return rows_.end(); }
    [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
    [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }
    [[nodiscard]] const std::vector<row>& rows() const noexcept { return rows_; }
    [[nodiscard]] const row& operator[](std::size_t i) const { return rows_.at(i); }
    [[nodiscard]] const std::vector<std::string>& columns() const noexcept;

    /// Rows inserted, updated or deleted.
    [[nodiscard]] std::int64_t rowcount() const noexcept { return rowcount_; }
    /// The first column of the first row; throws usage_error when there is no row.
    [[nodiscard]] value scalar() const;
    template <class T>
    [[nodiscard]] T scalar() const {
        return scalar().template as<T>();
    }
    /// The only row; throws usage_error when there are none or several.
    [[nodiscard]] const row& one() const;
    /// The first row, if any.
    [[nodiscard]] std::optional<row> first() const;

    /// Primary key of the row a single-row INSERT inserted, as a row: `{1}`.
    /// Throws usage_error for other statements, or when several rows were inserted.
    [[nodiscard]] const row& inserted_primary_key() const;
    /// Primary keys of every row an executemany INSERT inserted, in parameter-set order
    /// (an empty row for a parameter set an upsert skipped); for a multi-VALUES INSERT
    /// when its returning() names the key (or every row sends it). Throws usage_error when
    /// the keys are unknown (multi-VALUES inserts without returning(): the databases do not
    /// promise which key belongs to which row).
    [[nodiscard]] const std::vector<row>& inserted_primary_key_rows() const;

  private:
    friend class detail::connection_access; // records inserted keys
    void set_inserted_keys(std::vector<row> keys);

    std::shared_ptr<const std::vector<std::string>> columns_;
    std::vector<row> rows_;
    std::int64_t rowcount_ = 0;
    std::optional<std::vector<row>> inserted_keys_;
};

} // namespace tabella
