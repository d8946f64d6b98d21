// gmock matchers for resp::Value, for the tests of every layer:
//   EXPECT_THAT(reply, IsSimpleString("OK"));
//   EXPECT_THAT(reply, ErrPrefix("NOAUTH"));            // or IsError(HasSubstr("NOAUTH"))
//   EXPECT_THAT(reply, IsBulk("x"));
//   EXPECT_THAT(reply, IsInteger(3));
//   EXPECT_THAT(reply, ArrLen(3));
//   EXPECT_THAT(frame, IsCommand(ElementsAre("SET", "k", "v")));
// Each argument may be a plain value or a matcher. Failures print the Value (see PrintTo).
#pragma once

#include <gmock/gmock.h>

#include <string>
#include <string_view>
#include <vector>

#include "harness/resp/value.h"

namespace conformance::resp {

// A simple string (`+`) whose text matches.
MATCHER_P(IsSimpleString, text,
          "is a simple string that " +
              ::testing::DescribeMatcher<const std::string&>(text, negation)) {
  if (arg.type != Type::kSimpleString) {
    *result_listener << "which is a " << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(text, arg.str, result_listener);
}

// An error reply (`-` or RESP3 `!`) whose text matches, e.g. IsError(HasSubstr("NOAUTH")).
MATCHER_P(IsError, text,
          "is an error that " + ::testing::DescribeMatcher<const std::string&>(text, negation)) {
  if (!arg.IsError()) {
    *result_listener << "which is a " << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(text, arg.str, result_listener);
}

// An error reply whose text starts with `prefix` (its error code, e.g. "NOAUTH").
inline auto ErrPrefix(std::string prefix) { return IsError(::testing::StartsWith(prefix)); }

// A non-null bulk string (`$`) whose payload matches.
MATCHER_P(IsBulk, payload,
          "is a bulk string that " +
              ::testing::DescribeMatcher<const std::string&>(payload, negation)) {
  if (arg.type != Type::kBulkString || arg.is_null) {
    *result_listener << "which is a " << (arg.is_null ? "null " : "") << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(payload, arg.str, result_listener);
}

// RESP2 `$-1`.
MATCHER(IsNullBulk, "is a null bulk string ($-1)") {
  return arg.type == Type::kBulkString && arg.is_null;
}

// RESP2 `*-1`.
MATCHER(IsNullArray, "is a null array (*-1)") { return arg.type == Type::kArray && arg.is_null; }

// An integer reply (`:`) whose value matches.
MATCHER_P(IsInteger, number,
          "is an integer that " + ::testing::DescribeMatcher<int64_t>(number, negation)) {
  if (arg.type != Type::kInteger) {
    *result_listener << "which is a " << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(number, arg.integer, result_listener);
}

// A non-null array (`*`) with `n` elements.
MATCHER_P(ArrLen, n, "is an array of " + ::testing::PrintToString(n) + " elements") {
  if (arg.type != Type::kArray || arg.is_null) {
    *result_listener << "which is a " << (arg.is_null ? "null " : "") << ToString(arg.type);
    return false;
  }
  *result_listener << "which has " << arg.elements.size() << " elements";
  return arg.elements.size() == static_cast<size_t>(n);
}

// A non-null array (`*`) whose elements match, e.g. IsArray(ElementsAre(IsBulk("a"), _)).
MATCHER_P(IsArray, elements,
          "is an array whose elements " +
              ::testing::DescribeMatcher<const std::vector<Value>&>(elements, negation)) {
  if (arg.type != Type::kArray || arg.is_null) {
    *result_listener << "which is a " << (arg.is_null ? "null " : "") << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(elements, arg.elements, result_listener);
}

// A command (array of bulk strings, or an inline line) whose argv matches,
// e.g. IsCommand(ElementsAre("SET", "k", "v")).
MATCHER_P(IsCommand, argv,
          "is a command whose argv " +
              ::testing::DescribeMatcher<const std::vector<std::string>&>(argv, negation)) {
  const bool command_type = (arg.type == Type::kArray && !arg.is_null) || arg.type == Type::kInline;
  const std::vector<std::string> words = arg.AsArgv();
  if (!command_type || (words.empty() && !arg.elements.empty())) {
    *result_listener << "which is not a command";
    return false;
  }
  return ::testing::ExplainMatchResult(argv, words, result_listener);
}

// An inline command line whose words match; IsInline(IsEmpty()) is a keepalive.
MATCHER_P(IsInline, words,
          "is an inline line whose words " +
              ::testing::DescribeMatcher<const std::vector<std::string>&>(words, negation)) {
  if (arg.type != Type::kInline) {
    *result_listener << "which is a " << ToString(arg.type);
    return false;
  }
  return ::testing::ExplainMatchResult(words, arg.AsArgv(), result_listener);
}

// A value of the given type.
MATCHER_P(HasType, type, std::string("has type ") + ToString(type)) {
  *result_listener << "which is a " << ToString(arg.type);
  return arg.type == type;
}

}  // namespace conformance::resp
