// Text for a terminal. Reasons and explanations quote what a server sent; printed raw, an escape
// sequence in them could recolour or rewrite the user's terminal.
#pragma once

#include <string>
#include <string_view>

namespace conformance::report {

// Keeps printable text, UTF-8 included, tabs and newlines; renders other control characters
// (C0, DEL, C1) and bytes that are not valid UTF-8 as \xNN.
std::string TerminalSafe(std::string_view text);
// TerminalSafe for text that must stay on one line (ids, one-line reasons): newlines are
// rendered as \n too.
std::string TerminalSafeLine(std::string_view text);

// SGR colours for verdict labels.
inline constexpr std::string_view kGreen = "\033[32m";
inline constexpr std::string_view kRed = "\033[31m";
inline constexpr std::string_view kYellow = "\033[33m";
inline constexpr std::string_view kMagenta = "\033[35m";
inline constexpr std::string_view kBold = "\033[1m";
inline constexpr std::string_view kReset = "\033[0m";

}  // namespace conformance::report
