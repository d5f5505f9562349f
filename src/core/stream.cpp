// Streams: a statement's rows read through a driver's cursor a batch at a time.
#include "tabella/stream.hpp"

#include "tabella/detail/batch_source.hpp"
#include "tabella/detail/compile.hpp"
#include "tabella/detail/statement_runner.hpp"
#include "tabella/error.hpp"

#include <iterator>
#include <vector>

namespace tabella {
namespace detail {
namespace {

// For drivers that cannot read a result in pieces: the whole result, handed out in slices.
class buffered_cursor final : public row_cursor {
  public:
    explicit buffered_cursor(row_buffer all) : all_(std::move(all)) {}
    bool fetch(row_buffer& out, std::size_t n) override {
        if (out.columns.empty()) out.columns = all_.columns;
        out.cells.clear();
        const std::size_t width = all_.columns.size();
        const std::size_t rows = std::min(n, all_.row_count() - next_);
        const auto first = all_.cells.begin() + static_cast<std::ptrdiff_t>(next_ * width);
        out.cells.assign(
            std::make_move_iterator(first),
            std::make_move_iterator(first + static_cast<std::ptrdiff_t>(rows * width)));
        next_ += rows;
        return rows > 0;
    }

  private:
    row_buffer all_;
    std::size_t next_ = 0;
};

} // namespace

std::unique_ptr<row_cursor> prepared_statement::open(std::span<const param_ref> params) {
    row_buffer all;
    (void)execute(params, &all);
    return std::make_unique<buffered_cursor>(std::move(all));
}

namespace {

// Hands each row of `rows` to `sink`, viewing its values.
void view_buffer(const row_buffer& rows, row_sink& sink) {
    const std::size_t width = rows.columns.size();
    std::vector<param_ref> refs(width);
    for (std::size_t first = 0; first < rows.cells.size(); first += width) {
        for (std::size_t c = 0; c < width; ++c) refs[c] = rows.cells[first + c].ref();
        sink.row(refs);
    }
}

} // namespace

std::int64_t prepared_statement::execute_each(std::span<const param_ref> params, row_sink& sink) {
    row_buffer buffer;
    return execute_batched(params, buffer, 1024,
                           [&](row_buffer& rows) { view_buffer(rows, sink); });
}

bool row_cursor::fetch_each(row_sink& sink, std::size_t n) {
    if (!fetch(each_, n)) return false;
    view_buffer(each_, sink);
    return true;
}

void batch_source_deleter::operator()(batch_source* source) const noexcept {
    delete source;
}

batch_source::batch_source(connection& conn, std::string_view sql, std::vector<value> params,
                           std::size_t batch)
    : conn_(conn), params_(std::move(params)), batch_(batch) {
    if (batch_ == 0)
        throw usage_error("stream(0): a batch holds at least one row [" +
                          std::string(sql.substr(0, 200)) + "]");
    if (params_.size() > conn_.parameter_limit())
        throw usage_error(std::to_string(params_.size()) +
                          " parameters exceed the connection's limit of " +
                          std::to_string(conn_.parameter_limit()));
    refs_.reserve(params_.size());
    for (const auto& p : params_) refs_.push_back(p.ref());
    // A cursor lives in a transaction (PostgreSQL's does not outlive its own).
    if (!conn_.in_transaction()) own_tx_.emplace(conn_.begin());
    transaction_ = connection_access::transactions_begun(conn_);
    conn_.require_live_transaction();
    stmt_ = connection_access::driver(conn_).prepare(std::string(sql));
    const echo_log& echo = connection_access::echo(conn_);
    echo.line(stmt_->sql());
    echo.params(refs_);
    cursor_ = stmt_->open(refs_);
}

batch_source::~batch_source() {
    try {
        finish(false);
    } catch (...) {
        // A broken connection: its pool drops it.
    }
}

void batch_source::check_transaction() const {
    if (!conn_.in_transaction() || connection_access::transactions_begun(conn_) != transaction_)
        throw usage_error("the transaction this stream reads in has ended; open the stream "
                          "again [" +
                          stmt_->sql().substr(0, 200) + "]");
}

template <class Fetch>
bool batch_source::advance(Fetch&& fetch) {
    rows_.cells.clear();
    if (!cursor_) return false;
    try {
        check_transaction();
        if (fetch(*cursor_)) return true;
    } catch (...) {
        cursor_.reset();
        own_tx_.reset(); // rolls back
        throw;
    }
    finish(true);
    return false;
}

bool batch_source::next() {
    return advance([&](row_cursor& cursor) { return cursor.fetch(rows_, batch_); });
}

bool batch_source::next_each(row_sink& sink) {
    return advance([&](row_cursor& cursor) { return cursor.fetch_each(sink, batch_); });
}

void batch_source::finish(bool commit) {
    cursor_.reset();
    if (!own_tx_) return;
    auto tx = std::move(*own_tx_);
    own_tx_.reset();
    if (commit) tx.commit();
}

} // namespace detail

row_stream::row_stream(detail::batch_source_ptr source) noexcept : source_(std::move(source)) {}
row_stream::row_stream(row_stream&&) noexcept = default;
row_stream& row_stream::operator=(row_stream&&) noexcept = default;
row_stream::~row_stream() = default;

row_stream::iterator row_stream::begin() {
    if (!started_) {
        started_ = true;
        advance();
    }
    return iterator(this);
}

const std::vector<std::string>& row_stream::columns() {
    (void)begin();
    static const std::vector<std::string> none;
    if (!columns_ && source_ && !source_->rows().columns.empty())
        columns_ = std::make_shared<const std::vector<std::string>>(source_->rows().columns);
    return columns_ ? *columns_ : none;
}

void row_stream::advance() {
    if (done_ || !source_) return;
    detail::row_buffer& rows = source_->rows();
    if (next_ >= rows.row_count()) {
        done_ = true; // until the next batch is read: a failure ends the stream
        current_ = row();
        if (!source_->next()) return;
        done_ = false;
        next_ = 0;
        if (!columns_) columns_ = std::make_shared<const std::vector<std::string>>(rows.columns);
    }
    const std::size_t width = rows.columns.size();
    const auto first = rows.cells.begin() + static_cast<std::ptrdiff_t>(next_ * width);
    current_ = row(columns_, std::vector<value>(std::make_move_iterator(first),
                                                std::make_move_iterator(
                                                    first + static_cast<std::ptrdiff_t>(width))));
    ++next_;
}

row_stream connection::stream(const select_statement& stmt, std::size_t batch) {
    auto compiled = detail::compile_select(stmt, dialect());
    return stream_sql(compiled.sql, std::move(compiled.params), batch);
}

row_stream connection::stream_sql(std::string_view sql, std::vector<value> params,
                                  std::size_t batch) {
    return row_stream(
        detail::batch_source_ptr(new detail::batch_source(*this, sql, std::move(params), batch)));
}

} // namespace tabella
