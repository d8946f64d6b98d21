// One element of a compact encoding (listpack, ziplist, zipmap): either bytes that point into
// the encoded blob, or an integer the encoding stored as such. Also the integer/string rules
// those encodings (and RDB int-encoded strings) use to decide that a string is an integer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace conformance::rdb {

struct CompactItem {
  std::string_view str;  // valid when !is_int; points into the decoded blob
  int64_t integer = 0;   // valid when is_int
  bool is_int = false;

  // The element as Redis returns it: the bytes, or the integer in decimal.
  std::string ToString() const;
  // Appends the element to *out (no temporary string for integers beyond a small buffer).
  void AppendTo(std::string* out) const;
};

// Parses s as Redis's string2ll does: optional '-', no '+', no leading zeros, no "-0", no
// spaces, at most 20 characters, inside int64. These are the strings Redis stores as integers.
bool ParseStrictInt64(std::string_view s, int64_t* value);

// Decimal text of v.
std::string Int64ToString(int64_t v);

// Little-endian helpers for fixed-width fields inside blobs (callers check the bounds).
inline uint64_t LoadLE(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
inline void AppendLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
// Sign-extends the low `bits` bits of v.
inline int64_t SignExtend(uint64_t v, int bits) {
  const uint64_t m = uint64_t{1} << (bits - 1);
  v &= (bits == 64) ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
  return static_cast<int64_t>((v ^ m) - m);
}

}  // namespace conformance::rdb
