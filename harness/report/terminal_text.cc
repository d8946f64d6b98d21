#include "harness/report/terminal_text.h"

#include <fmt/format.h>

#include "harness/report/utf8.h"

namespace conformance::report {
namespace {

std::string Render(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    if (!c.valid) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[pos]));
    } else if (c.code_point == '\n' && !keep_newlines) {
      out += "\\n";
    } else if (const char32_t cp = c.code_point;
               (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F)) {
      out += fmt::format("\\x{:02x}", static_cast<uint32_t>(cp));
    } else {
      out.append(text, pos, c.length);
    }
    pos += c.length;
  }
  return out;
}

}  // namespace

std::string TerminalSafe(std::string_view text) { return Render(text, /*keep_newlines=*/true); }

std::string TerminalSafeLine(std::string_view text) {
  return Render(text, /*keep_newlines=*/false);
}

}  // namespace conformance::report
