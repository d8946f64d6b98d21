// What a fake replica sends a master in one fuzz iteration: the handshake commands (PING,
// REPLCONF listening-port, REPLCONF capa), PSYNC or SYNC, and the ACKs after the sync, each as
// its own request so mutators can aim at one command's grammar or arguments.
//
// A request may name the master's position rather than a literal: "{replid}", "{replid2}",
// "{offset}", "{next}" (offset + 1), "{backlog-first}", "{second}" (second_repl_offset), each
// optionally with "+N" or "-N". They are filled in when the request is sent, from the master's
// INFO (those after the sync from its INFO after the sync), so a partial-sync attempt replays
// against any run of the server. BuildRequests is
// deterministic: the same options give the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conformance::fuzz {

enum class RequestKind : uint8_t {
  kPing,           // PING
  kListeningPort,  // REPLCONF listening-port <port>
  kCapa,           // REPLCONF capa eof capa psync2
  kSync,           // PSYNC <replid> <offset>, or SYNC
  kAck,            // REPLCONF ACK <offset>
  kOther,          // a command a mutator added
};

struct RequestOptions {
  uint64_t seed = 1;     // the listening port announced
  bool psync = true;     // PSYNC (else SYNC: the master predates PSYNC)
  bool partial = false;  // PSYNC {replid} {next}: resume where the master is; else PSYNC ? -1
  int acks = 2;          // REPLCONF ACK {offset} after the sync
};

struct Request {
  RequestKind kind = RequestKind::kOther;
  std::vector<std::string> argv;  // as built or as a semantic mutator set it
  std::string bytes;              // what is sent (placeholders unfilled)
};

struct Requests {
  RequestOptions options;
  std::vector<Request> items;
};

// The valid requests: what a correct replica would send.
Requests BuildRequests(const RequestOptions& options);

// Where the master stands, as its INFO says; what placeholders are filled from.
struct MasterPosition {
  std::string replid;   // master_replid, or run_id before replids (Redis < 4.0)
  std::string replid2;  // master_replid2 ("" when it has none)
  int64_t offset = 0;   // master_repl_offset
  int64_t second_offset = -1;  // second_repl_offset
  int64_t backlog_first = 0;   // repl_backlog_first_byte_offset (0 without a backlog)
  bool backlog = true;         // repl_backlog_active
};

// `bytes` with every placeholder filled. A placeholder that is the whole of a bulk string
// whose announced length is its own gets the filled value's length, so valid requests stay
// valid; any other length (a mutation's) is left as it was.
std::string FillPlaceholders(std::string_view bytes, const MasterPosition& position);

}  // namespace conformance::fuzz
