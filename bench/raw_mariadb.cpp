// The MariaDB baselines on Connector/C, as a careful hand-written program does them, in one
// transaction each: one prepared single-row INSERT executed per row, the key of each row
// from mysql_stmt_insert_id(); and multi-VALUES INSERT ... RETURNING id in batches of 1,000
// rows through one prepared statement (keys taken in the order the rows come back).
#include "cases.hpp"
#include "runner.hpp"

#include <tabella/url.hpp>

#include <mysql.h>

#include <algorithm>
#include <array>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace tabella_bench {
namespace {

constexpr std::size_t batch_rows = 1'000;
constexpr std::size_t columns = 4; // name, lastname, age, score

struct connection_closer {
    void operator()(MYSQL* db) const noexcept { mysql_close(db); }
};
struct statement_closer {
    void operator()(MYSQL_STMT* stmt) const noexcept { mysql_stmt_close(stmt); }
};
using statement_ptr = std::unique_ptr<MYSQL_STMT, statement_closer>;

const char* or_null(const std::string& s) noexcept {
    return s.empty() ? nullptr : s.c_str();
}

/// A raw Connector/C connection to the benchmark database; creates the table.
class mariadb_probe final : public table_probe {
  public:
    explicit mariadb_probe(const bench_database& db) : db_(db), handle_(mysql_init(nullptr)) {
        if (!handle_) throw std::runtime_error("mariadb: mysql_init: out of memory");
        const tabella::url u = tabella::parse_url(db.native_target());
        const auto socket = u.query.find("socket");
        mysql_optionsv(handle(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
        if (!mysql_real_connect(handle(), or_null(u.host), or_null(u.user), or_null(u.password),
                                or_null(u.database), static_cast<unsigned>(u.port.value_or(0)),
                                socket == u.query.end() ? nullptr : socket->second.c_str(), 0))
            fail("connect");
        for (const auto& sql : db.recreate_table_sql()) exec(sql);
    }

    void empty_table() override { exec(db_.empty_table_sql()); }
    std::int64_t count_rows() override {
        return std::stoll(single_text("SELECT count(*) FROM students"));
    }
    std::string name_at(std::int64_t key) override {
        return single_text("SELECT name FROM students WHERE id = " + std::to_string(key));
    }

    [[nodiscard]] MYSQL* handle() const noexcept { return handle_.get(); }
    void exec(const std::string& sql) {
        if (mysql_real_query(handle(), sql.data(), sql.size()) != 0) fail(sql);
    }
    [[nodiscard]] statement_ptr prepare(const std::string& sql) {
        statement_ptr stmt(mysql_stmt_init(handle()));
        if (!stmt) fail("mysql_stmt_init");
        if (mysql_stmt_prepare(stmt.get(), sql.data(), sql.size()) != 0)
            fail(stmt.get(), sql.substr(0, 100));
        return stmt;
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("mariadb: " + what + ": " + mysql_error(handle()));
    }
    [[noreturn]] static void fail(MYSQL_STMT* stmt, const std::string& what) {
        throw std::runtime_error("mariadb: " + what + ": " + mysql_stmt_error(stmt));
    }

  private:
    // The first column of the first row as text; "" when there is no row.
    std::string single_text(const std::string& sql) {
        exec(sql);
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(
            mysql_store_result(handle()), &mysql_free_result);
        if (!result) fail(sql);
        const MYSQL_ROW row = mysql_fetch_row(result.get());
        return row && row[0] ? std::string(row[0]) : std::string();
    }

    const bench_database& db_;
    std::unique_ptr<MYSQL, connection_closer> handle_;
};

// Connector/C only reads parameter buffers: the const_casts bind the rows where they are.
void bind_row(MYSQL_BIND* b, const row_values& r) {
    b[0].buffer_type = MYSQL_TYPE_STRING;
    b[0].buffer = const_cast<char*>(r.name.data());
    b[0].buffer_length = r.name.size();
    b[1].buffer_type = MYSQL_TYPE_STRING;
    b[1].buffer = const_cast<char*>(r.lastname.data());
    b[1].buffer_length = r.lastname.size();
    b[2].buffer_type = MYSQL_TYPE_LONG;
    b[2].buffer = const_cast<int*>(&r.age);
    b[3].buffer_type = MYSQL_TYPE_DOUBLE;
    b[3].buffer = const_cast<double*>(&r.score);
}

// Single-row inserts: the key is LAST_INSERT_ID of the statement, exact for one row.
void insert_prepared(mariadb_probe& db, std::size_t rows, std::vector<std::int64_t>& keys) {
    keys.clear();
    keys.reserve(rows);
    auto stmt = db.prepare("INSERT INTO students (name, lastname, age, score) VALUES (?, ?, ?, ?)");
    MYSQL_STMT* s = stmt.get();
    std::array<MYSQL_BIND, columns> binds{};
    db.exec("START TRANSACTION");
    for (const auto& r : rows_of(rows)) {
        bind_row(binds.data(), r);
        if (mysql_stmt_bind_param(s, binds.data()) != 0 || mysql_stmt_execute(s) != 0)
            mariadb_probe::fail(s, "INSERT");
        keys.push_back(static_cast<std::int64_t>(mysql_stmt_insert_id(s)));
    }
    if (mysql_commit(db.handle()) != 0) db.fail("COMMIT");
}

std::string multi_values_sql(std::size_t rows) {
    std::string sql = "INSERT INTO students (name, lastname, age, score) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += r ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)";
    return sql + " RETURNING id";
}

// Executes one multi-VALUES statement for `rows` rows and appends the returned keys.
void insert_batch(MYSQL_STMT* s, std::span<const row_values> rows, std::vector<MYSQL_BIND>& binds,
                  std::vector<std::int64_t>& keys) {
    binds.assign(rows.size() * columns, MYSQL_BIND{});
    for (std::size_t i = 0; i < rows.size(); ++i) bind_row(&binds[i * columns], rows[i]);
    if (mysql_stmt_bind_param(s, binds.data()) != 0 || mysql_stmt_execute(s) != 0)
        mariadb_probe::fail(s, "INSERT ... RETURNING");
    std::int64_t key = 0;
    MYSQL_BIND result{};
    result.buffer_type = MYSQL_TYPE_LONGLONG;
    result.buffer = &key;
    if (mysql_stmt_bind_result(s, &result) != 0) mariadb_probe::fail(s, "bind RETURNING id");
    int rc = 0;
    while ((rc = mysql_stmt_fetch(s)) == 0) keys.push_back(key);
    if (rc != MYSQL_NO_DATA) mariadb_probe::fail(s, "fetch RETURNING id");
}

void insert_multi_values(mariadb_probe& db, std::size_t rows, std::vector<std::int64_t>& keys) {
    const auto& values = rows_of(rows);
    keys.clear();
    keys.reserve(rows);
    auto full = db.prepare(multi_values_sql(batch_rows));
    std::vector<MYSQL_BIND> binds;
    db.exec("START TRANSACTION");
    for (std::size_t first = 0; first < rows; first += batch_rows) {
        const std::size_t count = std::min(batch_rows, rows - first);
        const std::span<const row_values> batch(values.data() + first, count);
        if (count == batch_rows) {
            insert_batch(full.get(), batch, binds, keys);
        } else {
            auto tail = db.prepare(multi_values_sql(count));
            insert_batch(tail.get(), batch, binds, keys);
        }
    }
    if (mysql_commit(db.handle()) != 0) db.fail("COMMIT");
}

template <class Insert>
void run_raw_case(benchmark::State& state, Insert insert) {
    guarded(state, [&] {
        const bench_database db(backend::mariadb);
        mariadb_probe probe(db);
        std::vector<std::int64_t> keys;
        const auto rows = static_cast<std::size_t>(state.range(0));
        run_case(state, probe,
                 {.insert = [&] { insert(probe, rows, keys); },
                  .keys = [&]() -> inserted_keys { return keys; }});
    });
}

} // namespace

void register_raw_mariadb_cases() {
    add_case("BM_raw_prepared", backend::mariadb, all_row_counts,
             [](benchmark::State& s) { run_raw_case(s, insert_prepared); });
    add_case("BM_raw_multi_values_returning", backend::mariadb, all_row_counts,
             [](benchmark::State& s) { run_raw_case(s, insert_multi_values); });
}

} // namespace tabella_bench
