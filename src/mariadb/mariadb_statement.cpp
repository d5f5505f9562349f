// MariaDB statements: parameters are bound straight from the caller's memory (text and
// blobs are not copied); result cells are read with the kinds the ORM maps.
#include "mariadb_statement.hpp"

#include "mariadb_values.hpp"
#include "tabella/detail/utf8.hpp"
#include "tabella/error.hpp"

namespace tabella::detail {
namespace {

enum : unsigned { er_unsupported_ps = 1295 };

// Frees a statement's result set however reading it ends.
struct result_guard {
    MYSQL_STMT* stmt;
    MYSQL_RES* meta = nullptr;
    explicit result_guard(MYSQL_STMT* s) noexcept : stmt(s) {}
    result_guard(const result_guard&) = delete;
    result_guard& operator=(const result_guard&) = delete;
    ~result_guard() {
        if (meta) mysql_free_result(meta);
        mysql_stmt_free_result(stmt);
    }
};

void bind_param(MYSQL_BIND& b, const param_ref& p, MYSQL_TIME& time, std::size_t index) {
    switch (p.kind) {
    case value_kind::null:
        b.buffer_type = MYSQL_TYPE_NULL;
        return;
    case value_kind::integer:
    case value_kind::boolean:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = const_cast<std::int64_t*>(&p.integer); // Connector/C only reads it
        return;
    case value_kind::real:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = const_cast<double*>(&p.real);
        return;
    case value_kind::text:
        check_text_parameter(p.text(), index);
        [[fallthrough]];
    case value_kind::blob:
    case value_kind::uuid: // BINARY(16)
        b.buffer_type = p.kind == value_kind::text ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
        b.buffer = const_cast<void*>(p.data ? p.data : ""); // empty, not NULL
        b.buffer_length = p.size;
        return;
    case value_kind::timestamp:
        time = to_mysql_time(p.integer, index);
        b.buffer_type = MYSQL_TYPE_DATETIME;
        b.buffer = &time;
        return;
    case value_kind::date:
        time = to_mysql_date(p.integer, index);
        b.buffer_type = MYSQL_TYPE_DATE;
        b.buffer = &time;
        return;
    }
}

} // namespace

mariadb_statement::mariadb_statement(mariadb_link& link, std::string sql)
    : link_(link), sql_(std::move(sql)) {
    link_.check_usable();
    stmt_ = mysql_stmt_init(link_.handle());
    if (!stmt_) link_.fail(nullptr, sql_);
    if (mysql_stmt_prepare(stmt_, sql_.data(), sql_.size()) == 0) return;
    // A few statements (CREATE TRIGGER...) have no binary-protocol form: those without
    // parameters run as text instead.
    if (mysql_stmt_errno(stmt_) == er_unsupported_ps && sql_.find('?') == std::string::npos) {
        mysql_stmt_close(stmt_);
        stmt_ = nullptr;
        return;
    }
    try {
        link_.fail(stmt_, sql_);
    } catch (...) {
        mysql_stmt_close(stmt_);
        throw;
    }
}

mariadb_statement::~mariadb_statement() {
    if (stmt_) mysql_stmt_close(stmt_);
}

std::int64_t mariadb_statement::execute(std::span<const param_ref> params, row_buffer* out) {
    check_params(params);
    if (!stmt_) return link_.run_text(sql_, out);
    return run(params, out, nullptr);
}

std::int64_t mariadb_statement::execute_each(std::span<const param_ref> params, row_sink& sink) {
    check_params(params);
    if (!stmt_) return prepared_statement::execute_each(params, sink); // text protocol
    return run(params, nullptr, &sink);
}

std::int64_t mariadb_statement::run(std::span<const param_ref> params, row_buffer* out,
                                    row_sink* sink) {
    if (!params.empty()) bind(params);
    if (mysql_stmt_execute(stmt_) != 0) link_.fail(stmt_, sql_);
    std::int64_t changed = 0;
    if (mysql_stmt_field_count(stmt_) > 0)
        changed = read_rows(out, sink); // SELECT, or INSERT ... RETURNING: a row per row written
    else
        changed = static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt_));
    link_.succeeded();
    return changed;
}

void mariadb_statement::check_params(std::span<const param_ref> params) const {
    link_.check_usable();
    const std::size_t expected = stmt_ ? mysql_stmt_param_count(stmt_) : 0;
    if (params.size() != expected)
        throw usage_error("statement expects " + std::to_string(expected) + " parameters, got " +
                          std::to_string(params.size()) + " [" + sql_.substr(0, 200) + "]");
}

void mariadb_statement::bind(std::span<const param_ref> params) {
    binds_.assign(params.size(), MYSQL_BIND{});
    times_.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
        bind_param(binds_[i], params[i], times_[i], i + 1);
    if (mysql_stmt_bind_param(stmt_, binds_.data()) != 0) link_.fail(stmt_, sql_);
}

std::int64_t mariadb_statement::read_rows(row_buffer* out, row_sink* sink) {
    if (mysql_stmt_store_result(stmt_) != 0) link_.fail(stmt_, sql_);
    result_guard guard(stmt_);
    guard.meta = mysql_stmt_result_metadata(stmt_);
    if (!guard.meta) link_.fail(stmt_, sql_);
    const unsigned width = mysql_num_fields(guard.meta);
    const MYSQL_FIELD* fields = mysql_fetch_fields(guard.meta);
    if (out && out->columns.empty())
        for (unsigned c = 0; c < width; ++c) out->columns.emplace_back(fields[c].name);
    result_cells cells(fields, width);
    if (mysql_stmt_bind_result(stmt_, cells.binds()) != 0) link_.fail(stmt_, sql_);
    std::int64_t rows = 0;
    std::vector<param_ref> views;
    for (;;) {
        const int rc = mysql_stmt_fetch(stmt_);
        if (rc == MYSQL_NO_DATA) break;
        if (rc == 1) link_.fail(stmt_, sql_);
        ++rows; // MYSQL_DATA_TRUNCATED too: long values are fetched column by column
        if (out)
            for (unsigned c = 0; c < width; ++c) out->cells.push_back(cells.read(stmt_, c));
        if (!sink) continue;
        views.resize(width);
        for (unsigned c = 0; c < width; ++c) views[c] = cells.view(stmt_, c);
        sink->row(views);
    }
    return rows;
}

} // namespace tabella::detail
