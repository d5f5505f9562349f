// SQLite statements: parameters are bound straight from the caller's memory.
#include "sqlite_statement.hpp"

#include "sqlite_errors.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/detail/utf8.hpp"
#include "tabella/error.hpp"

#include <sqlite3.h>

#include <vector>

namespace tabella::detail {
namespace {

void bind(sqlite3_stmt* stmt, int index, const param_ref& p, std::string& scratch) {
    switch (p.kind) {
    case value_kind::null:
        sqlite3_bind_null(stmt, index);
        return;
    case value_kind::integer:
    case value_kind::boolean:
        sqlite3_bind_int64(stmt, index, p.integer);
        return;
    case value_kind::real:
        sqlite3_bind_double(stmt, index, p.real);
        return;
    case value_kind::text:
        check_text_parameter(p.text(), static_cast<std::size_t>(index));
        // SQLITE_STATIC: the caller's data outlives the execution; no copy is made.
        // A null pointer would bind NULL, so an empty value points at a static "".
        sqlite3_bind_text64(stmt, index, p.data ? static_cast<const char*>(p.data) : "", p.size,
                            SQLITE_STATIC, SQLITE_UTF8);
        return;
    case value_kind::blob:
        if (p.size == 0)
            sqlite3_bind_zeroblob(stmt, index, 0); // empty, not NULL
        else
            sqlite3_bind_blob64(stmt, index, p.data, p.size, SQLITE_STATIC);
        return;
    case value_kind::timestamp: // text that sorts as the time does: years 1 to 9999 only
        check_timestamp_range(p.integer, "parameter " + std::to_string(index));
        scratch = format_timestamp(p.integer);
        sqlite3_bind_text64(stmt, index, scratch.data(), scratch.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8);
        return;
    case value_kind::date:
        check_date_range(p.integer, "parameter " + std::to_string(index));
        scratch = format_date(p.integer);
        sqlite3_bind_text64(stmt, index, scratch.data(), scratch.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8);
        return;
    case value_kind::uuid: // 16 bytes, which as<uuid>() reads back
        sqlite3_bind_blob64(stmt, index, p.data, p.size, SQLITE_STATIC);
        return;
    }
}

value read_cell(sqlite3_stmt* stmt, int col) {
    switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
        return value(static_cast<std::int64_t>(sqlite3_column_int64(stmt, col)));
    case SQLITE_FLOAT:
        return value(sqlite3_column_double(stmt, col));
    case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
        return value(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))));
    }
    case SQLITE_BLOB: {
        const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(stmt, col));
        return value(blob(p, p + sqlite3_column_bytes(stmt, col)));
    }
    default:
        return value();
    }
}

} // namespace

