// Streaming on MariaDB: a read-only server-side cursor (STMT_ATTR_CURSOR_TYPE) fetched n
// rows at a time (STMT_ATTR_PREFETCH_ROWS). The server keeps the result, so the client holds
// one batch and the connection stays free for other statements between fetches; an
// unbuffered read (mysql_stmt_use_result) would block the connection until the last row.
#include "mariadb_statement.hpp"
#include "mariadb_values.hpp"

#include <optional>

namespace tabella::detail {

class mariadb_cursor final : public row_cursor {
  public:
    explicit mariadb_cursor(mariadb_statement& s) noexcept : s_(s) {}
    mariadb_cursor(const mariadb_cursor&) = delete;
    mariadb_cursor& operator=(const mariadb_cursor&) = delete;
    ~mariadb_cursor() override;

    /// Binds the result of the statement just executed; a statement the server opened no
    /// cursor for (it returns rows but is no SELECT) has its rows stored whole instead.
    void start();
    bool fetch(row_buffer& out, std::size_t n) override;

  private:
    mariadb_statement& s_;
    MYSQL_RES* meta_ = nullptr;
    std::optional<result_cells> cells_;
    std::vector<std::string> columns_;
    bool done_ = false;
};

namespace {

void set_cursor_type(MYSQL_STMT* stmt, unsigned long type) noexcept {
    (void)mysql_stmt_attr_set(stmt, STMT_ATTR_CURSOR_TYPE, &type);
}

} // namespace

void mariadb_cursor::start() {
    MYSQL_STMT* stmt = s_.stmt_;
    if (mysql_stmt_field_count(stmt) == 0) {
        done_ = true;
        return;
    }
    unsigned status = 0;
    (void)mariadb_get_infov(s_.link_.handle(), MARIADB_CONNECTION_SERVER_STATUS, &status);
    if (!(status & SERVER_STATUS_CURSOR_EXISTS) && mysql_stmt_store_result(stmt) != 0)
        s_.link_.fail(stmt, s_.sql_);
    meta_ = mysql_stmt_result_metadata(stmt);
    if (!meta_) s_.link_.fail(stmt, s_.sql_);
    const unsigned width = mysql_num_fields(meta_);
    const MYSQL_FIELD* fields = mysql_fetch_fields(meta_);
    for (unsigned c = 0; c < width; ++c) columns_.emplace_back(fields[c].name);
    cells_.emplace(fields, width);
    if (mysql_stmt_bind_result(stmt, cells_->binds()) != 0) s_.link_.fail(stmt, s_.sql_);
}

bool mariadb_cursor::fetch(row_buffer& out, std::size_t n) {
    out.cells.clear();
    if (out.columns.empty()) out.columns = columns_;
    if (done_) return false;
    MYSQL_STMT* stmt = s_.stmt_;
    const unsigned long prefetch = n;
    (void)mysql_stmt_attr_set(stmt, STMT_ATTR_PREFETCH_ROWS, &prefetch);
    const auto width = static_cast<unsigned>(columns_.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int rc = mysql_stmt_fetch(stmt);
        if (rc == MYSQL_NO_DATA) {
            done_ = true;
            break;
        }
        if (rc == 1) {
            done_ = true;
            s_.link_.fail(stmt, s_.sql_);
        }
        // MYSQL_DATA_TRUNCATED too: long values are fetched column by column
        for (unsigned c = 0; c < width; ++c) out.cells.push_back(cells_->read(stmt, c));
    }
    return !out.cells.empty();
}

mariadb_cursor::~mariadb_cursor() {
    MYSQL_STMT* stmt = s_.stmt_;
    if (meta_) mysql_free_result(meta_);
    (void)mysql_stmt_free_result(stmt);
    // COM_STMT_RESET closes the server's cursor (and its temporary table) now.
    if (!s_.link_.lost()) (void)mysql_stmt_reset(stmt);
    set_cursor_type(stmt, CURSOR_TYPE_NO_CURSOR);
}

std::unique_ptr<row_cursor> mariadb_statement::open(std::span<const param_ref> params) {
    check_params(params);
    if (!stmt_) return prepared_statement::open(params); // text protocol: the whole result
    if (!params.empty()) bind(params);
    set_cursor_type(stmt_, CURSOR_TYPE_READ_ONLY);
    if (mysql_stmt_execute(stmt_) != 0) {
        set_cursor_type(stmt_, CURSOR_TYPE_NO_CURSOR);
        link_.fail(stmt_, sql_);
    }
    auto cursor = std::make_unique<mariadb_cursor>(*this);
    cursor->start();
    link_.succeeded();
    return cursor;
}

} // namespace tabella::detail
