// libFuzzer target: whatever a name holds, the quoted identifier parses back (in real
// SQLite) to exactly that name, and an echoed text literal parses back to the same value:
// nothing can break out of a quote.
#include <tabella/detail/echo.hpp>
#include <tabella/dialect.hpp>
#include <tabella/error.hpp>
#include <tabella/sqlite.hpp>
#ifdef TABELLA_LINK_POSTGRES
#include <tabella/postgres.hpp>
#endif

#include <vector>

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace {

sqlite3* db() {
    static sqlite3* handle = [] {
        sqlite3* h = nullptr;
        if (sqlite3_open(":memory:", &h) != SQLITE_OK) std::abort();
        return h;
    }();
    return handle;
}

// Runs `sql`, which must be one statement returning one row; returns column 0's name
// (names == true) or its text value.
std::string single(const std::string& sql, bool names) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db(), sql.c_str(), static_cast<int>(sql.size()), &stmt, &tail) !=
        SQLITE_OK)
        std::abort();                // the quoting produced SQL that does not parse
    if (tail && *tail) std::abort(); // something escaped into a second statement
    if (sqlite3_step(stmt) != SQLITE_ROW) std::abort();
    std::string out = names
                          ? sqlite3_column_name(stmt, 0)
                          : std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                                        static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0)));
    sqlite3_finalize(stmt);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // Each dialect linked: the fuzz preset builds without the PostgreSQL driver.
    std::vector<const tabella::dialect*> dialects{&tabella::sqlite_dialect()};
#ifdef TABELLA_LINK_POSTGRES
    dialects.push_back(&tabella::postgresql_dialect());
#endif
    for (const tabella::dialect* d : dialects) {
        std::string quoted;
        try {
            quoted = d->quote_identifier(text);
        } catch (const tabella::usage_error&) {
            if (!text.empty() && text.find('\0') == std::string::npos) std::abort();
            continue;
        }
        if (single("SELECT 1 AS " + quoted, true) != text) std::abort();
    }
    if (text.find('\0') == std::string::npos) {
        const auto literal = tabella::detail::format_param(tabella::param_ref::of_text(text),
                                                           std::numeric_limits<std::size_t>::max());
        if (single("SELECT " + literal, false) != text) std::abort();
    }
    return 0;
}
