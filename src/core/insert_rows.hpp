// The pieces of Core's INSERT execution shared by its executors: the columns an insert
// sends, its rows flattened into parameters, and values drawn from sequences.
#pragma once

#include "tabella/detail/statement_runner.hpp"
#include "tabella/metadata.hpp"
#include "tabella/statement.hpp"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace tabella::detail {

/// The columns an insert sends, in the order of the first row, checked against the table.
struct insert_shape {
    const table* target;
    std::vector<std::string> names;
    std::vector<const column*> columns;
    /// The last `drawn` columns are sequence columns (column::sequence) the rows leave out,
    /// on a database with sequences: their values are drawn when the rows are sent.
    std::size_t drawn = 0;
};

/// The shape of rows like `first` into `t`, with the sequence columns they leave out
/// when `sequences` (the database has them).
[[nodiscard]] insert_shape shape_of(const table& t, const param_set& first, bool sequences);

/// Appends the parameters of `row` (the `index`-th) in shape order, a placeholder for
/// each drawn column. Throws usage_error when it names other columns than the shape.
void flatten(const insert_shape& s, const param_set& row, std::size_t index,
             std::vector<param_ref>& out);

/// Writes values drawn from their sequences into the drawn columns of the rows `flat`
/// holds, one round trip per column.
void draw_sequences(statement_runner& run, const insert_shape& s, std::span<param_ref> flat);

/// Hands `send` the rows of `rows` a chunk of at most `per_statement` at a time: the index
/// of its first row, its row count and its parameters flattened in shape order, with the
/// drawn columns' values drawn.
void for_each_chunk(
    statement_runner& run, const insert_shape& s, const std::vector<param_set>& rows,
    std::size_t per_statement,
    const std::function<void(std::size_t, std::size_t, std::span<param_ref>)>& send);

/// Throws usage_error, before anything is sent, when `stmt`'s returning() cannot be
/// honoured on `conn`'s database.
void check_returning(const connection& conn, const insert_statement& stmt);

/// A multi-VALUES INSERT ... RETURNING: one result row per stored parameter set, in
/// parameter-set order, matched by the values each returned row holds (a chunk whose rows
/// cannot be matched is undone and sent row by row).
[[nodiscard]] result insert_multi_values_returning(connection& conn, const insert_shape& s,
                                                   const insert_statement& stmt);

} // namespace tabella::detail
