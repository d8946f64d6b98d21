#include "harness/common/escape.h"

#include <fmt/format.h>

namespace conformance {

std::string EscapeBytes(std::string_view bytes, size_t max_chars) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_chars) + 8);
  size_t i = 0;
  for (; i < bytes.size() && out.size() < max_chars; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  if (i < bytes.size()) out += fmt::format("...({} more bytes)", bytes.size() - i);
  return out;
}

}  // namespace conformance
