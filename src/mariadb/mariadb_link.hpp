// What a MariaDB connection and its statements share: the Connector/C handle and what the
// driver knows about the session (lost, transaction ended by the server), in one place
// that every failure goes through.
#pragma once

#include "tabella/detail/driver.hpp"
#include "tabella/url.hpp"

#include <mysql.h>

#include <string>

namespace tabella::detail {

class mariadb_link {
  public:
    /// Connects to `u`. Throws connection_error (never showing the password).
    explicit mariadb_link(const url& u);
    mariadb_link(const mariadb_link&) = delete;
    mariadb_link& operator=(const mariadb_link&) = delete;
    ~mariadb_link();

    [[nodiscard]] MYSQL* handle() const noexcept { return db_; }
    [[nodiscard]] const url& where() const noexcept { return url_; }
    [[nodiscard]] bool lost() const noexcept { return lost_; }
    [[nodiscard]] bool ended_by_server() const noexcept { return ended_by_server_; }
    /// Whether a lock wait timeout rolls back the whole transaction on this server.
    void set_rollback_on_timeout(bool on) noexcept { rollback_on_timeout_ = on; }

    /// Throws connection_error when the connection was lost earlier.
    void check_usable() const;
    /// Records a statement that succeeded: one that leaves a transaction open (BEGIN)
    /// starts a new one, so an earlier one the server ended no longer matters.
    void succeeded() noexcept;
    /// Throws the error of the last call on the connection (`stmt` null) or on `stmt`:
    /// connection_error after a lost connection, else the matching sql_error.
    [[noreturn]] void fail(MYSQL_STMT* stmt, const std::string& sql);
    /// Runs `sql` on the text protocol (no parameters), appending the rows it returns to
    /// `out` as text or NULL when `out` is not null. Returns the rows changed or read.
    std::int64_t run_text(const std::string& sql, row_buffer* out);

  private:
    std::int64_t read_text_rows(MYSQL_RES* result, row_buffer* out);

    url url_;
    MYSQL* db_ = nullptr;
    bool lost_ = false;
    bool ended_by_server_ = false;
    bool rollback_on_timeout_ = false;
};

} // namespace tabella::detail
