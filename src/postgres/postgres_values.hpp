// Values across the PostgreSQL boundary: parameters sent as text, results decoded by the
// type OID of their column.
#pragma once

#include "tabella/detail/driver.hpp"

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/strconv>

#include <functional>
#include <span>
#include <string>

namespace tabella::detail {

/// Throws conversion_error when a parameter cannot be sent: text that is not UTF-8, or
/// holds a NUL byte (PostgreSQL text cannot; libpq would cut the value there), a timestamp
/// or date outside years 1 to 9999. Called before anything is sent.
void check_postgres_params(std::span<const param_ref> params);

/// The text form of a non-NULL parameter, as PostgreSQL's input functions read it:
/// shortest round-trip reals, t/f, \x-hex bytea, UTC timestamps with "+00", canonical
/// uuids, dates as YYYY-MM-DD. Throws conversion_error for a timestamp or date outside
/// years 1 to 9999.
[[nodiscard]] std::string postgres_param_text(const param_ref& p);

/// Appends one field of a COPY text line: \N for NULL, else the value's text with
/// backslash, tab, newline and carriage return escaped.
void append_copy_field(std::string& line, const param_ref& p);

/// Appends the rows of `r` to `out` (and the column names when `out` has none yet).
/// int2/4/8 -> integer, float4/8 and numeric -> real, bool -> boolean, bytea -> blob,
/// timestamp(tz) -> timestamp, date -> date, uuid -> uuid, NULL -> null, anything else ->
/// text; so are timestamps and dates outside years 1 to 9999 ('infinity'), whose
/// conversion then fails when it is asked for.
void read_postgres_rows(const pqxx::result& r, row_buffer& out);
/// The rows of `r` decoded into `out` a batch of `batch` rows at a time, each batch handed
/// to `sink` and then emptied.
void read_postgres_rows(const pqxx::result& r, row_buffer& out, std::size_t batch,
                        const std::function<void(row_buffer&)>& sink);
/// Hands each row of `r` to `sink` as views of the result's text.
void read_postgres_rows(const pqxx::result& r, row_sink& sink);

} // namespace tabella::detail

/// Lets libpqxx marshal tabella's parameter views directly (prepare::make_dynamic_params).
template <>
struct pqxx::string_traits<tabella::param_ref> {
    static constexpr const char* name() noexcept { return "tabella::param_ref"; }
    static constexpr bool has_null() noexcept { return true; }
    static bool is_null(const tabella::param_ref& p) noexcept {
        return p.kind == tabella::value_kind::null;
    }
    static tabella::param_ref null() noexcept { return {}; }
    static void from_string(const char[], tabella::param_ref&) = delete;
    static std::string to_string(const tabella::param_ref& p) {
        return tabella::detail::postgres_param_text(p);
    }
};
