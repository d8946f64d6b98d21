// The listpacks inside a stream value (RDB types 15, 19, 21): each node is keyed by a master
// ID (16 bytes, ms and seq big-endian) and holds a master entry followed by entries encoded
// as deltas from it (t_stream.c):
//
//   master: count, deleted, num-fields, field..., 0
//   entry:  flags, ms-delta, seq-delta, [num-fields, (field, value)... | value... if
//           SAMEFIELDS], lp-count
//
// Entries flagged DELETED are tombstones and are skipped.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/rdb/compact_item.h"

namespace conformance::rdb {

// Decodes a stream node's master ID.
Result<data::StreamId> DecodeStreamNodeKey(std::string_view key);
// The 16-byte node key of a master ID.
std::string EncodeStreamNodeKey(const data::StreamId& id);

// Decodes one node into *entries (live entries only); *scratch is reused between calls.
// A duplicate ID, a count mismatch or more than max_entries entries in total is an error.
Status DecodeStreamListpack(std::string_view lp, const data::StreamId& master,
                            std::vector<CompactItem>* scratch,
                            std::map<data::StreamId, data::StreamFields>* entries,
                            uint64_t max_entries);

// Encodes consecutive entries [first, last) as one node (the first entry is the master).
std::string EncodeStreamListpack(std::map<data::StreamId, data::StreamFields>::const_iterator first,
                                 std::map<data::StreamId, data::StreamFields>::const_iterator last);

}  // namespace conformance::rdb
