// A decoded RESP2/RESP3 value. The wire type byte is kept so that a verdict can say exactly
// what arrived (a simple string is not a bulk string, `$-1` is not `_`).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace conformance::resp {

// Wire type bytes, spelled out. kInline has no type byte: a line of space-separated words,
// which masters and old replicas send (e.g. "PING\r\n", and "\n" keepalives as empty lines).
enum class Type : uint8_t {
  kSimpleString = '+',
  kError = '-',
  kInteger = ':',
  kBulkString = '$',
  kArray = '*',
  kNull = '_',        // RESP3 null; RESP2 `$-1` and `*-1` decode as kBulkString/kArray with is_null
  kBoolean = '#',
  kDouble = ',',
  kBigNumber = '(',
  kBulkError = '!',
  kVerbatim = '=',
  kMap = '%',
  kSet = '~',
  kAttribute = '|',
  kPush = '>',
  kInline = 0,
};

const char* ToString(Type type);

struct Value {
  Type type = Type::kNull;
  bool is_null = false;       // `$-1` or `*-1`
  std::string str;            // simple/error/bulk/verbatim/big number text; double as written
  int64_t integer = 0;        // kInteger
  bool boolean = false;       // kBoolean
  double number = 0;          // kDouble
  std::vector<Value> elements;  // array/set/push/inline words; map/attribute as k1,v1,k2,v2...

  bool IsString() const;      // simple string, bulk string or verbatim (not null)
  bool IsError() const;       // kError or kBulkError
  // For a command (array of bulk strings, or inline): its arguments; empty if not a command.
  std::vector<std::string> AsArgv() const;
  // A compact one-line rendering with escaped bytes, e.g. `*3 ["SET" "k" "v"]` or `+OK`.
  std::string ToString(size_t max_chars = 256) const;

  static Value SimpleString(std::string s);
  static Value Error(std::string s);
  static Value Integer(int64_t i);
  static Value Bulk(std::string s);
  static Value NullBulk();
  static Value Array(std::vector<Value> elements);
  static Value Command(const std::vector<std::string>& argv);  // array of bulk strings

  // RESP3 and inline constructors (added to the fixed set above).
  static Value NullArray();                            // `*-1`
  static Value Null();                                 // RESP3 `_`
  static Value Boolean(bool b);
  static Value Double(double d);                       // str holds the encoder's text
  static Value BigNumber(std::string digits);
  static Value BulkError(std::string s);
  static Value Verbatim(std::string_view format, std::string_view text);  // str = "fmt:text"
  static Value Map(std::vector<Value> key_values);     // k1, v1, k2, v2, ...
  static Value Set(std::vector<Value> elements);
  static Value Attribute(std::vector<Value> key_values);
  static Value Push(std::vector<Value> elements);
  static Value Inline(const std::vector<std::string>& words);  // zero words: a keepalive line

  // Equality compares meaning per type: the text of a double is ignored (1.0 == 1) and two
  // NaN doubles are equal; fields a type does not use are ignored.
  friend bool operator==(const Value& a, const Value& b);
};

// Lets GoogleTest print values readably (Value::ToString without a length cap).
void PrintTo(const Value& value, std::ostream* os);

}  // namespace conformance::resp
