// A strict UTF-8 decoder for the report writers. Reports carry text the harness does not control
// (server logs, reasons quoting received bytes), so every renderer walks its input with this and
// decides per code point or per invalid byte what to emit; the output is then always valid.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace conformance::report {

// U+FFFD REPLACEMENT CHARACTER, what JSON and XML emit for a byte that is not UTF-8.
inline constexpr char32_t kReplacementChar = 0xFFFD;

struct Utf8Char {
  char32_t code_point = 0;  // meaningful only when valid
  size_t length = 1;        // bytes consumed; 1 for an invalid byte
  bool valid = false;
};

// Decodes the character starting at text[pos] (pos < text.size()). Overlong forms, surrogates,
// values above U+10FFFF and truncated sequences are invalid; then only the first byte is
// consumed, so the caller can resynchronise on the next one.
Utf8Char DecodeUtf8(std::string_view text, size_t pos);

// Appends the UTF-8 encoding of a valid code point (not a surrogate, at most U+10FFFF).
void AppendUtf8(char32_t code_point, std::string* out);

}  // namespace conformance::report
