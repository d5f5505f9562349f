// Inserting pending objects, level by level of the plan: objects with a key set first,
// then objects whose key the database generates: keys reserved a block at a time where
// the driver proves that safe (or drawn from the table's named sequence, key_sequence,
// where the database has sequences), else read back with a multi-row INSERT ... RETURNING.
// Objects that leave a defaulted column empty are sent without it, with RETURNING, and
// get the database's value back. `echo` says which way each table's rows went.
#include "flush_writers.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <map>

namespace tabella::detail {
namespace {

/// How many rows of a table went which way, for echo.
struct insert_tally {
    std::size_t keyed = 0, copied = 0, reserved = 0, returned = 0, single = 0;
    std::string sequence; ///< the named sequence the reserved keys came from, if any
};

/// Multi-row INSERT ... RETURNING per row shape, with a fallback to one INSERT per row
/// for chunks whose returned rows match no sent row.
class returning_inserter {
  public:
    returning_inserter(statement_runner& run, table_runtime& t, const insert_plan& how,
                       const session_options& opts, insert_tally& tally, std::size_t total)
        : run_(run), t_(t), how_(how), opts_(opts), tally_(tally), total_(total) {}

    void insert(std::span<const std::uint32_t> entries, const row_shape& shape) {
        if (!how_.returning_rows) return one_by_one(entries, shape);
        auto& writer = batched_[shape.sent];
        if (!writer) writer = std::make_unique<returning_writer>(run_, t_, opts_.page_size, shape);
        const std::size_t per = writer->rows_per_chunk();
        for (std::size_t i = 0; i < entries.size(); i += per) {
            const auto part = entries.subspan(i, std::min(per, entries.size() - i));
            if (writer->write(part, total_)) {
                tally_.returned += part.size();
            } else {
                if (run_.echo().enabled())
                    run_.echo().line("-- " + t_.map->table.name() +
                                     ": the rows RETURNING gave back differ from the rows sent "
                                     "(a trigger or a converting column type); one INSERT ... "
                                     "RETURNING per row");
                one_by_one(part, shape);
            }
        }
    }

  private:
    void one_by_one(std::span<const std::uint32_t> entries, const row_shape& shape) {
        auto& writer = single_[shape.sent];
        if (!writer) writer = std::make_unique<row_by_row_writer>(run_, t_, shape);
        for (const auto e : entries) writer->write(e, total_);
        tally_.single += entries.size();
    }

    statement_runner& run_;
    table_runtime& t_;
    const insert_plan& how_;
    const session_options& opts_;
    insert_tally& tally_;
    std::size_t total_;
    std::map<std::uint64_t, std::unique_ptr<returning_writer>> batched_; // by columns sent
    std::map<std::uint64_t, std::unique_ptr<row_by_row_writer>> single_;
};

/// Objects whose key the database generates: keys reserved and written into the objects
/// before their rows are sent; read back with RETURNING where reserving is not safe. A
/// table with a named key sequence, on a database with sequences, always draws its keys
/// from it: its key column has no default to fall back on.
class generated_key_inserter {
  public:
    generated_key_inserter(statement_runner& run, table_runtime& t, const insert_plan& how,
                           const session_options& opts, keyed_writer& writer,
                           returning_inserter& returning, insert_tally& tally, std::size_t total)
        : run_(run), t_(t), how_(how), opts_(opts), writer_(writer), returning_(returning),
          tally_(tally), total_(total),
          sequence_(!t.map->key_sequence.empty() && run.capabilities().sequences),
          reserve_(how.reserve || sequence_) {
        const entity_mapping& m = *t.map;
        if (!m.key_generated)
            throw usage_error("flush of " + m.table.name() + ": a " + m.struct_name +
                              " has no primary key value, and its key type is not generated");
        if (sequence_) tally_.sequence = m.key_sequence;
    }

