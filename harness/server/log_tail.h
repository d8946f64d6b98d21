// Reads the end of a captured server log for error messages and reports.
#pragma once

#include <cstddef>
#include <string>

namespace conformance::server {

// The last `lines` lines of the file (at most the last 64 KiB are read); empty if the file
// cannot be read.
std::string ReadLogTail(const std::string& path, size_t lines);

// Indents every line of `text` by `indent`, for nesting a log tail in a message.
std::string IndentLines(const std::string& text, const std::string& indent);

}  // namespace conformance::server
