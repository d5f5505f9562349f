// Multi-VALUES INSERT ... RETURNING (insert().values(rows).returning(...)): each returned
// row goes to the parameter set whose values it holds, never by the order the database
// returns rows in; a chunk whose rows cannot be told apart that way is sent row by row.
#include "execute_util.hpp"
#include "insert_rows.hpp"
#include "tabella/detail/returned_rows.hpp"
#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// The columns of the shape whose returned values equal the sent ones: every column of an
// inserted row; of a row an upsert updated, only its conflict and updated columns.
std::vector<std::size_t> matched_columns(const insert_shape& s,
                                         const std::optional<on_conflict>& conflict) {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < s.names.size(); ++c)
        if (!conflict || conflict->update_columns.empty() ||
            contains(conflict->conflict_columns, s.names[c]) ||
            contains(conflict->update_columns, s.names[c]))
            out.push_back(c);
    return out;
}

class returning_inserter {
  public:
    returning_inserter(connection& conn, const insert_shape& s, const insert_statement& stmt)
        : run_(conn), s_(s), stmt_(stmt), matched_(matched_columns(s, stmt.conflict())),
          columns_(std::make_shared<const std::vector<std::string>>(stmt.returned())),
          rows_(stmt.rows().size()), keys_(stmt.rows().size()) {
        std::vector<std::string> more(stmt.returned().begin() + 1, stmt.returned().end());
        const dialect& d = run_.sql_dialect();
        row_returning_ = d.returning(stmt.returned().front(), more);
        for (const auto c : matched_) more.push_back(s.names[c]);
        returning_ = d.returning(stmt.returned().front(), more);
        const auto pk = s.target->primary_key_index();
        if (!pk) return;
        const std::string& pk_name = s.target->columns()[*pk].name();
        key_columns_ = std::make_shared<const std::vector<std::string>>(1, pk_name);
        const auto& asked = stmt.returned();
        if (const auto it = std::find(asked.begin(), asked.end(), pk_name); it != asked.end())
            key_in_row_ = static_cast<std::size_t>(it - asked.begin());
        else if (const auto at = std::find(s.names.begin(), s.names.end(), pk_name);
                 at != s.names.end() && !stmt.conflict())
            key_sent_ = static_cast<std::size_t>(at - s.names.begin());
    }

    // Sends the rows [first, first + count) whose parameters `flat` holds.
    void send(std::size_t first, std::size_t count, std::span<const param_ref> flat) {
        const std::size_t n = s_.names.size();
        if (key_sent_)
            for (std::size_t i = 0; i < count; ++i)
                keys_[first + i] = row(key_columns_, {value::from_ref(flat[i * n + *key_sent_])});
        if (send_matched(first, count, flat)) return;
        if (run_.echo().enabled())
            run_.echo().line("-- " + s_.target->name() +
                             ": the rows RETURNING gave back cannot be matched to the rows "
                             "sent (changed by the database, or not told apart by the columns "
                             "an upsert returns as sent); one INSERT ... RETURNING per row");
        for (std::size_t i = 0; i < count; ++i) send_one(first + i, flat.subspan(i * n, n));
    }

    [[nodiscard]] statement_runner& runner() noexcept { return run_; }

    [[nodiscard]] result finish() {
        if (key_in_row_)
            for (std::size_t i = 0; i < rows_.size(); ++i)
                if (rows_[i] && !(*rows_[i])[*key_in_row_].is_null())
                    keys_[i] = row(key_columns_, {(*rows_[i])[*key_in_row_]});
        std::vector<row> out;
        for (auto& r : rows_)
            if (r) out.push_back(std::move(*r));
        result res(columns_, std::move(out), changed_);
        if (key_in_row_ || key_sent_) connection_access::set_inserted_keys(res, std::move(keys_));
        return res;
    }

  private:
    // One multi-row statement in a SAVEPOINT; false, having undone it, when its returned
    // rows cannot be matched to the parameter sets.
    bool send_matched(std::size_t first, std::size_t count, std::span<const param_ref> flat) {
        const std::size_t n = s_.names.size(), width = matched_.size();
        keyed_.clear();
        for (std::size_t i = 0; i < count; ++i)
            for (const auto c : matched_) keyed_.push_back(flat[i * n + c]);
        if (width < n && !keyed_rows_tell_apart(flat, n, keyed_, width)) return false;
        const dialect& d = run_.sql_dialect();
        std::string sql = d.insert(s_.target->name(), s_.names, count);
        if (stmt_.conflict()) d.append_on_conflict(sql, *stmt_.conflict(), s_.names);
        sql += returning_;
        auto savepoint = run_.conn().begin(); // rolled back if anything below throws
        row_buffer got;
        const std::int64_t changed = run_.run(run_.prepare(sql), flat, &got);
        const auto sent = match_returned_rows(keyed_, width, got, stmt_.returned().size());
        const bool every_row = got.row_count() == count;
        if (!sent || (!every_row && !skips_rows())) {
            savepoint.rollback();
            return false;
        }
        savepoint.commit();
        changed_ += changed;
        for (std::size_t r = 0; r < sent->size(); ++r) rows_[first + (*sent)[r]] = row_at(got, r);
        return true;
    }

    void send_one(std::size_t index, std::span<const param_ref> params) {
        if (!row_stmt_) {
            const dialect& d = run_.sql_dialect();
            std::string sql = d.insert(s_.target->name(), s_.names, 1);
            if (stmt_.conflict()) d.append_on_conflict(sql, *stmt_.conflict(), s_.names);
            row_stmt_ = &run_.prepare(sql + row_returning_);
        }
        row_buffer got;
        changed_ += run_.run(*row_stmt_, params, &got);
        if (got.row_count() == 1) rows_[index] = row_at(got, 0);
    }

    [[nodiscard]] bool skips_rows() const {
        return stmt_.conflict() && stmt_.conflict()->update_columns.empty();
    }

    [[nodiscard]] row row_at(const row_buffer& got, std::size_t r) const {
        const std::size_t stride = got.columns.size(), width = columns_->size();
        const auto begin = got.cells.begin() + std::ptrdiff_t(r * stride);
        return row(columns_, std::vector<value>(begin, begin + std::ptrdiff_t(width)));
    }

    statement_runner run_;
    const insert_shape& s_;
    const insert_statement& stmt_;
    std::vector<std::size_t> matched_;
    std::shared_ptr<const std::vector<std::string>> columns_;
    std::string returning_;     ///< " RETURNING asked..., matched..."
    std::string row_returning_; ///< " RETURNING asked..."
    prepared_statement* row_stmt_ = nullptr;
    std::vector<param_ref> keyed_;
    std::vector<std::optional<row>> rows_;
    std::vector<row> keys_;
    std::shared_ptr<const std::vector<std::string>> key_columns_;
    std::optional<std::size_t> key_in_row_;
    std::optional<std::size_t> key_sent_;
    std::int64_t changed_ = 0;
};

} // namespace

result insert_multi_values_returning(connection& conn, const insert_shape& s,
                                     const insert_statement& stmt) {
    const auto& rows = stmt.rows();
    const std::size_t n = s.names.size();
    const std::size_t per_stmt = rows_per_statement(n, conn.parameter_limit());
    returning_inserter inserter(conn, s, stmt);
    run_atomically(
        conn,
        [&] {
            for_each_chunk(inserter.runner(), s, rows, per_stmt,
                           [&](std::size_t first, std::size_t count, std::span<param_ref> flat) {
                               inserter.send(first, count, flat);
                           });
        },
        true, true);
    return inserter.finish();
}

} // namespace tabella::detail
