// Key reservation for SQLite: inside the flush's write transaction, the keys above the
// table's largest rowid are ours, so rows can be sent with explicit keys in multi-row
// INSERTs and every object knows its key by construction.
#pragma once

#include "sqlite_statement.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct sqlite3;

namespace tabella::detail {

class sqlite_key_reserver {
  public:
    /// Echoes a statement the reserver runs, with its parameters.
    using echo_fn = std::function<void(std::string_view, std::span<const param_ref>)>;

    sqlite_key_reserver(sqlite3* db, echo_fn echo) : db_(db), echo_(std::move(echo)) {}

    /// See driver_connection::reserve_keys. Safe only when the table has no triggers
    /// (a trigger could insert rows with keys of its own), the key is the rowid (declared
    /// exactly INTEGER PRIMARY KEY), and the keys do not run past the largest rowid.
    bool reserve(const std::string& table, const std::string& key_column, std::size_t count,
                 std::int64_t above, std::vector<std::int64_t>& out);

  private:
    struct table_facts {
        std::int64_t schema_version = -1;
        bool safe = false;
        bool autoincrement = false;
        std::unique_ptr<sqlite_statement> max_rowid;
        std::unique_ptr<sqlite_statement> sequence; ///< AUTOINCREMENT's high-water mark
    };

    [[nodiscard]] std::int64_t scalar(const std::string& sql, const std::vector<value>& params);
    /// Echoes and runs `stmt`; the first cell it returns, or nullopt for none or NULL.
    std::optional<std::int64_t> first_cell(sqlite_statement& stmt,
                                           std::span<const param_ref> params = {});
    void learn(const std::string& table, const std::string& key_column, table_facts& facts);

    sqlite3* db_;
    echo_fn echo_;
    std::unique_ptr<sqlite_statement> schema_version_;
    std::map<std::string, table_facts, std::less<>> tables_;
};

} // namespace tabella::detail
