// Result decoding for the PostgreSQL driver: each text cell of a result read as a view of
// the kind its column type says, without copying text out of the result.
#include "postgres_values.hpp"

#include "tabella/detail/timestamp_text.hpp"
#include "tabella/error.hpp"

#include <charconv>
#include <limits>
#include <string>
#include <vector>

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

// What a row's views may point at besides the result: its decoded bytea and UUIDs, a slot
// per column.
struct row_scratch {
    explicit row_scratch(std::size_t width) : blobs(width), uuids(width) {}
    std::vector<blob> blobs;
    std::vector<uuid> uuids;
};

// A timestamp or date tabella cannot hold ('infinity', '-infinity', BC, years past 9999)
// stays text: the row is read, and as<timestamp>() or as<year_month_day>() of that one cell
// throws the conversion_error that says why, so that a query that does not convert the
// cell still works.
template <class Parse, class View>
param_ref time_or_text(std::string_view text, Parse parse, View view) {
    try {
        return view(parse(text));
    } catch (const conversion_error&) {
        return param_ref::of_text(text);
    }
}

// Cell `c` of a row, viewing the result's text (or `scratch`): valid while both live.
param_ref view_cell(decoder d, const pqxx::field& f, std::string_view column, std::size_t c,
                    row_scratch& scratch) {
    if (f.is_null()) return param_ref::of_null();
    const std::string_view text(f.c_str(), f.size());
    switch (d) {
    case decoder::integer:
        return param_ref::of_integer(parse_number<std::int64_t>(text, column, "an integer"));
    case decoder::real:
        return param_ref::of_real(parse_number<double>(text, column, "a real"));
    case decoder::numeric: { // without a fraction (SUM of bigints) and in range: an integer
        std::int64_t whole = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
        if (ec == std::errc{} && end == text.data() + text.size())
            return param_ref::of_integer(whole);
        return param_ref::of_real(parse_number<double>(text, column, "a real"));
    }
    case decoder::boolean:
        return param_ref::of_boolean(text == "t");
    case decoder::blob:
        scratch.blobs[c] = decode_bytea(f, column);
        return param_ref::of_blob(scratch.blobs[c].data(), scratch.blobs[c].size());
    case decoder::timestamp:
        return time_or_text(text, parse_timestamp, param_ref::of_timestamp);
    case decoder::date:
        return time_or_text(text, parse_date, param_ref::of_date);
    case decoder::uuid:
        scratch.uuids[c] = uuid::parse(text);
        return param_ref::of_uuid(scratch.uuids[c]);
    case decoder::text:
        break;
    }
    return param_ref::of_text(text);
}

// The columns of `r`: how each is decoded, and its name.
struct result_columns {
    explicit result_columns(const pqxx::result& r) {
        const auto width = r.columns();
        decoders.reserve(width);
        names.reserve(width);
        for (pqxx::row_size_type c = 0; c < width; ++c) {
            decoders.push_back(decoder_for(r.column_type(c)));
            names.emplace_back(r.column_name(c));
        }
    }
    [[nodiscard]] std::size_t size() const noexcept { return decoders.size(); }

    std::vector<decoder> decoders;
    std::vector<std::string> names;
};

// Calls `each` with the views of every row of `r`, in order. The cells are reached through
// the iterators' operator-> (libpqxx 6.4's iterators are the row and the field they point
// at): a row[c] or *iterator copies the result handle (two reference counts) every time.
template <class Each>
void view_rows(const pqxx::result& r, const result_columns& columns, Each&& each) {
    const std::size_t width = columns.size();
    row_scratch scratch(width);
    std::vector<param_ref> cells(width);
    const auto end = r.end();
    for (auto row = r.begin(); row != end; ++row) {
        auto field = row->begin();
        for (std::size_t c = 0; c < width; ++c, ++field)
            cells[c] =
                view_cell(columns.decoders[c], *field.operator->(), columns.names[c], c, scratch);
        each(std::span<const param_ref>(cells));
    }
}

} // namespace

void read_postgres_rows(const pqxx::result& r, row_buffer& out) {
    // One batch that never fills: every row stays in `out`.
    read_postgres_rows(r, out, std::numeric_limits<std::size_t>::max(), [](row_buffer&) {});
}

void read_postgres_rows(const pqxx::result& r, row_buffer& out, std::size_t batch,
                        const std::function<void(row_buffer&)>& sink) {
    const result_columns columns(r);
    if (out.columns.empty()) out.columns = columns.names;
    const std::size_t first_batch =
        std::min<std::size_t>(r.size(), std::max<std::size_t>(batch, 1));
    out.cells.reserve(out.cells.size() + first_batch * columns.size());
    std::size_t in_batch = 0;
    view_rows(r, columns, [&](std::span<const param_ref> cells) {
        for (const auto& cell : cells) out.cells.push_back(value::from_ref(cell));
        if (++in_batch < batch) return;
        sink(out);
        out.cells.clear();
        in_batch = 0;
    });
    if (in_batch) sink(out);
}

void read_postgres_rows(const pqxx::result& r, row_sink& sink) {
    view_rows(r, result_columns(r), [&](std::span<const param_ref> cells) { sink.row(cells); });
}

} // namespace tabella::detail
