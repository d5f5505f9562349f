// Backend URLs for the behaviour suite.
#include "backends.hpp"

#include <atomic>
#include <cstdlib>
#include <unistd.h>

namespace tabella::testing {

std::string sqlite_file::url() {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tabella-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / ("db" + std::to_string(counter++) + ".sqlite");
    std::filesystem::remove(file);
    return "sqlite:///" + file.string(); // absolute path: sqlite:////tmp/...
}

std::string postgres::url() {
    const char* dsn = std::getenv("TABELLA_TEST_POSTGRES_DSN");
    const char* required = std::getenv("TABELLA_REQUIRE_POSTGRES");
    if (dsn && *dsn) return dsn;
    if (required && std::string(required) == "1")
        ADD_FAILURE() << "TABELLA_REQUIRE_POSTGRES=1 but TABELLA_TEST_POSTGRES_DSN is not set";
    return {};
}

} // namespace tabella::testing
