// Listpack (Redis 5+ streams, Redis 7+ hashes/zsets/lists/sets): decoding with full bounds
// and back-length checks, and a builder that encodes as Redis does (integers for canonical
// integer strings, the smallest encoding for each element).
//
// Layout: total bytes (u32 LE), element count (u16 LE, 65535 = unknown), entries, 0xFF.
// Entry: encoding byte(s) + data + back-length (the entry's own size, 1..5 bytes, read
// backwards 7 bits at a time).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/rdb/compact_item.h"

namespace conformance::rdb {

// Decodes every element of `blob` into *items (cleared first; the items point into blob).
// More than max_items elements is an error.
Status DecodeListpack(std::string_view blob, std::vector<CompactItem>* items, size_t max_items);

class ListpackBuilder {
 public:
  // Appends a string (stored as an integer when it is a canonical integer, as Redis does).
  void Append(std::string_view s);
  // Appends an integer in its smallest encoding.
  void AppendInt(int64_t v);
  size_t size() const { return count_; }
  // The finished listpack; the builder is empty afterwards.
  std::string Finish();

 private:
  void AppendEntry(std::string_view encoded);

  std::string body_;
  std::string scratch_;
  size_t count_ = 0;
};

}  // namespace conformance::rdb
