// libpq connection strings from URLs; passwords hidden in every message the driver makes.
#include "postgres_conninfo.hpp"

#include "tabella/error.hpp"
#include "tabella/url.hpp"

#include <algorithm>

namespace tabella::detail {
namespace {

// libpq's conninfo syntax: keyword = 'value', with \ and ' escaped by a backslash.
void append_keyword(std::string& out, std::string_view key, std::string_view value) {
    if (!out.empty()) out += ' ';
    out.append(key);
    out += "='";
    for (const char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    out += '\'';
}

// libpq keywords are lower-case words; anything else could smuggle in other keywords.
bool is_keyword(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void replace_all(std::string& text, std::string_view secret) {
    if (secret.empty()) return;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
        text.replace(pos, secret.size(), "***");
}

} // namespace

std::string postgres_conninfo(const url& u) {
    std::string out;
    if (!u.host.empty()) append_keyword(out, "host", u.host);
    if (u.port) append_keyword(out, "port", std::to_string(*u.port));
    if (!u.user.empty()) append_keyword(out, "user", u.user);
    if (!u.password.empty()) append_keyword(out, "password", u.password);
    if (!u.database.empty()) append_keyword(out, "dbname", u.database);
    // tabella's text values are UTF-8 whatever the database's encoding is.
    if (!u.query.contains("client_encoding")) append_keyword(out, "client_encoding", "UTF8");
    // Later keywords win in libpq, so query options override the parts of the URL.
    for (const auto& [key, value] : u.query) {
        if (!is_keyword(key))
            throw usage_error("invalid database URL '" + postgres_url_for_messages(u) + "': '" +
                              hide_password(key, u) + "' is not a libpq connection keyword");
        append_keyword(out, key, value);
    }
    return out;
}

std::string hide_password(std::string text, const url& u) {
    replace_all(text, u.password);
    if (const auto it = u.query.find("password"); it != u.query.end())
        replace_all(text, it->second);
    return text;
}

std::string clean_message(std::string_view message, const url& u) {
    std::string out;
    out.reserve(message.size());
    bool space = false;
    for (const char c : message) {
        const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (blank && !out.empty()) space = true;
        if (blank) continue;
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return hide_password(std::move(out), u);
}

std::string postgres_url_for_messages(const url& u) {
    return hide_password(u.masked(), u);
}

} // namespace tabella::detail
