// Inserting pending objects: preset keys first, then generated keys by the session's
// strategy. Statements are multi-row, chunked to the parameter limit, and prepared at
// most twice per shape (full chunk and remainder). Only one chunk of parameters is held.
#include "flush.hpp"

#include "tabella/dialect.hpp"
#include "tabella/error.hpp"

#include <algorithm>
#include <map>

namespace tabella::detail {
namespace {

std::vector<std::string> column_names(const entity_mapping& m, bool with_key) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < m.column_count(); ++c)
        if (with_key || c != m.key_index) out.push_back(m.table.columns()[c].name());
    return out;
}

std::string object_position(std::size_t index, std::size_t total) {
    return " at object " + std::to_string(index + 1) + " of " + std::to_string(total) + " pending";
}

/// Sends chunks of complete rows, keys included.
class keyed_writer {
  public:
    keyed_writer(connection& conn, table_runtime& t)
        : conn_(conn), t_(t), columns_(column_names(*t.map, true)) {}
    virtual ~keyed_writer() = default;
    [[nodiscard]] virtual std::size_t rows_per_chunk() const noexcept = 0;
    /// Inserts the objects of `entries`; `first_pending` and `total` place them among the
    /// table's pending objects, for error messages.
    virtual void write(std::span<const std::uint32_t> entries, std::size_t first_pending,
                       std::size_t total) = 0;

  protected:
    /// Binds every column of every object of `entries` into params_, row after row.
    void bind_rows(std::span<const std::uint32_t> entries) {
        const std::size_t width = columns_.size();
        params_.resize(entries.size() * width);
        for (std::size_t r = 0; r < entries.size(); ++r)
            t_.map->bind_row(t_.objects[entries[r]], &params_[r * width]);
    }

    connection& conn_;
    table_runtime& t_;
    std::vector<std::string> columns_;
    std::vector<param_ref> params_; ///< one chunk at a time
};

/// Sends rows with every column, keys included, as multi-row INSERTs.
class chunk_writer final : public keyed_writer {
  public:
    chunk_writer(connection& conn, table_runtime& t, std::size_t page_size)
        : keyed_writer(conn, t),
          per_statement_(rows_per_statement(
              columns_.size(), conn.parameter_limit(),
              page_size ? page_size : conn.dialect().preferred_rows_per_statement())) {
        params_.reserve(per_statement_ * columns_.size());
    }

    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_statement_; }

    void write(std::span<const std::uint32_t> entries, std::size_t first_pending,
               std::size_t total) override {
        bind_rows(entries);
        // Full chunks share one statement; each group adds at most one remainder shape.
        auto& stmt = statements_[entries.size()];
        if (!stmt)
            stmt = conn_.driver().prepare(
                conn_.dialect().insert(t_.map->table.name(), columns_, entries.size()));
        try {
            execute_checked(conn_, *stmt, params_, static_cast<std::int64_t>(entries.size()),
                            *t_.map);
        } catch (const sql_error&) {
            const auto failed = locate_failure(entries);
            rethrow_with_context(*t_.map, "inserting into",
                                 failed ? object_position(entries[*failed] - first_pending, total)
                                        : "");
        }
    }

  private:
    // SQLite keeps the transaction usable after a failed statement: replay the chunk row by
    // row to find the object the database rejects (the flush is rolled back anyway).
    std::optional<std::size_t> locate_failure(std::span<const std::uint32_t> entries) {
        if (conn_.dialect().name() != "sqlite" || entries.size() < 2) return std::nullopt;
        try {
            auto single =
                conn_.driver().prepare(conn_.dialect().insert(t_.map->table.name(), columns_, 1));
            const std::size_t width = columns_.size();
            for (std::size_t r = 0; r < entries.size(); ++r) {
                try {
                    (void)single->execute(std::span(params_).subspan(r * width, width), nullptr);
                } catch (const sql_error&) {
                    return r;
                }
            }
        } catch (const error&) {
        }
        return std::nullopt;
    }

    std::size_t per_statement_;
    std::map<std::size_t, std::unique_ptr<prepared_statement>> statements_; // by row count
};

