// Parameter text and result decoding for the PostgreSQL driver.
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

// Type OIDs from pg_type.h; they are fixed for built-in types.
enum : pqxx::oid {
    bool_oid = 16,
    bytea_oid = 17,
    int8_oid = 20,
    int2_oid = 21,
    int4_oid = 23,
    float4_oid = 700,
    float8_oid = 701,
    date_oid = 1082,
    timestamp_oid = 1114,
    timestamptz_oid = 1184,
    numeric_oid = 1700,
    uuid_oid = 2950,
};

enum class decoder : std::uint8_t {
    integer,
    real,
    numeric,
    boolean,
    blob,
    timestamp,
    date,
    uuid,
    text
};

decoder decoder_for(pqxx::oid type) {
    switch (type) {
    case int2_oid:
    case int4_oid:
    case int8_oid:
        return decoder::integer;
    case float4_oid:
    case float8_oid:
        return decoder::real;
    case numeric_oid:
        return decoder::numeric;
    case bool_oid:
        return decoder::boolean;
    case bytea_oid:
        return decoder::blob;
    case timestamp_oid:
    case timestamptz_oid:
        return decoder::timestamp;
    case date_oid:
        return decoder::date;
    case uuid_oid:
        return decoder::uuid;
    default:
        return decoder::text;
    }
}

[[noreturn]] void unreadable(std::string_view text, std::string_view column, std::string_view as) {
    throw conversion_error("column '" + std::string(column) + "': cannot read '" +
                           std::string(text.substr(0, 80)) + "' as " + std::string(as));
}

template <class Number>
Number parse_number(std::string_view text, std::string_view column, std::string_view as) {
    Number v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) unreadable(text, column, as);
    return v;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// bytea arrives as "\x0aff..." (bytea_output = hex, the default since PostgreSQL 9.0);
// the older escape format goes through libpq's own unescaping.
blob decode_bytea(const pqxx::field& f, std::string_view column) {
    const std::string_view text(f.c_str(), f.size());
    if (!text.starts_with("\\x")) {
        const pqxx::binarystring raw(f);
        const auto* p = reinterpret_cast<const std::byte*>(raw.data());
        return blob(p, p + raw.size());
    }
    if (text.size() % 2 != 0) unreadable(text, column, "bytea");
    blob out(text.size() / 2 - 1);
    for (std::size_t i = 2, o = 0; i < text.size(); i += 2, ++o) {
        const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) unreadable(text, column, "bytea");
        out[o] = static_cast<std::byte>(hi * 16 + lo);
    }
    return out;
}

// A timestamp or date tabella cannot hold ('infinity', '-infinity', BC, years past 9999)
// stays text: the row is read, and as<timestamp>() or as<year_month_day>() of that one cell
// throws the conversion_error that says why, so that a query that does not convert the
// cell still works.
template <class Parse>
value time_or_text(std::string_view text, Parse parse) {
    try {
        return value(parse(text));
    } catch (const conversion_error&) {
        return value(std::string(text));
    }
}

value decode(decoder d, const pqxx::field& f, std::string_view column) {
    if (f.is_null()) return value();
    const std::string_view text(f.c_str(), f.size());
    switch (d) {
    case decoder::integer:
        return value(parse_number<std::int64_t>(text, column, "an integer"));
    case decoder::real:
        return value(parse_number<double>(text, column, "a real"));
    case decoder::numeric: { // without a fraction (SUM of bigints) and in range: an integer
        std::int64_t whole = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
        if (ec == std::errc{} && end == text.data() + text.size()) return value(whole);
        return value(parse_number<double>(text, column, "a real"));
    }
    case decoder::boolean:
        return value(text == "t");
    case decoder::blob:
        return value(decode_bytea(f, column));
    case decoder::timestamp:
        return time_or_text(text, parse_timestamp);
    case decoder::date:
        return time_or_text(text, parse_date);
    case decoder::uuid:
        return value(uuid::parse(text));
    case decoder::text:
        break;
    }
    return value(std::string(text));
}

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

namespace {

// The decoder of each column of `r`; names `out`'s columns when it has none yet.
std::vector<decoder> decoders_of(const pqxx::result& r, row_buffer& out,
                                 std::vector<std::string>& names) {
    const auto width = r.columns();
    std::vector<decoder> decoders;
    decoders.reserve(width);
    for (pqxx::row_size_type c = 0; c < width; ++c) {
        decoders.push_back(decoder_for(r.column_type(c)));
        names.emplace_back(r.column_name(c));
    }
    if (out.columns.empty()) out.columns = names;
    return decoders;
}

} // namespace

void read_postgres_rows(const pqxx::result& r, row_buffer& out) {
    // One batch that never fills: every row stays in `out`.
    read_postgres_rows(r, out, std::numeric_limits<std::size_t>::max(), [](row_buffer&) {});
}

void read_postgres_rows(const pqxx::result& r, row_buffer& out, std::size_t batch,
                        const std::function<void(row_buffer&)>& sink) {
    std::vector<std::string> names;
    const auto decoders = decoders_of(r, out, names);
    const auto width = r.columns();
    const std::size_t rows = r.size();
    const std::size_t first_batch = std::min<std::size_t>(rows, std::max<std::size_t>(batch, 1));
    out.cells.reserve(out.cells.size() + first_batch * width);
    std::size_t in_batch = 0;
    for (const auto& row : r) {
        for (pqxx::row_size_type c = 0; c < width; ++c)
            out.cells.push_back(decode(decoders[c], row[c], names[c]));
        if (++in_batch < batch) continue;
        sink(out);
        out.cells.clear();
        in_batch = 0;
    }
    if (in_batch) sink(out);
}

} // namespace tabella::detail
