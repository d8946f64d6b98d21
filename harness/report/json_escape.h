// JSON string and number literals that are valid whatever the input bytes (RFC 8259).
#pragma once

#include <string>
#include <string_view>

namespace conformance::report {

// Appends `text` as a quoted JSON string. Control characters become \n, \t, ... or \u00XX, DEL
// and U+2028/U+2029 are escaped too (so the output is also safe to paste into JavaScript), and
// each byte that is not part of valid UTF-8 becomes \ufffd. Valid non-ASCII text is kept as is.
void AppendJsonString(std::string_view text, std::string* out);
std::string JsonString(std::string_view text);

// A number with millisecond precision ("1.234"), or null when it is NaN or infinite, which
// JSON cannot express.
std::string JsonSeconds(double seconds);

}  // namespace conformance::report
