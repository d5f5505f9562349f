// INSERT execution: one row, executemany (one prepared statement, a key per row) and
// multi-VALUES (chunked to the parameter limit). Sequence columns the rows leave out get
// values drawn from their sequences, where the database has sequences.
#include "engine_state.hpp"
#include "execute_util.hpp"
#include "insert_rows.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"
#include "tabella/metadata.hpp"

#include <algorithm>

namespace tabella {
namespace detail {
namespace {

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::string names_of(const param_set& row) {
    std::vector<std::string> names;
    for (const auto& item : row.items()) names.push_back(item.first);
    return join(names);
}

// Knows where the key of an inserted row comes from: the row itself or RETURNING.
class key_reader {
  public:
    key_reader(const insert_shape& s, const driver_capabilities& caps) {
        const auto pk = s.target->primary_key_index();
        if (!pk) return;
        const auto& pk_name = s.target->columns()[*pk].name();
        const auto pos = std::find(s.names.begin(), s.names.end(), pk_name);
        if (pos != s.names.end()) {
            given_ = static_cast<std::size_t>(pos - s.names.begin());
        } else if (s.target->columns()[*pk].is_autoincrement()) {
            returning_ = caps.returning;
        }
        pk_name_ = pk_name;
        columns_ = std::make_shared<const std::vector<std::string>>(1, pk_name);
    }

    /// Appends RETURNING: the columns asked for, then the key where it must be read back.
    void adapt(std::string& sql, const dialect& d, const std::vector<std::string>& asked) const {
        if (asked.empty()) {
            if (returning_) sql += d.returning(pk_name_);
            return;
        }
        std::vector<std::string> more(asked.begin() + 1, asked.end());
        if (returning_) more.push_back(pk_name_);
        sql += d.returning(asked.front(), more);
    }

    row key(std::span<const param_ref> params, const row_buffer& returned) const {
        if (given_) return row(columns_, {value::from_ref(params[*given_])});
        if (returning_ && !returned.cells.empty()) return row(columns_, {returned.cells.back()});
        return row(); // composite or ungenerated key: unknown
    }