/// Sends rows with every column, keys included, with COPY FROM STDIN (PostgreSQL).
class copy_writer final : public keyed_writer {
  public:
    copy_writer(connection& conn, table_runtime& t, std::size_t page_size)
        : keyed_writer(conn, t), per_chunk_(page_size ? page_size : 10000) {}

    [[nodiscard]] std::size_t rows_per_chunk() const noexcept override { return per_chunk_; }

    void write(std::span<const std::uint32_t> entries, std::size_t, std::size_t) override {
        bind_rows(entries);
        const auto& table = t_.map->table.name();
        if (conn_.echo().enabled()) { // no text built when echo is off
            std::string line = "COPY ";
            line += conn_.dialect().quote_identifier(table);
            line += " FROM STDIN";
            conn_.echo().line(line);
            line = '[';
            line += std::to_string(entries.size());
            line += " rows]";
            conn_.echo().line(line);
        }
        std::optional<std::int64_t> written;
        try {
            written = conn_.driver().copy_rows(table, columns_, params_);
        } catch (const sql_error&) {
            rethrow_with_context(*t_.map, "copying into", "");
        }
        if (!written)
            throw usage_error("insert_strategy::copy: the " + std::string(conn_.dialect().name()) +
                              " driver has no COPY");
        if (*written != static_cast<std::int64_t>(entries.size()))
            throw error("flush of " + table + ": COPY wrote " + std::to_string(*written) +
                        " rows of " + std::to_string(entries.size()));
    }

  private:
    std::size_t per_chunk_;
};

/// One prepared single-row INSERT without the key column, reused for every object; the
/// key comes back by RETURNING or the driver's last generated id.
class row_by_row_writer {
  public:
    row_by_row_writer(connection& conn, table_runtime& t) : conn_(conn), t_(t) {
        const auto& m = *t.map;
        std::string sql = conn.dialect().insert(m.table.name(), column_names(m, false), 1);
        returning_ = conn.driver().returns_keys_with_returning();
        if (returning_)
            sql += " RETURNING " +
                   conn.dialect().quote_identifier(m.table.columns()[m.key_index].name());
        stmt_ = conn.driver().prepare(std::move(sql));
    }

    void write(std::uint32_t entry, std::size_t first_pending, std::size_t total) {
        const auto& m = *t_.map;
        param_ref all[64];
        m.bind_row(t_.objects[entry], all);
        std::copy(all + m.key_index + 1, all + m.column_count(), all + m.key_index);
        const std::span<const param_ref> params(all, m.column_count() - 1);
        row_buffer returned;
        try {
            execute_checked(conn_, *stmt_, params, 1, m, &returned);
        } catch (const sql_error&) {
            rethrow_with_context(m, "inserting into",
                                 object_position(entry - first_pending, total));
        }
        const std::int64_t key =
            returning_ ? returned.cells.at(0).as<std::int64_t>() : conn_.driver().last_insert_id();
        m.set_key(t_.objects[entry], key);
        t_.flags[entry] |= entry_key_assigned;
    }

  private:
    connection& conn_;
    table_runtime& t_;
    bool returning_ = false;
    std::unique_ptr<prepared_statement> stmt_;
};

/// Walks the pending objects of a table in insertion order, one group at a time.
class pending_walker {
  public:
    explicit pending_walker(table_runtime& t) : t_(t) {}
    /// Fills `out` with up to `max` more pending entries whose key is set (or unset).
    bool next(bool key_set, std::size_t max, std::vector<std::uint32_t>& out) {
        out.clear();
        auto& pos = key_set ? preset_pos_ : generated_pos_;
        for (; pos < t_.objects.size() && out.size() < max; ++pos) {
            if (!(t_.flags[pos] & entry_pending)) continue;
            if (t_.map->get_key(t_.objects[pos]).has_value() == key_set)
                out.push_back(static_cast<std::uint32_t>(pos));
        }
        return !out.empty();
    }

  private:
    table_runtime& t_;
    std::size_t preset_pos_ = 0, generated_pos_ = 0;
};

