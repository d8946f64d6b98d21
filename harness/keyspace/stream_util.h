// Stream helpers shared by streams.cc and stream_groups.cc. Internal to the keyspace layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"
#include "harness/data/value.h"

namespace conformance::keyspace {

inline constexpr std::string_view kInvalidStreamId =
    "ERR Invalid stream ID specified as stream command argument";

struct ParsedStreamId {
  data::StreamId id;
  bool seq_given = true;  // false for the "<ms>-*" form
};

// streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missing_seq), "-" and "+" unless
// strict, and "<ms>-*" when allow_auto_seq.
Result<ParsedStreamId> ParseStreamId(std::string_view text, uint64_t missing_seq, bool strict,
                                     bool allow_auto_seq = false);

// The entry's first id, 0-0 when empty (what Redis keeps in first_id).
inline data::StreamId FirstId(const data::Stream& stream) {
  return stream.entries.empty() ? data::StreamId{} : stream.entries.begin()->first;
}

// Finds a consumer group by name, or nullptr.
data::StreamGroup* FindGroup(data::Stream& stream, std::string_view name);

}  // namespace conformance::keyspace