sqlite_statement::sqlite_statement(sqlite3* db, std::string sql) : db_(db), sql_(std::move(sql)) {
    const int rc = sqlite3_prepare_v3(db_, sql_.data(), static_cast<int>(sql_.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_sqlite_error(db_, sqlite3_extended_errcode(db_), sql_);
}

sqlite_statement::~sqlite_statement() {
    sqlite3_finalize(stmt_);
}

void sqlite_statement::bind_all(std::span<const param_ref> params) {
    const int expected = sqlite3_bind_parameter_count(stmt_);
    if (static_cast<std::size_t>(expected) != params.size())
        throw usage_error("statement expects " + std::to_string(expected) + " parameters, got " +
                          std::to_string(params.size()) + " [" + sql_.substr(0, 200) + "]");
    std::string scratch;
    for (std::size_t i = 0; i < params.size(); ++i)
        bind(stmt_, static_cast<int>(i + 1), params[i], scratch);
}

template <class EachRow>
std::int64_t sqlite_statement::step_all(EachRow&& each_row) {
    struct resetter {
        sqlite3_stmt* stmt;
        ~resetter() { sqlite3_reset(stmt); }
    } reset{stmt_};
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) each_row();
    if (rc != SQLITE_DONE) {
        const int code = sqlite3_extended_errcode(db_);
        sqlite3_reset(stmt_);
        throw_sqlite_error(db_, code, sql_);
    }
    return sqlite3_changes64(db_);
}

namespace {

void read_columns(sqlite3_stmt* stmt, row_buffer& out) {
    if (!out.columns.empty()) return;
    const int columns = sqlite3_column_count(stmt);
    for (int c = 0; c < columns; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
}

} // namespace

std::int64_t sqlite_statement::execute(std::span<const param_ref> params, row_buffer* out) {
    bind_all(params);
    if (!out) return step_all([] {});
    read_columns(stmt_, *out);
    const int columns = static_cast<int>(out->columns.size());
    return step_all([&] {
        for (int c = 0; c < columns; ++c) out->cells.push_back(read_cell(stmt_, c));
    });
}

std::int64_t sqlite_statement::execute_batched(std::span<const param_ref> params,
                                               row_buffer& buffer, std::size_t batch,
                                               const std::function<void(row_buffer&)>& sink) {
    bind_all(params);
    read_columns(stmt_, buffer);
    const int columns = static_cast<int>(buffer.columns.size());
    buffer.cells.clear();
    buffer.cells.reserve(batch * buffer.columns.size());
    const std::int64_t changed = step_all([&] {
        for (int c = 0; c < columns; ++c) buffer.cells.push_back(read_cell(stmt_, c));
        if (buffer.row_count() < batch) return;
        sink(buffer);
        buffer.cells.clear();
    });
    if (!buffer.cells.empty()) sink(buffer);
    return changed;
}

namespace {

// A view of column `col` of the current row: valid until the statement steps again. Read
// through the column's sqlite3_value, one API call a cell fewer than sqlite3_column_*: an
// unprotected value is safe here, as a connection is used by one thread at a time.
param_ref view_cell(sqlite3_stmt* stmt, int col) {
    sqlite3_value* v = sqlite3_column_value(stmt, col);
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
        return param_ref::of_integer(sqlite3_value_int64(v));
    case SQLITE_FLOAT:
        return param_ref::of_real(sqlite3_value_double(v));
    case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
        return param_ref::of_text({p, static_cast<std::size_t>(sqlite3_value_bytes(v))});
    }
    case SQLITE_BLOB: {
        const void* p = sqlite3_value_blob(v);
        return param_ref::of_blob(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
    }
    default:
        return param_ref::of_null();
    }
}

} // namespace

std::int64_t sqlite_statement::execute_each(std::span<const param_ref> params, row_sink& sink) {
    bind_all(params);
    const int columns = sqlite3_column_count(stmt_);
    std::vector<param_ref> cells(static_cast<std::size_t>(columns));
    return step_all([&] {
        for (int c = 0; c < columns; ++c) cells[static_cast<std::size_t>(c)] = view_cell(stmt_, c);
        sink.row(cells);
    });
}

} // namespace tabella::detail

namespace tabella::detail {

// A statement stepped as its rows are asked for.
class sqlite_cursor final : public row_cursor {
  public:
    explicit sqlite_cursor(sqlite_statement& s) noexcept : s_(s) {}
    sqlite_cursor(const sqlite_cursor&) = delete;
    sqlite_cursor& operator=(const sqlite_cursor&) = delete;
    ~sqlite_cursor() override {
        if (!done_) sqlite3_reset(s_.stmt_);
    }

    bool fetch(row_buffer& out, std::size_t n) override {
        out.cells.clear();
        if (done_) return false;
        read_columns(s_.stmt_, out);
        const int columns = static_cast<int>(out.columns.size());
        return step_up_to(n, [&] {
            for (int c = 0; c < columns; ++c) out.cells.push_back(read_cell(s_.stmt_, c));
        });
    }

    bool fetch_each(row_sink& sink, std::size_t n) override {
        if (done_) return false;
        std::vector<param_ref> cells(static_cast<std::size_t>(sqlite3_column_count(s_.stmt_)));
        return step_up_to(n, [&] {
            for (std::size_t c = 0; c < cells.size(); ++c)
                cells[c] = view_cell(s_.stmt_, static_cast<int>(c));
            sink.row(cells);
        });
    }

  private:
    // Steps up to `n` rows, `each_row` after each; at the end of the result the statement is
    // reset (and its error thrown). Returns whether a row was read.
    template <class EachRow>
    bool step_up_to(std::size_t n, EachRow&& each_row) {
        bool any = false;
        for (std::size_t i = 0; i < n; ++i) {
            const int rc = sqlite3_step(s_.stmt_);
            if (rc == SQLITE_ROW) {
                each_row();
                any = true;
                continue;
            }
            done_ = true;
            const int code = sqlite3_extended_errcode(s_.db_);
            sqlite3_reset(s_.stmt_);
            if (rc != SQLITE_DONE) throw_sqlite_error(s_.db_, code, s_.sql_);
            break;
        }
        return any;
    }

    sqlite_statement& s_;
    bool done_ = false;
};

std::unique_ptr<row_cursor> sqlite_statement::open(std::span<const param_ref> params) {
    bind_all(params);
    return std::make_unique<sqlite_cursor>(*this);
}

} // namespace tabella::detail
