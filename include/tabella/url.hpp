// Database URLs in SQLAlchemy's shape: sqlite:///file.db, postgresql://user:pass@host/db.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tabella {

/// A parsed database URL. User and password are percent-decoded.
struct url {
    std::string scheme; ///< "sqlite", "postgresql" ("postgres" is normalised to it) or "mariadb"
    std::string user;
    std::string password;
    std::string host;
    std::optional<int> port;
    /// sqlite: the file path ("" for an in-memory database); otherwise the database name.
    std::string database;
    std::map<std::string, std::string, std::less<>> query; ///< ?key=value options, decoded

    /// True for `sqlite://` and `sqlite:///:memory:`.
    [[nodiscard]] bool is_memory() const noexcept;
    /// The URL with the password replaced by "***": safe to print.
    [[nodiscard]] std::string masked() const;
};

/// Parses `text`. Throws usage_error, quoting the URL with its password masked, when the
/// URL is malformed or names an unknown scheme.
[[nodiscard]] url parse_url(std::string_view text);

} // namespace tabella