  private:
    std::optional<std::size_t> given_;
    bool returning_ = false;
    std::string pk_name_;
    std::shared_ptr<const std::vector<std::string>> columns_;
};

// The first `width` cells of `returned` (one row at most) as a row of the result.
void take_returned_row(const row_buffer& returned, std::size_t width,
                       const std::shared_ptr<const std::vector<std::string>>& columns,
                       std::vector<row>& out) {
    if (returned.cells.size() < width || width == 0) return;
    out.emplace_back(columns, std::vector<value>(returned.cells.begin(),
                                                 returned.cells.begin() + std::ptrdiff_t(width)));
}

result insert_rows_one_by_one(connection& conn, const insert_shape& s,
                              const std::vector<param_set>& rows,
                              const std::optional<on_conflict>& conflict,
                              const std::vector<std::string>& asked) {
    const dialect& d = conn.dialect();
    statement_runner run(conn);
    const key_reader keys(s, run.capabilities());
    std::string sql = d.insert(s.target->name(), s.names, 1);
    if (conflict) d.append_on_conflict(sql, *conflict, s.names);
    keys.adapt(sql, d, asked);
    const auto columns = std::make_shared<const std::vector<std::string>>(asked);
    std::vector<row> returned_rows;
    std::vector<param_ref> flat;
    flat.reserve(rows.size() * s.names.size());
    for (std::size_t i = 0; i < rows.size(); ++i) flatten(s, rows[i], i, flat);

    std::vector<row> inserted;
    inserted.reserve(rows.size());
    std::int64_t changed = 0;
    run_atomically(
        conn,
        [&] {
            const std::size_t n = s.names.size();
            if (s.drawn) draw_sequences(run, s, flat);
            changed = run.run_many(
                run.prepare(sql), flat, n, [&](std::size_t i, const row_buffer& returned) {
                    inserted.push_back(
                        keys.key(std::span<const param_ref>(flat).subspan(i * n, n), returned));
                    take_returned_row(returned, asked.size(), columns, returned_rows);
                });
        },
        rows.size() > 1, true);
    result out(asked.empty() ? nullptr : columns, std::move(returned_rows), changed);
    connection_access::set_inserted_keys(out, std::move(inserted));
    return out;
}

result insert_multi_values(connection& conn, const insert_shape& s,
                           const std::vector<param_set>& rows,
                           const std::optional<on_conflict>& conflict) {
    const dialect& d = conn.dialect();
    const std::size_t n = s.names.size();
    const std::size_t per_stmt = rows_per_statement(n, conn.parameter_limit());
    std::int64_t changed = 0;
    const bool multi = rows.size() > per_stmt;
    statement_runner run(conn);
    run_atomically(
        conn,
        [&] {
            // At most two shapes: full chunks, and the remainder.
            for_each_chunk(run, s, rows, per_stmt,
                           [&](std::size_t, std::size_t count, std::span<param_ref> flat) {
                               std::string sql = d.insert(s.target->name(), s.names, count);
                               if (conflict) d.append_on_conflict(sql, *conflict, s.names);
                               changed += run.run(run.prepare(sql), flat);
                           });
        },
        multi, true);
    return result({}, {}, changed);
}

} // namespace

insert_shape shape_of(const table& t, const param_set& first, bool sequences) {
    insert_shape s{&t, {}, {}, 0};
    for (const auto& [name, v] : first.items()) {
        s.names.push_back(name);
        s.columns.push_back(&t.get_column(name));
    }
    if (!sequences) return s;
    for (const auto& c : t.columns()) {
        if (c.sequence_name().empty() ||
            std::find(s.names.begin(), s.names.end(), c.name()) != s.names.end())
            continue;
        s.names.push_back(c.name());
        s.columns.push_back(&c);
        ++s.drawn;
    }
    return s;
}

void draw_sequences(statement_runner& run, const insert_shape& s, std::span<param_ref> flat) {
    const std::size_t width = s.names.size();
    const std::size_t rows = flat.size() / width;
    std::vector<std::int64_t> values;
    for (std::size_t c = width - s.drawn; c < width; ++c) {
        values.clear();
        run.reserve_from_sequence(s.columns[c]->sequence_name(), rows, values);
        for (std::size_t r = 0; r < rows; ++r)
            flat[r * width + c] = param_ref::of_integer(values[r]);
    }
}

void for_each_chunk(
    statement_runner& run, const insert_shape& s, const std::vector<param_set>& rows,
    std::size_t per_statement,
    const std::function<void(std::size_t, std::size_t, std::span<param_ref>)>& send) {
    std::vector<param_ref> flat;
    for (std::size_t first = 0; first < rows.size(); first += per_statement) {
        const std::size_t count = std::min(per_statement, rows.size() - first);
        flat.clear();
        for (std::size_t i = first; i < first + count; ++i) flatten(s, rows[i], i, flat);
        if (s.drawn) draw_sequences(run, s, flat);
        send(first, count, flat);
    }
}

void flatten(const insert_shape& s, const param_set& row, std::size_t index,
             std::vector<param_ref>& out) {
    const auto& items = row.items();
    const std::size_t given = s.names.size() - s.drawn;
    bool same = items.size() == given;
    for (std::size_t c = 0; same && c < given; ++c) {
        const auto it = std::find_if(items.begin(), items.end(),
                                     [&](const auto& item) { return item.first == s.names[c]; });
        if (it == items.end()) {
            same = false;
            break;
        }
        check_value(*s.target, *s.columns[c], it->second);
        out.push_back(it->second.ref());
    }
    if (!same)
        throw usage_error("insert into '" + s.target->name() + "': row " + std::to_string(index) +
                          " names columns (" + names_of(row) + ") but row 0 names (" +
                          join({s.names.begin(), s.names.end() - std::ptrdiff_t(s.drawn)}) +
                          "); every row must name the same columns");
    out.insert(out.end(), s.drawn, param_ref::of_integer(0)); // see draw_sequences
}

void check_returning(const connection& conn, const insert_statement& stmt) {
    if (stmt.returned().empty()) return;
    const auto& name = stmt.target().name();
    if (!connection_access::driver(conn).capabilities().returning)
        throw usage_error("insert into '" + name + "': " + std::string(conn.dialect().name()) +
                          " cannot return rows from an INSERT");
    if (stmt.conflict() && stmt.conflict()->update_columns.empty() &&
        conn.dialect().returns_skipped_rows())
        throw usage_error("insert into '" + name + "': " + std::string(conn.dialect().name()) +
                          " returns the stored row of a row on_conflict_do_nothing skips, so "
                          "returning() cannot tell inserted rows from skipped ones there; use "
                          "on_conflict_do_update (every row comes back, inserted or updated)");
}

} // namespace detail

result connection::execute(const insert_statement& stmt) {
    const auto& rows = stmt.rows();
    static const param_set no_values;
    const param_set& first = rows.empty() ? no_values : rows.front();
    const auto shape = detail::shape_of(stmt.target(), first, driver_->capabilities().sequences);
    if (stmt.conflict() && shape.names.empty())
        throw usage_error("insert into '" + stmt.target().name() +
                          "': an upsert needs the columns of its rows");
    detail::check_returning(*this, stmt);
    if (stmt.is_multi_values() && !stmt.returned().empty())
        return detail::insert_multi_values_returning(*this, shape, stmt);
    if (stmt.is_multi_values())
        return detail::insert_multi_values(*this, shape, rows, stmt.conflict());
    return detail::insert_rows_one_by_one(*this, shape, rows.empty() ? std::vector{first} : rows,
                                          stmt.conflict(), stmt.returned());
}

result connection::execute(const insert_statement& stmt, const std::vector<param_set>& rows) {
    if (rows.empty()) throw usage_error("executemany into '" + stmt.target().name() + "': no rows");
    if (!stmt.rows().empty())
        throw usage_error("executemany into '" + stmt.target().name() +
                          "': give the rows either in values() or as parameter sets, not both");
    detail::check_returning(*this, stmt);
    return detail::insert_rows_one_by_one(
        *this, detail::shape_of(stmt.target(), rows.front(), driver_->capabilities().sequences),
        rows, stmt.conflict(), stmt.returned());
}

namespace detail {

result to_result(row_buffer&& rows, std::int64_t changed) {
    auto columns = std::make_shared<const std::vector<std::string>>(std::move(rows.columns));
    std::vector<row> out;
    const std::size_t width = columns->size();
    if (width) {
        out.reserve(rows.cells.size() / width);
        for (std::size_t i = 0; i + width <= rows.cells.size(); i += width)
            out.emplace_back(columns, std::vector<value>(
                                          std::make_move_iterator(rows.cells.begin() + i),
                                          std::make_move_iterator(rows.cells.begin() + i + width)));
    }
    return result(columns, std::move(out), changed);
}

} // namespace detail
} // namespace tabella
