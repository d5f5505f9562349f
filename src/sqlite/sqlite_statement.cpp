// SQLite statements: parameters are bound straight from the caller's memory.
#include "sqlite_statement.hpp"

#include "sqlite_errors.hpp"
#include "tabella/detail/timestamp_text.hpp"
#include "tabella/detail/utf8.hpp"
#include "tabella/error.hpp"

#include <sqlite3.h>

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

std::int64_t sqlite_statement::execute(std::span<const param_ref> params, row_buffer* out) {
    const int expected = sqlite3_bind_parameter_count(stmt_);
    if (static_cast<std::size_t>(expected) != params.size())
        throw usage_error("statement expects " + std::to_string(expected) + " parameters, got " +
                          std::to_string(params.size()) + " [" + sql_.substr(0, 200) + "]");
    std::string scratch;
    for (std::size_t i = 0; i < params.size(); ++i)
        bind(stmt_, static_cast<int>(i + 1), params[i], scratch);
    const int columns = sqlite3_column_count(stmt_);
    if (out && out->columns.empty())
        for (int c = 0; c < columns; ++c) out->columns.emplace_back(sqlite3_column_name(stmt_, c));
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW)
        if (out)
            for (int c = 0; c < columns; ++c) out->cells.push_back(read_cell(stmt_, c));
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE) throw_sqlite_error(db_, sqlite3_extended_errcode(db_), sql_);
    return sqlite3_changes64(db_);
}

} // namespace tabella::detail
