#include "harness/resp/value.h"

#include <charconv>
#include <cmath>
#include <ostream>
#include <utility>

#include "harness/common/escape.h"

namespace conformance::resp {
namespace {

// Aggregates whose elements are key/value pairs.
bool IsPairAggregate(Type type) { return type == Type::kMap || type == Type::kAttribute; }

bool IsAggregate(Type type) {
  switch (type) {
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kAttribute:
    case Type::kPush:
    case Type::kInline: return true;
    default: return false;
  }
}

// The text the encoder writes for a double: RESP3 spells the non-finite ones inf/-inf/nan.
std::string FormatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, ec == std::errc() ? end : buf);
}

// Renders into *out until it holds more than `limit` characters; the caller marks the cut.
void Render(const Value& v, std::string* out, size_t limit) {
  if (out->size() > limit) return;
  const size_t room = limit - out->size() + 1;
  switch (v.type) {
    case Type::kSimpleString:
      *out += '+';
      *out += EscapeBytes(v.str, room);
      return;
    case Type::kError:
      *out += '-';
      *out += EscapeBytes(v.str, room);
      return;
    case Type::kInteger:
      *out += ':';
      *out += std::to_string(v.integer);
      return;
    case Type::kBulkString:
      if (v.is_null) {
        *out += "$-1";
      } else {
        *out += '"';
        *out += EscapeBytes(v.str, room);
        *out += '"';
      }
      return;
    case Type::kNull: *out += '_'; return;
    case Type::kBoolean: *out += v.boolean ? "#t" : "#f"; return;
    case Type::kDouble:
      *out += ',';
      *out += v.str.empty() ? FormatDouble(v.number) : EscapeBytes(v.str, room);
      return;
    case Type::kBigNumber:
      *out += '(';
      *out += EscapeBytes(v.str, room);
      return;
    case Type::kBulkError:
    case Type::kVerbatim:
      *out += static_cast<char>(v.type);
      *out += '"';
      *out += EscapeBytes(v.str, room);
      *out += '"';
      return;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kAttribute:
    case Type::kPush:
    case Type::kInline: break;
  }
  if (v.type == Type::kArray && v.is_null) {
    *out += "*-1";
    return;
  }
  const bool pairs = IsPairAggregate(v.type);
  if (v.type == Type::kInline) {
    *out += "inline";
  } else {
    *out += static_cast<char>(v.type);
    *out += std::to_string(pairs ? v.elements.size() / 2 : v.elements.size());
  }
  *out += pairs ? " {" : " [";
  for (size_t i = 0; i < v.elements.size(); ++i) {
    if (out->size() > limit) return;
    if (i > 0) *out += pairs ? (i % 2 == 1 ? ": " : ", ") : " ";
    Render(v.elements[i], out, limit);
  }
  *out += pairs ? '}' : ']';
}

Value WithElements(Type type, std::vector<Value> elements) {
  Value v;
  v.type = type;
  v.elements = std::move(elements);
  return v;
}

Value WithString(Type type, std::string s) {
  Value v;
  v.type = type;
  v.str = std::move(s);
  return v;
}

bool SameDouble(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b;
}

}  // namespace

const char* ToString(Type type) {
  switch (type) {
    case Type::kSimpleString: return "simple string";
    case Type::kError: return "error";
    case Type::kInteger: return "integer";
    case Type::kBulkString: return "bulk string";
    case Type::kArray: return "array";
    case Type::kNull: return "null";
    case Type::kBoolean: return "boolean";
    case Type::kDouble: return "double";
    case Type::kBigNumber: return "big number";
    case Type::kBulkError: return "bulk error";
    case Type::kVerbatim: return "verbatim string";
    case Type::kMap: return "map";
    case Type::kSet: return "set";
    case Type::kAttribute: return "attribute";
    case Type::kPush: return "push";
    case Type::kInline: return "inline command";
  }
  return "unknown type";
}

bool Value::IsString() const {
  if (is_null) return false;
  return type == Type::kSimpleString || type == Type::kBulkString || type == Type::kVerbatim;
}

bool Value::IsError() const { return type == Type::kError || type == Type::kBulkError; }

std::vector<std::string> Value::AsArgv() const {
  std::vector<std::string> argv;
  if (is_null || (type != Type::kArray && type != Type::kInline)) return argv;
  for (const Value& e : elements) {
    if (e.type != Type::kBulkString || e.is_null) return {};
  }
  argv.reserve(elements.size());
  for (const Value& e : elements) argv.push_back(e.str);
  return argv;
}

std::string Value::ToString(size_t max_chars) const {
  std::string out;
  Render(*this, &out, max_chars);
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "...";
  }
  return out;
}

Value Value::SimpleString(std::string s) { return WithString(Type::kSimpleString, std::move(s)); }
Value Value::Error(std::string s) { return WithString(Type::kError, std::move(s)); }
Value Value::Bulk(std::string s) { return WithString(Type::kBulkString, std::move(s)); }
Value Value::BigNumber(std::string digits) {
  return WithString(Type::kBigNumber, std::move(digits));
}
Value Value::BulkError(std::string s) { return WithString(Type::kBulkError, std::move(s)); }

Value Value::Verbatim(std::string_view format, std::string_view text) {
  std::string s;
  s.reserve(format.size() + 1 + text.size());
  s.append(format).append(":").append(text);
  return WithString(Type::kVerbatim, std::move(s));
}

Value Value::Integer(int64_t i) {
  Value v;
  v.type = Type::kInteger;
  v.integer = i;
  return v;
}

Value Value::NullBulk() {
  Value v;
  v.type = Type::kBulkString;
  v.is_null = true;
  return v;
}

Value Value::NullArray() {
  Value v;
  v.type = Type::kArray;
  v.is_null = true;
  return v;
}

Value Value::Null() { return Value{}; }

Value Value::Boolean(bool b) {
  Value v;
  v.type = Type::kBoolean;
  v.boolean = b;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.type = Type::kDouble;
  v.number = d;
  v.str = FormatDouble(d);
  return v;
}

Value Value::Array(std::vector<Value> elements) {
  return WithElements(Type::kArray, std::move(elements));
}
Value Value::Map(std::vector<Value> key_values) {
  return WithElements(Type::kMap, std::move(key_values));
}
Value Value::Set(std::vector<Value> elements) {
  return WithElements(Type::kSet, std::move(elements));
}
Value Value::Attribute(std::vector<Value> key_values) {
  return WithElements(Type::kAttribute, std::move(key_values));
}
Value Value::Push(std::vector<Value> elements) {
  return WithElements(Type::kPush, std::move(elements));
}

Value Value::Command(const std::vector<std::string>& argv) {
  Value v;
  v.type = Type::kArray;
  v.elements.reserve(argv.size());
  for (const std::string& arg : argv) v.elements.push_back(Bulk(arg));
  return v;
}

Value Value::Inline(const std::vector<std::string>& words) {
  Value v = Command(words);
  v.type = Type::kInline;
  return v;
}

bool operator==(const Value& a, const Value& b) {
  if (a.type != b.type || a.is_null != b.is_null) return false;
  if (a.is_null) return true;
  switch (a.type) {
    case Type::kInteger: return a.integer == b.integer;
    case Type::kBoolean: return a.boolean == b.boolean;
    case Type::kDouble: return SameDouble(a.number, b.number);
    case Type::kNull: return true;
    default: break;
  }
  if (IsAggregate(a.type)) return a.elements == b.elements;
  return a.str == b.str;
}

void PrintTo(const Value& value, std::ostream* os) { *os << value.ToString(std::string::npos - 8); }

}  // namespace conformance::resp
