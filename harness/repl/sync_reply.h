// The master's answer to PSYNC/SYNC as a replica sees it (replication.c
// slaveTryPartialResynchronization): full resync, continue, retry later, or fall back to SYNC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::repl {

inline constexpr size_t kReplidLength = 40;

struct SyncReply {
  enum class Kind : uint8_t {
    kFullResync,  // "+FULLRESYNC <replid> <offset>"
    kContinue,    // "+CONTINUE" or "+CONTINUE <new replid>"
    kRetryLater,  // "-NOMASTERLINK ..." or "-LOADING ...": the replica must retry, not SYNC
    kError,       // any other error: the replica falls back to SYNC on the same connection
    kDualChannel,  // "+DUALCHANNELSYNC" (Valkey): the snapshot comes on a second link
                   // (dual_channel.h), the stream on this one after a later PSYNC
  };
  Kind kind = Kind::kError;
  std::string replid;   // full resync id, or the new id of "+CONTINUE <id>" (empty if none)
  int64_t offset = 0;   // full resync: offset of the last byte included in the snapshot
  std::string line;     // the line as received, without CRLF
};

const char* ToString(SyncReply::Kind kind);

// Parses one reply line (without CRLF). A "+" line that is neither FULLRESYNC nor CONTINUE, or
// a FULLRESYNC with a malformed id or offset, is an error naming the line.
Result<SyncReply> ParseSyncReply(std::string_view line);

}  // namespace conformance::repl
