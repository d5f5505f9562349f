// UTF-8 validation of text parameters, so every driver refuses the same bad input.
#pragma once

#include "tabella/export.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace tabella::detail {

/// The byte offset of the first invalid UTF-8 sequence in `text`, or nullopt when valid
/// (overlong forms, surrogates and code points above U+10FFFF are invalid).
[[nodiscard]] TABELLA_EXPORT std::optional<std::size_t>
find_invalid_utf8(std::string_view text) noexcept;

/// Throws conversion_error when text parameter `index` (1-based) is not valid UTF-8.
TABELLA_EXPORT void check_text_parameter(std::string_view text, std::size_t index);

} // namespace tabella::detail
