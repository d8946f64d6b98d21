// DUMP / RESTORE payloads: one value in RDB encoding, then the RDB version (u16 LE) and a
// CRC64 (u64 LE) over everything before it. No magic, no key, no expiry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/rdb/limits.h"

namespace conformance::rdb {

// RDB version EncodeDumpPayload stamps by default (Redis 7.0's).
inline constexpr int kDefaultDumpVersion = 10;

// Decodes a DUMP payload; the version (<= 12, or Valkey 80) and the CRC64 are both checked.
// The entry has no expiry.
Result<data::Entry> DecodeDumpPayload(std::string_view payload, ReaderLimits limits = {});

// Encodes a value as DUMP does, in the compact encodings the version allows. An error if the
// version cannot represent the value (e.g. a stream before 9).
Result<std::string> EncodeDumpPayload(const data::Value& value,
                                      int rdb_version = kDefaultDumpVersion);

}  // namespace conformance::rdb
