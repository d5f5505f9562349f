// Parameter text for the PostgreSQL driver: bound values and COPY fields.
#include "postgres_values.hpp"

#include "tabella/detail/timestamp_text.hpp"
#include "tabella/detail/utf8.hpp"
#include "tabella/error.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace tabella::detail {
namespace {

std::string real_text(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    // Shortest text that reads back as exactly the same double.
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, end);
}

std::string bytea_text(const param_ref& p) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 + 2 * p.size);
    out += "\\x";
    const auto* bytes = static_cast<const unsigned char*>(p.data);
    for (std::size_t i = 0; i < p.size; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0f];
    }
    return out;
}

} // namespace

void check_postgres_params(std::span<const param_ref> params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        if (p.kind == value_kind::timestamp)
            check_timestamp_range(p.integer, "parameter " + std::to_string(i + 1));
        if (p.kind == value_kind::date)
            check_date_range(p.integer, "parameter " + std::to_string(i + 1));
        if (p.kind != value_kind::text) continue;
        if (p.size && std::memchr(p.data, 0, p.size))
            throw conversion_error("parameter " + std::to_string(i + 1) +
                                   ": PostgreSQL text cannot hold a NUL byte (store binary "
                                   "data as a blob)");
        check_text_parameter(p.text(), i + 1); // the same refusal on every driver
    }
}

std::string postgres_param_text(const param_ref& p) {
    switch (p.kind) {
    case value_kind::null:
        return {};
    case value_kind::integer:
        return std::to_string(p.integer);
    case value_kind::real:
        return real_text(p.real);
    case value_kind::boolean:
        return p.integer ? "t" : "f";
    case value_kind::text:
        return std::string(p.text());
    case value_kind::blob:
        return bytea_text(p);
    case value_kind::timestamp:
        check_timestamp_range(p.integer);
        return format_timestamp(p.integer) + "+00";
    case value_kind::uuid:
        return p.uuid_value().to_string();
    case value_kind::date:
        check_date_range(p.integer);
        return format_date(p.integer);
    }
    return {};
}

namespace {

void append_copy_escaped(std::string& line, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '\\':
            line += "\\\\";
            break;
        case '\t':
            line += "\\t";
            break;
        case '\n':
            line += "\\n";
            break;
        case '\r':
            line += "\\r";
            break;
        default:
            line += c;
        }
    }
}

} // namespace

// One field of a COPY text line: \N for NULL, else the parameter's text form with
// backslash, tab, newline and carriage return escaped. Integers and text (nearly every
// value) are written straight into the line, without a string of their own.
void append_copy_field(std::string& line, const param_ref& p) {
    switch (p.kind) {
    case value_kind::null:
        line += "\\N";
        return;
    case value_kind::integer: {
        char buf[24];
        const auto end = std::to_chars(buf, buf + sizeof buf, p.integer).ptr;
        line.append(buf, end);
        return;
    }
    case value_kind::text:
        append_copy_escaped(line, p.text());
        return;
    default:
        append_copy_escaped(line, pqxx::string_traits<param_ref>::to_string(p));
    }
}

} // namespace tabella::detail