/// Objects whose key the database generates: keys reserved a chunk at a time and written
/// into the objects before their rows are sent; row by row where reserving is not safe.
class generated_key_inserter {
  public:
    generated_key_inserter(connection& conn, table_runtime& t, const session_options& opts,
                           keyed_writer& writer, std::size_t first_pending, std::size_t total)
        : conn_(conn), t_(t), strategy_(opts.strategy), writer_(writer),
          first_pending_(first_pending), total_(total),
          reserve_(opts.strategy != insert_strategy::row_by_row) {
        const entity_mapping& m = *t.map;
        if (!m.key_generated)
            throw usage_error("flush of " + m.table.name() + ": a " + m.struct_name +
                              " has no primary key value, and its key type is not generated");
    }

    /// Inserts `chunk`; `remaining` counts it and the generated-key objects after it.
    void insert(std::span<const std::uint32_t> chunk, std::size_t remaining) {
        const entity_mapping& m = *t_.map;
        if (reserve_ && next_key_ + chunk.size() > keys_.size())
            reserve_block(std::max(chunk.size(), remaining));
        if (!reserve_) return insert_one_by_one(chunk);
        for (const auto e : chunk) {
            m.set_key(t_.objects[e], keys_[next_key_++]);
            t_.flags[e] |= entry_key_assigned;
        }
        writer_.write(chunk, first_pending_, total_);
    }

  private:
    // Keys are reserved in blocks of up to 65,536: one round trip for many statements,
    // at most 512 KiB of keys held at a time.
    void reserve_block(std::size_t wanted) {
        const entity_mapping& m = *t_.map;
        const std::size_t count = std::min<std::size_t>(wanted, 65536);
        keys_.clear();
        next_key_ = 0;
        reserve_ = conn_.driver().reserve_keys(m.table.name(),
                                               m.table.columns()[m.key_index].name(), count, keys_);
        if (reserve_ && keys_.size() != count)
            throw error("flush of " + m.table.name() + ": the driver reserved " +
                        std::to_string(keys_.size()) + " keys for " + std::to_string(count) +
                        " rows");
    }

    void insert_one_by_one(std::span<const std::uint32_t> chunk) {
        if (strategy_ == insert_strategy::reserve_keys || strategy_ == insert_strategy::copy)
            throw usage_error(
                "flush of " + t_.map->table.name() +
                ": keys cannot be reserved for this "
                "table (it has triggers, or its key is not a plain generated integer)");
        if (!single_) single_ = std::make_unique<row_by_row_writer>(conn_, t_);
        for (const auto e : chunk) single_->write(e, first_pending_, total_);
    }

    connection& conn_;
    table_runtime& t_;
    insert_strategy strategy_;
    keyed_writer& writer_;
    std::size_t first_pending_, total_;
    bool reserve_;
    std::vector<std::int64_t> keys_;
    std::size_t next_key_ = 0;
    std::unique_ptr<row_by_row_writer> single_;
};

} // namespace

void insert_pending(connection& conn, table_runtime& t, const session_options& opts) {
    // COPY is the fastest way into PostgreSQL (bench/RESULTS.md), so automatic takes it there.
    const bool copy =
        opts.strategy == insert_strategy::copy ||
        (opts.strategy == insert_strategy::automatic && conn.driver().supports_copy());
    std::unique_ptr<keyed_writer> writer;
    if (copy)
        writer = std::make_unique<copy_writer>(conn, t, opts.page_size);
    else
        writer = std::make_unique<chunk_writer>(conn, t, opts.page_size);
    // Positions in messages count from the first pending object, in the order added.
    std::size_t first_pending = 0;
    while (!(t.flags[first_pending] & entry_pending)) ++first_pending;
    const std::size_t total = t.pending;

    pending_walker walk(t);
    std::vector<std::uint32_t> chunk;
    std::size_t remaining = total;
    // Objects that bring their own keys go first, so reserved keys start above them.
    while (walk.next(true, writer->rows_per_chunk(), chunk)) {
        writer->write(chunk, first_pending, total);
        remaining -= chunk.size();
    }
    std::optional<generated_key_inserter> generated;
    while (walk.next(false, writer->rows_per_chunk(), chunk)) {
        if (!generated) generated.emplace(conn, t, opts, *writer, first_pending, total);
        generated->insert(chunk, remaining);
        remaining -= chunk.size();
    }
}

} // namespace tabella::detail
