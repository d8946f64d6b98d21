// Intset (small all-integer sets, every Redis version since 2.2): a sorted array of unique
// integers of one width. Layout: encoding (u32 LE: 2, 4 or 8 bytes per value), length (u32 LE),
// values (LE, ascending).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"

namespace conformance::rdb {

// Decodes `blob` into *values (cleared first); checks the size and the strict ascending order.
Status DecodeIntset(std::string_view blob, std::vector<int64_t>* values, size_t max_items);

// Encodes the values (any order, duplicates dropped) with the narrowest width that fits all.
std::string EncodeIntset(std::vector<int64_t> values);

}  // namespace conformance::rdb
