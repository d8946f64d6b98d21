#include "harness/report/json_escape.h"

#include <cmath>

#include <fmt/format.h>

#include "harness/report/utf8.h"

namespace conformance::report {

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Char c = DecodeUtf8(text, pos);
    pos += c.length;
    if (!c.valid) {
      *out += "\\ufffd";
      continue;
    }
    switch (c.code_point) {
      case '"': *out += "\\\""; continue;
      case '\\': *out += "\\\\"; continue;
      case '\b': *out += "\\b"; continue;
      case '\f': *out += "\\f"; continue;
      case '\n': *out += "\\n"; continue;
      case '\r': *out += "\\r"; continue;
      case '\t': *out += "\\t"; continue;
      default: break;
    }
    if (c.code_point < 0x20 || c.code_point == 0x7F || c.code_point == 0x2028 ||
        c.code_point == 0x2029) {
      *out += fmt::format("\\u{:04x}", static_cast<uint32_t>(c.code_point));
    } else {
      AppendUtf8(c.code_point, out);
    }
  }
  out->push_back('"');
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(text, &out);
  return out;
}

std::string JsonSeconds(double seconds) {
  if (!std::isfinite(seconds)) return "null";
  return fmt::format("{:.3f}", seconds);
}

}  // namespace conformance::report
