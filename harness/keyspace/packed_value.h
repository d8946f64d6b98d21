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
// Streams and module values do not pack: the model keeps them as data::Value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/data/value.h"

namespace conformance::keyspace {

// Appends the packed form of value to *out; false (and *out unchanged) when the value has no
// packed form.
bool Pack(const data::Value& value, std::string* out);

// The value packed bytes stand for. `bytes` must come from Pack with a value of this type.
data::Value Unpack(data::ValueType type, std::string_view bytes);

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
uint64_t PackedSize(data::ValueType type, std::string_view bytes);

}  // namespace conformance::keyspace
