// Printable renderings of wire bytes for verdicts and transcripts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace conformance {

// Escapes bytes the way a server author reads them: printable ASCII as is, \r \n \t \\ \"
// and \xNN for the rest. Output longer than max_chars is cut and ends in "...(N more bytes)".
std::string EscapeBytes(std::string_view bytes, size_t max_chars = 512);

}  // namespace conformance
