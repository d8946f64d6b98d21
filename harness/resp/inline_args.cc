#include "harness/resp/inline_args.h"

namespace conformance::resp {
namespace {

// isspace() in the C locale: skips whitespace between words and must follow a closing quote.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Ends an unquoted word. Redis uses a narrower set here than between words: \v and \f stay.
bool EndsBareWord(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char UnescapeDoubleQuoted(char c) {
  switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return c;
  }
}

}  // namespace

long SplitInlineArgs(std::string_view line, std::vector<std::string>* words, size_t* error_at) {
  // Redis splits a C string, so a NUL byte ends the line.
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  const size_t len = line.size();
  size_t i = 0;
  long count = 0;
  for (;;) {
    while (i < len && IsSpace(line[i])) ++i;
    if (i == len) return count;
    if (static_cast<size_t>(count) == words->size()) words->emplace_back();
    std::string& word = (*words)[count++];
    word.clear();
    enum { kBare, kDouble, kSingle } mode = kBare;
    for (bool done = false; !done;) {
      if (mode == kBare) {
        if (i == len || EndsBareWord(line[i])) break;
        if (line[i] == '"') {
          mode = kDouble;
        } else if (line[i] == '\'') {
          mode = kSingle;
        } else {
          word.push_back(line[i]);
        }
        ++i;
        continue;
      }
      if (i == len) {  // the line ended inside quotes
        *error_at = i;
        return -1;
      }
      const char c = line[i];
      if (mode == kDouble && c == '\\' && i + 3 < len && line[i + 1] == 'x' &&
          HexValue(line[i + 2]) >= 0 && HexValue(line[i + 3]) >= 0) {
        word.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
        i += 4;
      } else if (mode == kDouble && c == '\\' && i + 1 < len) {
        word.push_back(UnescapeDoubleQuoted(line[i + 1]));
        i += 2;
      } else if (mode == kSingle && c == '\\' && i + 1 < len && line[i + 1] == '\'') {
        word.push_back('\'');
        i += 2;
      } else if ((mode == kDouble && c == '"') || (mode == kSingle && c == '\'')) {
        if (i + 1 < len && !IsSpace(line[i + 1])) {
          *error_at = i + 1;
          return -1;
        }
        ++i;
        done = true;
      } else {
        word.push_back(c);
        ++i;
      }
    }
  }
}

void AppendInlineWord(std::string* out, std::string_view word, bool quote) {
  bool bare = !quote && !word.empty();
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\'') {
      bare = false;
      break;
    }
  }
  if (bare) {
    out->append(word);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '"': out->append("\\\""); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\a': out->append("\\a"); break;
      case '\b': out->append("\\b"); break;
      default:
        if (u < 0x20 || u >= 0x7f) {
          out->append("\\x");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace conformance::resp
