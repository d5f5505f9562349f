// Echo formatting: statements, abbreviated parameter lists, COMMIT / ROLLBACK.
#include "tabella/detail/echo.hpp"

#include "tabella/detail/driver.hpp"

#include "tabella/detail/timestamp_text.hpp"

#include <iostream>

namespace tabella::detail {

std::string format_param(const param_ref& p, std::size_t max_text) {
    switch (p.kind) {
    case value_kind::null:
        return "NULL";
    case value_kind::integer:
        return std::to_string(p.integer);
    case value_kind::real: {
        std::string s = std::to_string(p.real);
        // to_string gives 6 decimals; trim trailing zeros but keep one digit after '.'
        while (s.size() > 2 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
        return s;
    }
    case value_kind::boolean:
        return p.integer != 0 ? "1" : "0";
    case value_kind::blob:
        return "<blob " + std::to_string(p.size) + " bytes>";
    case value_kind::timestamp:
        return '\'' + format_timestamp(p.integer) + '\'';
    case value_kind::uuid:
        return '\'' + p.uuid_value().to_string() + '\'';
    case value_kind::date:
        return '\'' + format_date(p.integer) + '\'';
    case value_kind::text:
        break;
    }
    const std::string_view text = p.text();
    std::string out = "'";
    const bool cut = text.size() > max_text;
    for (const char c : cut ? text.substr(0, max_text) : text) {
        if (c == '\'') out += '\'';
        if (c == '\0') {
            out += "\\0";
            continue;
        }
        out += c;
    }
    out += cut ? "' ... (" + std::to_string(text.size()) + " characters)" : "'";
    return out;
}

echo_log::echo_log(bool enabled, sink s, std::size_t max_params, std::size_t max_text)
    : enabled_(enabled), sink_(std::move(s)), max_params_(max_params ? max_params : 1),
      max_text_(max_text) {
    if (enabled_ && !sink_) sink_ = [](std::string_view line) { std::clog << line << '\n'; };
}

void echo_log::emit(std::string_view line) const {
    std::lock_guard lock(mutex_);
    sink_(line);
}

void echo_log::line(std::string_view text) const {
    if (enabled_) emit(text);
}

void echo_log::append_tuple(std::string& out, std::span<const param_ref> params) const {
    out += '(';
    const std::size_t n = params.size();
    // Show the head and the tail of a long list, and say how many were left out.
    const std::size_t head = n > max_params_ ? (max_params_ + 1) / 2 : n;
    const std::size_t tail = n > max_params_ ? max_params_ / 2 : 0;
    for (std::size_t i = 0; i < head; ++i) {
        if (i) out += ", ";
        out += format_param(params[i], max_text_);
    }
    if (n > max_params_)
        out += " ... " + std::to_string(n - head - tail) + " parameters truncated ...";
    for (std::size_t i = n - tail; i < n; ++i) {
        out += ", ";
        out += format_param(params[i], max_text_);
    }
    if (n == 1) out += ',';
    out += ')';
}

void echo_log::params(std::span<const param_ref> params) const {
    if (!enabled_) return;
    std::string out;
    append_tuple(out, params);
    emit(out);
}

void echo_log::param_sets(std::span<const param_ref> flat, std::size_t per_set) const {
    if (!enabled_) return;
    const std::size_t sets = per_set ? flat.size() / per_set : 0;
    const std::size_t shown = sets > max_params_ ? 2 : sets;
    std::string out = "[";
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        append_tuple(out, flat.subspan(i * per_set, per_set));
    }
    if (shown < sets)
        out += " ... displaying " + std::to_string(shown) + " of " + std::to_string(sets) +
               " total bound parameter sets ...";
    out += ']';
    emit(out);
}

} // namespace tabella::detail

namespace tabella::detail {

void driver_connection::echo_statement(std::string_view sql,
                                       std::span<const param_ref> params) const {
    if (!echo_ || !echo_->enabled()) return;
    echo_->line(sql);
    if (!params.empty()) echo_->params(params);
}

} // namespace tabella::detail
