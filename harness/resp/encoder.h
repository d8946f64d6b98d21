// RESP encoder: commands (arrays of bulk strings) and any Value, RESP2 and RESP3.
// A Value encodes as its type says, so a test can write exactly what a peer would:
// kInline as "word word\r\n" (words quoted as Redis's inline parser expects), a double from
// its text when set, a map/attribute with elements.size() / 2 pairs, and an aggregate's
// declared length leaving out the attributes inside it (which the decoder returns in place).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "harness/resp/value.h"

namespace conformance::resp {

// Appends "*N\r\n$len\r\narg\r\n..." to *out.
void AppendCommand(std::string* out, const std::vector<std::string>& argv);
void AppendCommand(std::string* out, std::initializer_list<std::string_view> argv);
// Returns the command as an array of bulk strings.
std::string EncodeCommand(const std::vector<std::string>& argv);
std::string EncodeCommand(std::initializer_list<std::string_view> argv);

// Appends the wire form of `value` to *out.
void AppendValue(std::string* out, const Value& value);
// Returns the wire form of `value`.
std::string Encode(const Value& value);

}  // namespace conformance::resp
