// What a fake master sends a replica in one fuzz iteration: the bytes of each part of the
// exchange (handshake replies, the PSYNC reply, the RDB with its framing, the first stream
// commands) and where the RDB's records and the stream's commands lie, so mutators can aim at
// the structure rather than at random bytes.
//
// BuildExchange is deterministic: the same options give the same bytes, which is what makes
// an iteration reproducible from (seed, iteration).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/repl/master_rdb.h"

namespace conformance::fuzz {

// The parts of the exchange a mutator can change.
enum class Segment : uint8_t {
  kHandshake,  // the replies to PING and REPLCONF
  kSyncReply,  // "+FULLRESYNC <replid> <offset>"
  kPreamble,   // "$<len>" or "$EOF:<mark>"
  kRdb,        // the snapshot
  kTrailer,    // the EOF mark after a diskless snapshot
  kStream,     // the commands after the snapshot
};
const char* ToString(Segment segment);

struct ExchangeOptions {
  uint64_t seed = 1;         // key names and values, replid, EOF mark
  int keys = 8;              // keys in the snapshot, one type after another
  int rdb_version = 10;      // the replica's own version (or older)
  bool eof_framing = false;  // $EOF:<mark> (a diskless master) instead of $<len>
  bool psync = true;         // +FULLRESYNC precedes the RDB; false: the replica asked SYNC
  int stream_commands = 4;   // commands after the snapshot
};

// The handshake steps whose replies the fuzzer changes, as the fake master names them.
inline const std::vector<std::string>& FuzzedHandshakeSteps() {
  static const std::vector<std::string> kSteps = {"PING", "REPLCONF listening-port",
                                                  "REPLCONF capa"};
  return kSteps;
}

struct Exchange {
  ExchangeOptions options;
  std::map<std::string, std::string> handshake_replies;  // step -> raw reply (CRLF included)
  std::string sync_reply;                                // "" when the replica asked SYNC
  std::string eof_mark;                                  // the mark announced ($EOF framing)
  std::string preamble;
  std::string rdb;
  std::vector<repl::RdbRecord> rdb_records;
  std::string trailer;  // the mark after the payload ($EOF framing), else ""
  std::string stream;
  std::vector<size_t> stream_command_starts;  // offsets in `stream`

  // Everything written after the handshake, in order.
  std::string AfterHandshake() const { return sync_reply + preamble + rdb + trailer + stream; }
  // "$<len>\r\n" for the current rdb, or "$EOF:<mark>\r\n"; the trailer to match.
  void Frame();
};

// The valid exchange: what a correct master would send.
Result<Exchange> BuildExchange(const ExchangeOptions& options);

}  // namespace conformance::fuzz