    /// Inserts `entries`, which leave the defaulted columns `omitted` empty.
    void insert(std::span<const std::uint32_t> entries, std::uint64_t omitted) {
        const entity_mapping& m = *t_.map;
        const std::size_t per = writer_.rows_per_chunk();
        for (std::size_t i = 0; i < entries.size(); i += per) {
            const auto chunk = entries.subspan(i, std::min(per, entries.size() - i));
            if (reserve_ && next_key_ + chunk.size() > keys_.size())
                reserve_block(entries.size() - i);
            if (!reserve_) return insert_returning(entries.subspan(i), omitted);
            for (const auto e : chunk) {
                m.set_key(t_.objects[e], keys_[next_key_++]);
                t_.marks[e] |= mark_key_assigned;
            }
            if (omitted) {
                returning_.insert(chunk, row_shape::of(m, false, omitted));
            } else {
                writer_.write(chunk, total_);
                (how_.copy ? tally_.copied : tally_.reserved) += chunk.size();
            }
        }
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
        if (sequence_) return run_.reserve_from_sequence(m.key_sequence, count, keys_);
        reserve_ = run_.reserve_keys(m.table.name(), m.table.columns()[m.key_index].name(), count,
                                     t_.identity.max_key().value_or(0), keys_);
        if (reserve_ && keys_.size() != count)
            throw error("flush of " + m.table.name() + ": the driver reserved " +
                        std::to_string(keys_.size()) + " keys for " + std::to_string(count) +
                        " rows");
        if (!reserve_ && run_.echo().enabled())
            run_.echo().line("-- " + m.table.name() +
                             ": keys cannot be reserved (trigger, rule, or a key the "
                             "database does not generate from its own sequence)");
    }

    void insert_returning(std::span<const std::uint32_t> entries, std::uint64_t omitted) {
        if (opts_.strategy == insert_strategy::reserve_keys ||
            opts_.strategy == insert_strategy::copy)
            throw usage_error("flush of " + t_.map->table.name() +
                              ": keys cannot be reserved for this table (it has triggers or "
                              "rules, or its key is not a plain generated integer)");
        returning_.insert(entries, row_shape::of(*t_.map, true, omitted));
    }

    statement_runner& run_;
    table_runtime& t_;
    const insert_plan& how_;
    const session_options& opts_;
    keyed_writer& writer_;
    returning_inserter& returning_;
    insert_tally& tally_;
    std::size_t total_;
    bool sequence_; ///< keys come from the table's named sequence
    bool reserve_;
    std::vector<std::int64_t> keys_;
    std::size_t next_key_ = 0;
};

/// Calls `fn(entries, omitted)` for `plan.inserts[first, last)` grouped by the defaulted
/// columns they leave empty, order kept inside a group: one group, with nothing copied,
/// for a table whose objects leave none empty.
template <class Fn>
void for_each_group(const table_plan& plan, std::size_t first, std::size_t last, Fn fn) {
    const std::span<const std::uint32_t> all(plan.inserts);
    if (plan.omitted.empty()) {
        if (first < last) fn(all.subspan(first, last - first), std::uint64_t{0});
        return;
    }
    std::map<std::uint64_t, std::vector<std::uint32_t>> groups;
    for (std::size_t i = first; i < last; ++i) groups[plan.omitted[i]].push_back(plan.inserts[i]);
    for (const auto& [omitted, entries] : groups) fn(std::span(entries), omitted);
}

void echo_tally(statement_runner& run, const table_runtime& t, const insert_tally& n) {
    if (!run.echo().enabled()) return;
    std::string line = "-- " + t.map->table.name() + ": inserted";
    auto part = [&](std::size_t count, std::string_view how) {
        if (count) line.append(" ").append(std::to_string(count)).append(" ").append(how) += ',';
    };
    part(n.keyed, "with their keys by multi-row INSERT");
    const std::string reserved = n.sequence.empty()
                                     ? "with reserved keys"
                                     : "with keys reserved from sequence " + n.sequence;
    part(n.reserved, reserved + " by multi-row INSERT");
    part(n.copied, reserved + " by COPY");
    part(n.returned, "by multi-row INSERT ... RETURNING");
    part(n.single, "by one INSERT ... RETURNING per row");
    line.pop_back();
    run.echo().line(line);
}

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
    const std::size_t total = plan.inserts.size();
    insert_tally tally;
    returning_inserter returning(run, t, how, opts, tally, total);
    std::optional<generated_key_inserter> generated;
    std::size_t begin = 0;
    for (const auto& [end, first_generated] : plan.levels) {
        for_each_group(plan, begin, first_generated, [&](auto entries, std::uint64_t omitted) {
            if (omitted) // keys set, defaults to read back
                return returning.insert(entries, row_shape::of(*t.map, false, omitted));
            for (std::size_t i = 0; i < entries.size(); i += per_chunk)
                writer->write(entries.subspan(i, std::min(per_chunk, entries.size() - i)), total);
            (how.copy ? tally.copied : tally.keyed) += entries.size();
        });
        if (generated) generated->next_level();
        for_each_group(plan, first_generated, end, [&](auto entries, std::uint64_t omitted) {
            if (!generated) generated.emplace(run, t, how, opts, *writer, returning, tally, total);
            generated->insert(entries, omitted);
        });
        begin = end;
    }
    echo_tally(run, t, tally);
}

} // namespace tabella::detail
