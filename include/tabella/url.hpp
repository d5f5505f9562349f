// Database URLs in SQLAlchemy's shape: sqlite:///file.db, postgresql://user:pass@host/db.
#pragma once

#include "tabella/export.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tabella {

/// A parsed database URL. User and password are percent-decoded.
struct TABELLA_EXPORT url {
    std::string scheme; ///< the driver's canonical name for it ("postgres" -> "postgresql")
    std::string user;
    std::string password;
    std::string host;
    std::optional<int> port;
    /// The path after host and port: a file path or a database name, as the driver reads it.
    std::string database;
    std::map<std::string, std::string, std::less<>> query; ///< ?key=value options, decoded

    /// True when the URL names a database that lives in memory (`sqlite://`), as its
    /// driver says; false when no driver for the scheme is linked.
    [[nodiscard]] bool is_memory() const;
    /// The URL with the password replaced by "***": safe to print.
    [[nodiscard]] std::string masked() const;
};

/// Parses `text`. Throws usage_error, quoting the URL with its password masked, when the
/// URL is malformed or, for the scheme of a linked driver, has parts or options that the
/// driver does not accept. A scheme no linked driver names is kept as written
/// (create_engine then says that its driver is missing).
[[nodiscard]] TABELLA_EXPORT url parse_url(std::string_view text);

} // namespace tabella
