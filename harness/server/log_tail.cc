#include "harness/server/log_tail.h"

#include <fstream>

namespace conformance::server {
namespace {

constexpr std::streamoff kMaxTailBytes = 64 * 1024;

}  // namespace

std::string ReadLogTail(const std::string& path, size_t lines) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in || lines == 0) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > kMaxTailBytes ? size - kMaxTailBytes : 0;
  in.seekg(start);
  std::string text(static_cast<size_t>(size - start), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  size_t pos = text.size();
  for (size_t seen = 0; pos > 0; --pos) {
    if (text[pos - 1] == '\n' && ++seen == lines) break;
  }
  return text.substr(pos);
}

std::string IndentLines(const std::string& text, const std::string& indent) {
  if (text.empty()) return indent + "(empty)";
  std::string out = indent;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

}  // namespace conformance::server
