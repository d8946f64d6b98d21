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

// Encodes a value as DUMP does, in the compact encodings the version allows. The payload reads
// back exactly (DecodeDumpPayload gives the same value), or this is an error naming what the
// version cannot carry: a stream before 9, a stream's max deleted ID or entries-added counter
// before 10, consumer active times before 11, a module value whose bytes are no module opcode
// stream (a Dragonfly JSON value read as one).
Result<std::string> EncodeDumpPayload(const data::Value& value,
                                      int rdb_version = kDefaultDumpVersion);

}  // namespace conformance::rdb
