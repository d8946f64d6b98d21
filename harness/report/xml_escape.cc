#include "harness/report/xml_escape.h"

#include <fmt/format.h>

#include "harness/report/utf8.h"

namespace conformance::report {
namespace {

enum class Context { kText, kAttribute, kCData };

// Renders text under the XML 1.0 Char production, escaping as `context` requires.
std::string Render(std::string_view text, Context context) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    pos += c.length;
    if (!c.valid || c.code_point == 0xFFFE || c.code_point == 0xFFFF) {
      AppendUtf8(kReplacementChar, &out);
      continue;
    }
    const char32_t cp = c.code_point;
    const bool whitespace = cp == '\t' || cp == '\n' || cp == '\r';
    if (cp < 0x20 && !whitespace) {
      out += fmt::format("\\x{:02x}", static_cast<uint32_t>(cp));
      continue;
    }
    if (context != Context::kCData) {
      switch (cp) {
        case '&': out += "&amp;"; continue;
        case '<': out += "&lt;"; continue;
        case '>': out += "&gt;"; continue;
        case '\r': out += "&#13;"; continue;
        default: break;
      }
    }
    if (context == Context::kAttribute) {
      switch (cp) {
        case '"': out += "&quot;"; continue;
        case '\'': out += "&apos;"; continue;
        case '\t': out += "&#9;"; continue;
        case '\n': out += "&#10;"; continue;
        default: break;
      }
    }
    AppendUtf8(cp, &out);
  }
  return out;
}

}  // namespace

std::string XmlText(std::string_view text) { return Render(text, Context::kText); }

std::string XmlAttribute(std::string_view text) { return Render(text, Context::kAttribute); }

std::string XmlCData(std::string_view text) {
  const std::string safe = Render(text, Context::kCData);
  std::string out = "<![CDATA[";
  size_t start = 0;
  for (size_t end = safe.find("]]>"); end != std::string::npos; end = safe.find("]]>", start)) {
    // Close after "]]" and reopen before ">": the parser joins the pieces back into "]]>".
    out.append(safe, start, end + 2 - start);
    out += "]]><![CDATA[";
    start = end + 2;
  }
  out.append(safe, start);
  out += "]]>";
  return out;
}

}  // namespace conformance::report
