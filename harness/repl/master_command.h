// What a replica sends its master, classified and parsed without I/O: PING, AUTH, the
// REPLCONF options (listening-port, ip-address, capa, version, ack, getack, and the valkey /
// redis-cli ones), PSYNC and SYNC (replication.c replconfCommand, syncCommand;
// rules H1, H2, H5, H6, M1, M9). Inline commands ("SYNC\r\n", as old
// replicas and redis-cli send them) arrive here as argv too; the decoder splits them.
//
// A command Redis would refuse carries the error reply Redis gives in error_reply, so a fake
// master replies the same way by default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace conformance::repl {

enum class ReplicaCommandKind : uint8_t {
  kKeepalive,  // an empty line: a replica sends "\n" while it flushes or loads
  kPing,
  kAuth,
  kListeningPort,  // REPLCONF listening-port <port>
  kIpAddress,      // REPLCONF ip-address <ip>
  kCapa,           // REPLCONF capa <c> [capa <c> ...]
  kVersion,        // REPLCONF version <x.y.z> (valkey)
  kAck,            // REPLCONF ACK <offset> [FACK <aof offset>]: never answered
  kGetAck,         // REPLCONF GETACK <x>: only a replica answers it
  kReplconfOther,  // rdb-only, rdb-filter-only, rdb-channel, set-rdb-client-id, or unknown
  kPsync,
  kSync,
  kOther,  // anything else: a replica must not send it on the link (rule M15)
};

const char* ToString(ReplicaCommandKind kind);

// REPLCONF ACK <offset> [FACK <aof offset>].
struct ReplicaAck {
  uint64_t offset = 0;
  std::optional<uint64_t> fack;
};

// PSYNC <replid> <offset> [FAILOVER], or SYNC (replid "?" and offset -1, is_sync set).
struct SyncRequest {
  std::string replid = "?";
  int64_t offset = -1;    // the next byte wanted
  bool failover = false;  // PSYNC ... FAILOVER
  bool is_sync = false;   // legacy SYNC: no +FULLRESYNC line, no ACKs expected
};

struct ReplicaCommand {
  ReplicaCommandKind kind = ReplicaCommandKind::kOther;
  std::vector<std::string> argv;

  // REPLCONF: every option pair, in order; kind names the first one.
  std::optional<int64_t> listening_port;
  std::optional<std::string> ip_address;
  std::vector<std::string> capabilities;
  std::optional<std::string> version;
  std::optional<ReplicaAck> ack;
  std::vector<std::pair<std::string, std::string>> other_options;  // as sent

  // AUTH [user] password.
  std::optional<std::string> auth_user;
  std::optional<std::string> auth_password;

  std::optional<SyncRequest> sync;  // PSYNC / SYNC when well formed

  // The error Redis replies with (without CRLF), when it refuses the command.
  std::optional<std::string> error_reply;
  // Why the command is malformed even though Redis does not reply (e.g. a non-numeric ACK,
  // which Redis silently ignores).
  std::optional<std::string> malformed;

  // "REPLCONF capa eof capa psync2"; AUTH arguments are redacted.
  std::string Describe() const;
};

// Classifies one command (names and options are case-insensitive, as in Redis).
ReplicaCommand ClassifyReplicaCommand(std::vector<std::string> argv);

}  // namespace conformance::repl
