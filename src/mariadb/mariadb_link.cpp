// Connecting, the text protocol (BEGIN, COMMIT, SET...), and every failure of the MariaDB
// driver: a lost connection stays lost (no silent reconnect), and a transaction InnoDB
// rolled back on its own is known as ended.
#include "mariadb_link.hpp"

#include "mariadb_errors.hpp"
#include "tabella/error.hpp"

#include <charconv>

namespace tabella::detail {
namespace {

void replace_all(std::string& text, const std::string& secret) {
    if (secret.empty()) return;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
}

unsigned connect_timeout(const url& u) {
    const auto it = u.query.find("connect_timeout");
    if (it == u.query.end()) return 10;
    unsigned seconds = 0;
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size() || seconds == 0)
        throw usage_error("invalid database URL '" + u.masked() +
                          "': connect_timeout must be a positive number of seconds");
    return seconds;
}

const char* socket_of(const url& u) {
    for (const auto& [key, value] : u.query)
        if (key != "socket" && key != "connect_timeout")
            throw usage_error("invalid database URL '" + u.masked() +
                              "': unknown mariadb option '" + key +
                              "' (known: socket=/path, connect_timeout=seconds)");
    const auto it = u.query.find("socket");
    return it == u.query.end() ? nullptr : it->second.c_str();
}

const char* or_null(const std::string& s) {
    return s.empty() ? nullptr : s.c_str();
}

} // namespace

mariadb_link::mariadb_link(const url& u) : url_(u) {
    const unsigned timeout = connect_timeout(url_);
    const char* socket = socket_of(url_);
    db_ = mysql_init(nullptr);
    if (!db_) throw connection_error("mariadb: out of memory");
    const my_bool no = 0;
    mysql_optionsv(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(db_, MYSQL_OPT_RECONNECT, &no); // a reconnect would lose the session
    mysql_optionsv(db_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, not only those it changed,
    // as on the other databases (the ORM checks every UPDATE's count).
    const unsigned port = static_cast<unsigned>(url_.port.value_or(0));
    if (!mysql_real_connect(db_, or_null(url_.host), or_null(url_.user), or_null(url_.password),
                            or_null(url_.database), port, socket, CLIENT_FOUND_ROWS)) {
        std::string message = mysql_error(db_);
        replace_all(message, url_.password);
        mysql_close(db_);
        throw connection_error("cannot connect to '" + url_.masked() + "': " + message);
    }
    // INSERT ... RETURNING, which every generated key comes back with, is 10.5's.
    if (mysql_get_server_version(db_) < 100500) {
        const std::string version = mysql_get_server_info(db_);
        mysql_close(db_);
        throw connection_error("cannot use '" + url_.masked() + "': MariaDB " + version +
                               " is older than 10.5 (tabella needs INSERT ... RETURNING)");
    }
}

mariadb_link::~mariadb_link() {
    mysql_close(db_);
}

void mariadb_link::check_usable() const {
    if (lost_)
        throw connection_error("the connection to '" + url_.masked() +
                               "' was lost earlier; take a new connection from the engine");
}

void mariadb_link::succeeded() noexcept {
    unsigned status = 0;
    if (mariadb_get_infov(db_, MARIADB_CONNECTION_SERVER_STATUS, &status) == 0 &&
        (status & SERVER_STATUS_IN_TRANS))
        ended_by_server_ = false;
}

void mariadb_link::fail(MYSQL_STMT* stmt, const std::string& sql) {
    const unsigned code = stmt ? mysql_stmt_errno(stmt) : mysql_errno(db_);
    const std::string sqlstate = stmt ? mysql_stmt_sqlstate(stmt) : mysql_sqlstate(db_);
    std::string message = stmt ? mysql_stmt_error(stmt) : mysql_error(db_);
    replace_all(message, url_.password);
    if (mariadb_connection_lost(code)) {
        lost_ = true;
        throw connection_error("lost the connection to '" + url_.masked() + "': " + message);
    }
    if (mariadb_ends_transaction(code, rollback_on_timeout_)) ended_by_server_ = true;
    throw_mariadb_error(code, sqlstate, message, sql);
}

std::int64_t mariadb_link::run_text(const std::string& sql, row_buffer* out) {
    check_usable();
    if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail(nullptr, sql);
    std::int64_t changed = 0;
    int more = 0;
    do {
        MYSQL_RES* result = mysql_store_result(db_);
        if (result) {
            changed += read_text_rows(result, out);
            mysql_free_result(result);
        } else if (mysql_field_count(db_) != 0) {
            fail(nullptr, sql);
        } else {
            changed += static_cast<std::int64_t>(mysql_affected_rows(db_));
        }
        more = mysql_next_result(db_);
        if (more > 0) fail(nullptr, sql);
    } while (more == 0);
    succeeded();
    return changed;
}

std::int64_t mariadb_link::read_text_rows(MYSQL_RES* result, row_buffer* out) {
    const unsigned width = mysql_num_fields(result);
    if (out && out->columns.empty()) {
        const MYSQL_FIELD* fields = mysql_fetch_fields(result);
        for (unsigned c = 0; c < width; ++c) out->columns.emplace_back(fields[c].name);
    }
    std::int64_t rows = 0;
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        ++rows;
        const unsigned long* lengths = mysql_fetch_lengths(result);
        if (out)
            for (unsigned c = 0; c < width; ++c)
                out->cells.push_back(row[c] ? value(std::string(row[c], lengths[c])) : value());
    }
    return rows;
}

} // namespace tabella::detail
