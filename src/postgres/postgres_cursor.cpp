// Streaming on PostgreSQL: a server-side cursor declared in the open transaction and read
// FETCH FORWARD n rows at a time, so that the client holds one batch, never the result.
#include "postgres_connection.hpp"

namespace tabella::detail {
namespace {

class pg_cursor final : public row_cursor {
  public:
    pg_cursor(pg_connection& conn, const std::string& sql, std::span<const param_ref> params)
        : conn_(conn), name_(conn.next_cursor_name()) {
        // WITHOUT HOLD (the default): the cursor lives in this transaction and ends with it.
        (void)conn_.run_once("DECLARE " + name_ + " NO SCROLL CURSOR FOR " + sql, params);
        open_ = true;
    }
    pg_cursor(const pg_cursor&) = delete;
    pg_cursor& operator=(const pg_cursor&) = delete;
    ~pg_cursor() override { close(false); }

    bool fetch(row_buffer& out, std::size_t n) override {
        out.cells.clear();
        const pqxx::result r = fetch_result(n);
        read_postgres_rows(r, out);
        return !r.empty();
    }
    bool fetch_each(row_sink& sink, std::size_t n) override {
        const pqxx::result r = fetch_result(n);
        read_postgres_rows(r, sink);
        return !r.empty();
    }

  private:
    // The next `n` rows (none once the cursor is closed).
    pqxx::result fetch_result(std::size_t n) {
        if (!open_) return {};
        const std::string sql = "FETCH FORWARD " + std::to_string(n) + " FROM " + name_;
        conn_.echo_own(sql);
        pqxx::result r;
        try {
            r = conn_.run_once(sql, {});
        } catch (...) {
            open_ = false; // the failed transaction took the cursor along
            throw;
        }
        if (r.size() < n) close(true); // the last batch: closed now, not at the transaction's end
        return r;
    }

    // A CLOSE of a cursor that is gone would fail, and abort the transaction it is sent in:
    // after the transaction may have ended (an early destruction), pg_cursors is asked first.
    void close(bool known_open) noexcept {
        if (!open_) return;
        open_ = false;
        if (!conn_.is_usable()) return;
        try {
            if (!known_open) {
                const std::string probe = "SELECT count(*) FROM pg_cursors WHERE name = $1";
                const param_ref name[] = {param_ref::of_text(name_)};
                conn_.echo_own(probe);
                if (conn_.run_once(probe, name)[0][0].as<std::int64_t>() == 0) return;
            }
            const std::string sql = "CLOSE " + name_;
            conn_.echo_own(sql);
            (void)conn_.run_once(sql, {});
        } catch (...) {
            // A failed transaction: its ROLLBACK closes the cursor.
        }
    }

    pg_connection& conn_;
    std::string name_;
    bool open_ = false;
};

} // namespace

std::unique_ptr<row_cursor> pg_statement::open(std::span<const param_ref> params) {
    return std::make_unique<pg_cursor>(conn_, sql_, params);
}

} // namespace tabella::detail
