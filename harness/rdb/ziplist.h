// Ziplist (Redis 2.6 .. 6.2 small lists/hashes/zsets, and quicklist nodes in RDB 7..9):
// decoding with bounds, prevlen and tail checks, and a builder that encodes as Redis did.
//
// Layout: zlbytes (u32 LE), zltail (u32 LE, offset of the last entry), zllen (u16 LE,
// 65535 = unknown), entries, 0xFF. Entry: prevlen (1 byte, or 0xFE + u32 LE), encoding, data.
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
Status DecodeZiplist(std::string_view blob, std::vector<CompactItem>* items, size_t max_items);

class ZiplistBuilder {
 public:
  // Appends a string (as an integer when it is a short canonical integer, as Redis does).
  void Append(std::string_view s);
  size_t size() const { return count_; }
  // The finished ziplist; the builder is empty afterwards.
  std::string Finish();

 private:
  void AppendInt(int64_t v);
  void AppendEntry(std::string_view encoding_and_data);

  std::string body_;
  std::string scratch_;
  size_t count_ = 0;
  size_t prev_len_ = 0;
  size_t last_offset_ = 0;  // of the last entry inside body_
};

}  // namespace conformance::rdb
