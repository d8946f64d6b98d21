// A strict JSON parser for the report tests (RFC 8259: no NaN, no trailing commas, no raw
// control characters, valid UTF-8, paired surrogates), so a test can read a report back and
// assert on its contents without a JSON library.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace conformance::report::testing {

struct JsonValue;
using JsonArray = std::vector<JsonValue>;
using JsonObject = std::vector<std::pair<std::string, JsonValue>>;  // keeps member order

struct JsonValue {
  // null, bool, number (its literal text), string, array, object
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<JsonArray>,
               std::shared_ptr<JsonObject>>
      value;
  std::string number_text{};  // the literal, for numbers

  bool is_null() const { return value.index() == 0; }
  bool is_number() const { return value.index() == 2; }
  bool is_string() const { return value.index() == 3; }
  bool is_array() const { return value.index() == 4; }
  bool is_object() const { return value.index() == 5; }
  double number() const { return std::get<double>(value); }
  const std::string& str() const { return std::get<std::string>(value); }
  const JsonArray& array() const { return *std::get<4>(value); }
  const JsonObject& object() const { return *std::get<5>(value); }
  // Member lookup; aborts with the key's name when it is missing (a test bug).
  const JsonValue& operator[](std::string_view key) const;
  const JsonValue& operator[](size_t index) const { return array().at(index); }
  bool Has(std::string_view key) const;
  std::vector<std::string> Keys() const;
};

// Parses a whole document; on failure returns nullopt and sets *error to "offset N: why".
std::optional<JsonValue> ParseJson(std::string_view text, std::string* error);

}  // namespace conformance::report::testing
