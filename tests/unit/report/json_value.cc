#include "tests/unit/report/json_value.h"

#include <cstdio>
#include <cstdlib>

#include "harness/report/utf8.h"

namespace conformance::report::testing {
namespace {

constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::optional<JsonValue> Document(std::string* error) {
    SkipSpace();
    std::optional<JsonValue> value = Value(0);
    SkipSpace();
    if (value && pos_ != text_.size()) Fail("trailing bytes");
    if (!error_.empty()) {
      *error = "offset " + std::to_string(pos_) + ": " + error_;
      return std::nullopt;
    }
    return value;
  }

 private:
  std::nullopt_t Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return std::nullopt;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::optional<JsonValue> Value(int depth) {
    if (depth > kMaxDepth) return Fail("too deep");
    if (AtEnd()) return Fail("unexpected end");
    const char c = Peek();
    if (c == '{') return Object(depth);
    if (c == '[') return Array(depth);
    if (c == '"') {
      std::optional<std::string> s = String();
      if (!s) return std::nullopt;
      return JsonValue{.value = std::move(*s)};
    }
    if (Literal("null")) return JsonValue{.value = nullptr};
    if (Literal("true")) return JsonValue{.value = true};
    if (Literal("false")) return JsonValue{.value = false};
    return Number();
  }

  std::optional<JsonValue> Number() {
    const size_t start = pos_;
    const auto digits = [this] {
      const size_t from = pos_;
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
      return pos_ - from;
    };
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (digits() == 0) {
      return Fail("bad value");
    }
    if (Peek() == '.') {
      ++pos_;
      if (digits() == 0) return Fail("bad fraction");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (digits() == 0) return Fail("bad exponent");
    }
    const std::string literal(text_.substr(start, pos_ - start));
    return JsonValue{.value = std::strtod(literal.c_str(), nullptr), .number_text = literal};
  }

  std::optional<unsigned> Hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= c - '0';
      else if (c >= 'a' && c <= 'f')
        value |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        value |= c - 'A' + 10;
      else
        return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> String() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (AtEnd()) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) return Fail("raw control character in string");
      if (c != '\\') {
        const Utf8Char decoded = DecodeUtf8(text_, pos_);
        if (!decoded.valid) return Fail("invalid UTF-8 in string");
        out.append(text_.substr(pos_, decoded.length));
        pos_ += decoded.length;
        continue;
      }
      ++pos_;
      const char escape = Peek();
      ++pos_;
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::optional<unsigned> unit = Hex4();
          if (!unit) return Fail("bad \\u escape");
          char32_t cp = *unit;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (!Literal("\\u")) return Fail("lone high surrogate");
            std::optional<unsigned> low = Hex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF) {
              return Fail("bad low surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
          }
          AppendUtf8(cp, &out);
          break;
        }
        default: return Fail("bad escape");
      }
    }
  }

  std::optional<JsonValue> Array(int depth) {
    ++pos_;
    auto array = std::make_shared<JsonArray>();
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return JsonValue{.value = array};
    }
    while (true) {
      SkipSpace();
      std::optional<JsonValue> element = Value(depth + 1);
      if (!element) return std::nullopt;
      array->push_back(std::move(*element));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() == ']') {
        ++pos_;
        return JsonValue{.value = array};
      } else {
        return Fail("expected , or ]");
      }
    }
  }

  std::optional<JsonValue> Object(int depth) {
    ++pos_;
    auto object = std::make_shared<JsonObject>();
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return JsonValue{.value = object};
    }
    while (true) {
      SkipSpace();
      if (Peek() != '"') return Fail("expected key");
      std::optional<std::string> key = String();
      if (!key) return std::nullopt;
      SkipSpace();
      if (Peek() != ':') return Fail("expected :");
      ++pos_;
      SkipSpace();
      std::optional<JsonValue> member = Value(depth + 1);
      if (!member) return std::nullopt;
      for (const auto& [existing, unused] : *object) {
        if (existing == *key) return Fail("duplicate key " + *key);
      }
      object->emplace_back(std::move(*key), std::move(*member));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() == '}') {
        ++pos_;
        return JsonValue{.value = object};
      } else {
        return Fail("expected , or }");
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const JsonValue& JsonValue::operator[](std::string_view key) const {
  for (const auto& [name, member] : object()) {
    if (name == key) return member;
  }
  // A test bug, not a report bug: name the key and stop rather than read garbage.
  std::fprintf(stderr, "json_value: no member \"%.*s\"\n", static_cast<int>(key.size()),
               key.data());
  std::abort();
}

bool JsonValue::Has(std::string_view key) const {
  for (const auto& [name, member] : object()) {
    if (name == key) return true;
  }
  return false;
}

std::vector<std::string> JsonValue::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [name, member] : object()) keys.push_back(name);
  return keys;
}

std::optional<JsonValue> ParseJson(std::string_view text, std::string* error) {
  return Parser(text).Document(error);
}

}  // namespace conformance::report::testing
