// UPDATEs of changed columns (one prepared statement per set of columns) and batched
// DELETEs, each addressing the row an object was loaded from by that row's key.
#include "flush.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <map>

namespace tabella::detail {
namespace {

std::vector<std::string_view> key_column_names(const entity_mapping& m) {
    std::vector<std::string_view> out;
    for (const auto c : m.key_columns) out.push_back(m.table.columns()[c].name());
    return out;
}

class update_writer {
  public:
    update_writer(statement_runner& run, table_runtime& t) : run_(run), t_(t) {}

    /// UPDATE the row keyed `row_key` with the `columns` of `obj`. A versioned table's
    /// row must still hold version `expected` (optimistic locking), which becomes
    /// expected + 1 in the row and in `obj`.
    void write(void* obj, std::uint64_t columns, key_view row_key, std::int64_t expected) {
        const entity_mapping& m = *t_.map;
        if (m.versioned()) {
            m.set_version(obj, expected + 1);
            columns |= std::uint64_t{1} << m.version_index;
        }
        auto& stmt = statements_[columns];
        if (!stmt) stmt = &prepare(columns);
        param_ref refs[64];
        m.bind_row(obj, refs);
        params_.clear();
        for (std::size_t c = 0; c < m.column_count(); ++c)
            if (columns & (std::uint64_t{1} << c)) params_.push_back(refs[c]);
        param_ref key[64];
        bind_key(m, row_key, key);
        params_.insert(params_.end(), key, key + m.key_columns.size());
        if (m.versioned()) params_.push_back(param_ref::of_integer(expected));
        try {
            execute_checked(run_, *stmt, params_, 1, m, row_check::update_or_delete);
        } catch (const sql_error&) {
            rethrow_with_context(m, "updating", " (key " + describe_key(m, row_key) + ")");
        }
    }

  private:
    prepared_statement& prepare(std::uint64_t columns) {
        const entity_mapping& m = *t_.map;
        std::vector<std::string_view> set;
        for (std::size_t c = 0; c < m.column_count(); ++c)
            if (columns & (std::uint64_t{1} << c)) set.push_back(m.table.columns()[c].name());
        const auto keys = key_column_names(m);
        const std::string_view version =
            m.versioned() ? std::string_view(m.table.columns()[m.version_index].name()) : "";
        return run_.prepare(run_.sql_dialect().update_by_key(m.table.name(), set, keys, version));
    }

    statement_runner& run_;
    table_runtime& t_;
    std::vector<param_ref> params_;
    std::map<std::uint64_t, prepared_statement*> statements_; // by the columns set
};

} // namespace

void send_updates(statement_runner& run, const table_plan& plan) {
    if (plan.updates.empty() && plan.switches.empty()) return;
    table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    update_writer writer(run, t);
    // A row switch keeps the removed object's row and gives it every value of the new one.
    const std::uint64_t all_but_key =
        (m.column_count() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << m.column_count()) - 1) &
        ~m.key_mask;
    const auto version_of = [&](std::uint32_t e) {
        return m.versioned() ? m.get_version(t.objects[e]) : 0;
    };
    for (const auto& sw : plan.switches)
        writer.write(t.objects[sw.added], all_but_key, t.keys[sw.removed], version_of(sw.removed));
    for (const auto& u : plan.updates)
        writer.write(t.objects[u.entry], u.columns, t.keys[u.entry], version_of(u.entry));
}

// A versioned table's rows are deleted only where they still hold the version the
// session knows (optimistic locking): (key = ? AND version = ?) OR ...
void send_deletes(statement_runner& run, const table_plan& plan) {
    if (plan.deletes.empty()) return;
    const table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    const bool versioned = m.versioned();
    const std::size_t keys = m.key_columns.size();
    const std::size_t width = keys + (versioned ? 1 : 0);
    const std::size_t per_statement =
        rows_per_statement(width, run.parameter_limit(), width == 1 ? 1000 : 500);
    std::vector<param_ref> params;
    const auto key_columns = key_column_names(m);
    const std::string_view version =
        versioned ? std::string_view(m.table.columns()[m.version_index].name()) : "";
    auto send = [&] {
        const std::size_t rows = params.size() / width;
        const dialect& d = run.sql_dialect();
        auto& stmt = run.prepare(d.delete_by_keys(m.table.name(), key_columns, version, rows));
        try {
            execute_checked(run, stmt, params, static_cast<std::int64_t>(rows), m,
                            row_check::update_or_delete);
        } catch (const sql_error&) {
            rethrow_with_context(m, "deleting from", "");
        }
        params.clear();
    };
    // Where foreign keys are checked row by row, a statement ends with each level: the
    // server may delete a statement's rows in any order (InnoDB: by key). So does a table
    // whose rows cascade to rows of the same table: a database that cascades row by row
    // (SQLite) would delete a row of the statement before reaching it, and the count of
    // rows the statement deleted would fall short.
    const bool cascades_to_itself =
        std::any_of(m.relationships.begin(), m.relationships.end(), [&](const relationship& r) {
            return &r.parent() == &m && r.on_delete == on_delete::cascade;
        });
    const bool split = run.capabilities().checks_foreign_keys_per_row || cascades_to_itself;
    auto level_end = plan.delete_levels.begin();
    for (std::size_t i = 0; i < plan.deletes.size(); ++i) {
        const auto e = plan.deletes[i];
        params.resize(params.size() + keys);
        bind_key(m, t.keys[e], &params[params.size() - keys]);
        if (versioned) params.push_back(param_ref::of_integer(m.get_version(t.objects[e])));
        const bool ends_level = level_end != plan.delete_levels.end() && *level_end == i + 1;
        if (ends_level) ++level_end;
        if (params.size() == per_statement * width || (split && ends_level)) send();
    }
    if (!params.empty()) send();
}

} // namespace tabella::detail

namespace tabella::detail {
namespace {

std::uint64_t columns_of(const relationship& r) {
    std::uint64_t mask = 0;
    for (std::size_t k = 0; k < r.width; ++k) mask |= std::uint64_t{1} << (r.column + k);
    return mask;
}

} // namespace

void send_post_updates(statement_runner& run, const table_plan& plan) {
    if (plan.post_updates.empty()) return;
    table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    update_writer writer(run, t);
    for (const auto& u : plan.post_updates) {
        void* obj = t.objects[u.entry];
        u.r->restore(obj, u.saved.get()); // its parent has a row (and a key) now
        const owned_key row(*t.current_key(obj));
        writer.write(obj, columns_of(*u.r), row.view(), m.versioned() ? m.get_version(obj) : 0);
    }
}

void send_pre_delete_nulls(statement_runner& run, const table_plan& plan) {
    if (plan.pre_delete_nulls.empty()) return;
    table_runtime& t = *plan.t;
    const entity_mapping& m = *t.map;
    update_writer writer(run, t);
    for (const auto& u : plan.pre_delete_nulls) {
        void* obj = t.objects[u.entry];
        writer.write(obj, columns_of(*u.r), t.keys[u.entry],
                     m.versioned() ? m.get_version(obj) : 0);
    }
}

} // namespace tabella::detail
