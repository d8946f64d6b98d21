// Zipmap (hashes of Redis <= 2.4, RDB type 9). Layout: count (1 byte, 254 = unknown), then
// per pair: key length, key, value length, free byte count, value, free bytes; then 0xFF.
// A length is one byte (< 254) or 0xFE + u32 LE.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/rdb/compact_item.h"

namespace conformance::rdb {

// Decodes `blob` into *items as alternating field and value (cleared first; they point into
// blob). More than max_pairs pairs is an error.
Status DecodeZipmap(std::string_view blob, std::vector<CompactItem>* items, size_t max_pairs);

// Encodes the pairs with no free bytes.
std::string EncodeZipmap(const std::vector<std::pair<std::string_view, std::string_view>>& pairs);

}  // namespace conformance::rdb
