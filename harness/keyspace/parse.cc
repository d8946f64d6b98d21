#include "harness/keyspace/parse.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace conformance::keyspace {

namespace {

constexpr size_t kMaxLongDoubleChars = 5 * 1024;
constexpr size_t kMaxInt64Chars = 21;  // LONG_STR_SIZE

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

bool StringToInt64(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() >= kMaxInt64Chars) return false;
  if (text == "0") {
    *value = 0;
    return true;
  }
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    if (++i == text.size()) return false;
  }
  if (text[i] < '1' || text[i] > '9') return false;
  uint64_t magnitude = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMax + 1) return false;
    *value = magnitude == kMax + 1 ? std::numeric_limits<int64_t>::min()
                                   : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > kMax) return false;
    *value = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool StringToLongDouble(std::string_view text, long double* value) {
  if (text.empty() || text.size() >= kMaxLongDoubleChars) return false;
  const std::string buffer(text);  // strtold stops at an embedded NUL, as in Redis
  errno = 0;
  char* end = nullptr;
  const long double parsed = std::strtold(buffer.c_str(), &end);
  if (IsSpace(buffer[0]) || *end != '\0' ||
      (errno == ERANGE &&
       (parsed == HUGE_VALL || parsed == -HUGE_VALL || std::fpclassify(parsed) == FP_ZERO)) ||
      std::isnan(parsed)) {
    return false;
  }
  *value = parsed;
  return true;
}

bool StringToDouble(std::string_view text, double* value) {
  if (text.empty() || text.size() >= kMaxLongDoubleChars || IsSpace(text[0])) return false;
  const std::string buffer(text);
  errno = 0;
  char* end = nullptr;
  const double parsed = std::strtod(buffer.c_str(), &end);
  if (static_cast<size_t>(end - buffer.c_str()) != text.size() ||
      (errno == ERANGE &&
       (parsed == HUGE_VAL || parsed == -HUGE_VAL || std::fpclassify(parsed) == FP_ZERO)) ||
      std::isnan(parsed)) {
    return false;
  }
  *value = parsed;
  return true;
}

Result<int64_t> ParseInt64(std::string_view text, std::string_view error) {
  int64_t value = 0;
  if (!StringToInt64(text, &value)) return Error{std::string(error)};
  return value;
}

Result<int64_t> ParseInt64InRange(std::string_view text, int64_t min, int64_t max,
                                  std::string_view error) {
  int64_t value = 0;
  if (!StringToInt64(text, &value) || value < min || value > max) {
    return Error{std::string(error)};
  }
  return value;
}

Result<double> ParseDouble(std::string_view text, std::string_view error) {
  double value = 0;
  if (!StringToDouble(text, &value)) return Error{std::string(error)};
  return value;
}

Result<long double> ParseLongDouble(std::string_view text, std::string_view error) {
  long double value = 0;
  if (!StringToLongDouble(text, &value)) return Error{std::string(error)};
  return value;
}

Result<int> ParseDbIndex(std::string_view text, int databases, std::string_view not_integer) {
  int64_t index = 0;
  if (!StringToInt64(text, &index) || index < std::numeric_limits<int>::min() ||
      index > std::numeric_limits<int>::max()) {
    return Error{std::string(not_integer)};
  }
  if (index < 0 || index >= databases) return Error{"ERR DB index is out of range"};
  return static_cast<int>(index);
}

Result<int64_t> ParseTimeoutSeconds(std::string_view text) {
  long double seconds = 0;
  if (!StringToLongDouble(text, &seconds)) {
    return Error{"ERR timeout is not a float or out of range"};
  }
  const long double ms = seconds * 1000.0L;
  if (ms > static_cast<long double>(std::numeric_limits<int64_t>::max())) {
    return Error{"ERR timeout is out of range"};
  }
  const long double rounded = std::ceil(ms);
  if (rounded < 0) return Error{"ERR timeout is negative"};
  return static_cast<int64_t>(rounded);
}

std::string FormatLongDouble(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[kMaxLongDoubleChars];
  const int length = std::snprintf(buffer, sizeof(buffer), "%.17Lf", value);
  // Redis writes an empty string when the digits do not fit its 5 KB buffer.
  if (length < 0 || static_cast<size_t>(length) + 1 > sizeof(buffer)) return "";
  auto n = static_cast<size_t>(length);
  if (std::memchr(buffer, '.', n) != nullptr) {
    while (buffer[n - 1] == '0') --n;
    if (buffer[n - 1] == '.') --n;
  }
  if (n == 2 && buffer[0] == '-' && buffer[1] == '0') return "0";
  return std::string(buffer, n);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string ToUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace conformance::keyspace
