// Every SQLite keyword is quoted by both dialects (checked against SQLite's own list).
#include <tabella/dialect.hpp>
#include <tabella/postgres.hpp>
#include <tabella/sqlite.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace tabella {
namespace {

TEST(keywords, every_sqlite_keyword_is_quoted) {
    const int n = sqlite3_keyword_count();
    ASSERT_GT(n, 100);
    for (int i = 0; i < n; ++i) {
        const char* name = nullptr;
        int len = 0;
        ASSERT_EQ(sqlite3_keyword_name(i, &name, &len), SQLITE_OK);
        std::string word(name, static_cast<std::size_t>(len));
        std::transform(word.begin(), word.end(), word.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        EXPECT_EQ(sqlite_dialect().quote_identifier(word), "\"" + word + "\"") << word;
        EXPECT_EQ(postgresql_dialect().quote_identifier(word), "\"" + word + "\"") << word;
    }
}

} // namespace
} // namespace tabella
