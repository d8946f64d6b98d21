// Argument parsing and number formatting with Redis' exact rules (util.c string2ll,
// string2ld, string2d, ld2string), so the model accepts and rejects what a server does and
// writes the same bytes for INCRBYFLOAT and HINCRBYFLOAT.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::keyspace {

inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";

// Strict decimal int64: no sign but '-', no leading zeros, spaces or trailing bytes.
bool StringToInt64(std::string_view text, int64_t* value);
// strtold on the text up to its first NUL; rejects leading spaces, trailing bytes, NaN, and
// overflow; at most 5119 bytes.
bool StringToLongDouble(std::string_view text, long double* value);
// strtod on the whole text; rejects leading spaces, trailing bytes (NUL included), NaN, overflow.
bool StringToDouble(std::string_view text, double* value);

Result<int64_t> ParseInt64(std::string_view text, std::string_view error = kNotInteger);
// ParseInt64 limited to [min, max].
Result<int64_t> ParseInt64InRange(std::string_view text, int64_t min, int64_t max,
                                  std::string_view error);
Result<double> ParseDouble(std::string_view text, std::string_view error = kNotFloat);
Result<long double> ParseLongDouble(std::string_view text, std::string_view error = kNotFloat);
// A database index for SELECT/MOVE/COPY/SWAPDB, in [0, databases).
Result<int> ParseDbIndex(std::string_view text, int databases,
                         std::string_view not_integer = kNotInteger);
// A blocking command's timeout (seconds, fractional allowed), validated and then ignored: a
// command from the master never blocks.
Result<int64_t> ParseTimeoutSeconds(std::string_view text);

// ld2string(..., LD_STR_HUMAN): "%.17Lf" without trailing zeros, "-0" printed as "0".
std::string FormatLongDouble(long double value);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToUpper(std::string_view text);
std::string ToLower(std::string_view text);

}  // namespace conformance::keyspace
