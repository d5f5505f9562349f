// libpq connection strings built from tabella URLs, and keeping passwords out of messages.
// Pure string work: no libpqxx here, so it is unit-tested without a server.
#pragma once

#include <string>
#include <string_view>

namespace tabella {
struct url;
}

namespace tabella::detail {

/// The libpq conninfo string for `u`: user, password, host, port and database, then every
/// ?key=value query option as a libpq keyword (sslmode, options, connect_timeout...), each
/// value single-quoted and escaped. client_encoding defaults to UTF8. Throws usage_error,
/// naming the masked URL, for a query key that cannot be a libpq keyword.
[[nodiscard]] std::string postgres_conninfo(const url& u);

/// `text` with every occurrence of the URL's password (and of a ?password= option)
/// replaced by "***".
[[nodiscard]] std::string hide_password(std::string text, const url& u);

/// A libpq or server message made fit for one line of an exception message: runs of
/// whitespace (libpq's newlines and tabs) become one space, the password is hidden.
[[nodiscard]] std::string clean_message(std::string_view message, const url& u);

/// The URL as error messages name it: url::masked(), also hiding a ?password= option.
[[nodiscard]] std::string postgres_url_for_messages(const url& u);

} // namespace tabella::detail
