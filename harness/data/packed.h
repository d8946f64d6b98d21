// A compact, canonical byte form of the common values, in which the model keeps what it loads
// from an RDB: one allocation per key instead of one per element, and equal values always pack
// to equal bytes, so a comparison of two packed keys is a memcmp.
//
// Forms (varint = unsigned LEB128):
//   string  the bytes themselves
//   list    varint count, then per element: varint length, bytes (in list order)
//   set     varint count, then per member: varint length, bytes (members sorted bytewise)
//   hash    varint count, then per field: varint length, field, varint length, value (fields
//           sorted bytewise); only hashes without field expiries pack
//   zset    varint count, then per member: varint length, member, 8 bytes of the score's IEEE
//           754 bits, little endian (members sorted bytewise)
// Streams and module values do not pack: the model keeps them as Value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/data/value.h"


namespace conformance::data {

// Appends the packed form of value to *out; false (and *out unchanged) when the value has no
// packed form.
bool Pack(const Value& value, std::string* out);

// The pieces of the packed forms, for code that builds them straight from an encoding (the RDB
// reader); Pack is the reference.
void AppendPackedVarint(std::string* out, uint64_t value);
void AppendPackedBytes(std::string* out, std::string_view bytes);
void AppendPackedScore(std::string* out, double score);

// The value packed bytes stand for. `bytes` must come from Pack with a value of this type.
Value Unpack(ValueType type, std::string_view bytes);

// Walks packed bytes: a count, then lengths-prefixed byte strings and scores.
class PackedReader {
 public:
  explicit PackedReader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t ReadCount() { return ReadVarint(); }
  std::string_view ReadBytes();
  double ReadScore();

 private:
  uint64_t ReadVarint();

  std::string_view bytes_;
  size_t offset_ = 0;
};

// The number of elements (members, fields) of a packed collection; the length of a string.
uint64_t PackedSize(ValueType type, std::string_view bytes);

}  // namespace conformance::data
