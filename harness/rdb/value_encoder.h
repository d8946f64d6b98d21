// Internal to the RDB codec: encodes RDB primitives and whole values (shared by Writer and
// EncodeDumpPayload).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/rdb/writer.h"

namespace conformance::rdb {

// A length in the shortest RDB form (6/14/32/64 bits).
void AppendLength(std::string* out, uint64_t len);
// A string: int-encoded when it is a canonical integer fitting 32 bits, LZF when `compress`
// and it pays, raw otherwise.
void AppendString(std::string* out, std::string_view s, bool compress);
// A score as Redis prints it (d2string): integers without a fraction, else %.17g.
std::string ScoreToString(double score);

// Encodes the value's body into *out and its wire type into *type.
Status EncodeValue(const data::Value& value, const WriterOptions& options, uint8_t* type,
                   std::string* out);

}  // namespace conformance::rdb
