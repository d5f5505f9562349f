// Inserting pending objects, level by level of the plan: objects with a key set first,
// then objects whose key the database generates: keys reserved a block at a time where
// the driver proves that safe, else read back with RETURNING (in VALUES order where the
// driver promises it, else row by row).
#include "flush_writers.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

/// Objects whose key the database generates: keys reserved and written into the objects
/// before their rows are sent; read back with RETURNING where reserving is not safe.
class generated_key_inserter {
  public:
    generated_key_inserter(statement_runner& run, table_runtime& t, const insert_plan& how,
                           const session_options& opts, keyed_writer& writer, std::size_t total)
        : run_(run), t_(t), how_(how), opts_(opts), writer_(writer), total_(total),
          reserve_(how.reserve) {
        const entity_mapping& m = *t.map;
        if (!m.key_generated)
            throw usage_error("flush of " + m.table.name() + ": a " + m.struct_name +
                              " has no primary key value, and its key type is not generated");
    }

    /// Inserts `chunk`; `remaining` counts it and the generated-key objects after it in
    /// the same level.
    void insert(std::span<const std::uint32_t> chunk, std::size_t remaining) {
        const entity_mapping& m = *t_.map;
        if (reserve_ && next_key_ + chunk.size() > keys_.size())
            reserve_block(std::max(chunk.size(), remaining));
        if (!reserve_) return insert_returning(chunk);
        for (const auto e : chunk) {
            m.set_key(t_.objects[e], keys_[next_key_++]);
            t_.marks[e] |= mark_key_assigned;
        }
        writer_.write(chunk, total_);
    }

    /// A new level starts: its rows may refer to keys the last one used, and objects of
    /// it with keys set were just inserted, so reserve anew.
    void next_level() noexcept {
        keys_.clear();
        next_key_ = 0;
    }

  private:
    // Keys are reserved in blocks of up to 65,536: one round trip for many statements,
    // at most 512 KiB of keys held at a time.
    void reserve_block(std::size_t wanted) {
        const entity_mapping& m = *t_.map;
        const std::size_t count = std::min<std::size_t>(wanted, 65536);
        keys_.clear();
        next_key_ = 0;
        reserve_ = run_.reserve_keys(m.table.name(), m.table.columns()[m.key_index].name(), count,
                                     t_.identity.max_key().value_or(0), keys_);
        if (reserve_ && keys_.size() != count)
            throw error("flush of " + m.table.name() + ": the driver reserved " +
                        std::to_string(keys_.size()) + " keys for " + std::to_string(count) +
                        " rows");
        if (!reserve_ && run_.echo().enabled())
            run_.echo().line("-- " + m.table.name() +
                             ": keys cannot be reserved (trigger, rule, or a key the "
                             "database does not generate from its own sequence); " +
                             (how_.returning_rows ? "INSERT ... RETURNING"
                                                  : "one INSERT ... RETURNING per row"));
    }

    void insert_returning(std::span<const std::uint32_t> chunk) {
        if (opts_.strategy == insert_strategy::reserve_keys ||
            opts_.strategy == insert_strategy::copy)
            throw usage_error("flush of " + t_.map->table.name() +
                              ": keys cannot be reserved for this table (it has triggers or "
                              "rules, or its key is not a plain generated integer)");
        if (how_.returning_rows) {
            if (!rows_) rows_ = std::make_unique<returning_writer>(run_, t_, opts_.page_size);
            const std::size_t per = rows_->rows_per_chunk();
            for (std::size_t i = 0; i < chunk.size(); i += per) {
                const auto part = chunk.subspan(i, std::min(per, chunk.size() - i));
                if (!rows_->write(part, total_)) insert_one_by_one(part);
            }
            return;
        }
        insert_one_by_one(chunk);
    }

    // One INSERT ... RETURNING per object: where keys cannot be reserved and RETURNING's
    // order is not promised, or where the rows a multi-row RETURNING gave back did not
    // match the rows sent (values changed by a trigger or a converting column type).
    void insert_one_by_one(std::span<const std::uint32_t> chunk) {
        if (how_.returning_rows && run_.echo().enabled())
            run_.echo().line("-- " + t_.map->table.name() +
                             ": the rows RETURNING gave back differ from the rows sent; "
                             "one INSERT ... RETURNING per row");
        if (!single_) single_ = std::make_unique<row_by_row_writer>(run_, t_);
        for (const auto e : chunk) single_->write(e, total_);
    }

    statement_runner& run_;
    table_runtime& t_;
    const insert_plan& how_;
    const session_options& opts_;
    keyed_writer& writer_;
    std::size_t total_;
    bool reserve_;
    std::vector<std::int64_t> keys_;
    std::size_t next_key_ = 0;
    std::unique_ptr<returning_writer> rows_;
    std::unique_ptr<row_by_row_writer> single_;
};

} // namespace

void insert_pending(statement_runner& run, const table_plan& plan, const insert_plan& how,
                    const session_options& opts) {
    table_runtime& t = *plan.t;
    // A new row starts at version 1, as SQLAlchemy's version counter does (undo_flush puts
    // the old value back if the flush fails).
    if (t.map->versioned())
        for (const auto e : plan.inserts) t.map->set_version(t.objects[e], 1);
    std::unique_ptr<keyed_writer> writer;
    if (how.copy)
        writer = std::make_unique<copy_writer>(run, t, opts.page_size);
    else
        writer = std::make_unique<chunk_writer>(run, t, opts.page_size);
    const std::size_t per_chunk = writer->rows_per_chunk();
    // Objects whose keys come back with RETURNING go out in that writer's chunks.
    const std::size_t per_generated_chunk =
        how.reserve || !how.returning_rows
            ? per_chunk
            : returning_writer::rows_per_statement_for(run, t, opts.page_size);
    const std::span<const std::uint32_t> all(plan.inserts);
    const std::size_t total = all.size();

    std::optional<generated_key_inserter> generated;
    std::size_t begin = 0;
    for (const auto& [end, first_generated] : plan.levels) {
        for (std::size_t i = begin; i < first_generated; i += per_chunk) // keys set
            writer->write(all.subspan(i, std::min(per_chunk, first_generated - i)), total);
        if (generated) generated->next_level();
        for (std::size_t i = first_generated; i < end; i += per_generated_chunk) {
            if (!generated) generated.emplace(run, t, how, opts, *writer, total);
            generated->insert(all.subspan(i, std::min(per_generated_chunk, end - i)), end - i);
        }
        begin = end;
    }
}

} // namespace tabella::detail
