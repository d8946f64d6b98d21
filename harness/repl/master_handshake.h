// The master's side of the replication handshake, without I/O: it takes each command a
// replica sends (see master_command.h), says what a Redis master would reply, checks the
// order a Redis replica follows (syncWithMaster; rules H1, H2, H5) and
// collects what the replica announced. It ends when a PSYNC or SYNC the master may act on
// arrives; answering that is the caller's business (+FULLRESYNC / +CONTINUE / an error).
//
// The order: PING, [AUTH], [REPLCONF listening-port], [REPLCONF ip-address], [REPLCONF capa],
// [REPLCONF version], [other REPLCONF options, repeatable], then PSYNC, then SYNC (a replica
// falls back to SYNC on the same link when PSYNC is refused, H6). Steps may be skipped, never
// repeated or reordered. Keepalive newlines are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/repl/handshake_dialect.h"
#include "harness/repl/master_command.h"

namespace conformance::repl {

struct MasterHandshakeOptions {
  // requirepass: every command but AUTH gets -NOAUTH until AUTH carries it.
  std::optional<std::string> password;
  // The ACL user the password belongs to ("AUTH <password>" authenticates as "default").
  std::string user = "default";
  // H1: Redis >= 2.8 replicas open with PING; redis-cli --replica and 2.6 do not.
  bool require_ping_first = true;
  // How this dialect's replicas spell the steps (KeyDB's REPLPING, REPLCONF uuid).
  HandshakeDialect dialect;
};

// What the replica announced with REPLCONF.
struct ReplicaAnnounce {
  std::optional<int64_t> listening_port;
  std::optional<std::string> ip_address;
  std::vector<std::string> capabilities;  // in the order sent, as sent
  std::optional<std::string> version;
  // Case-insensitive, as Redis compares.
  bool HasCapability(std::string_view capability) const;
};

struct HandshakeStep {
  // The default reply, wire bytes with CRLF; nullopt when Redis sends none (REPLCONF ACK,
  // GETACK, a keepalive, and the PSYNC/SYNC the caller answers).
  std::optional<std::string> reply;
  // Set when the command breaks the handshake order: "Expected: ..., received: ...", and the
  // rule it breaks (rules H1: PING first, H2: the order after it).
  std::optional<std::string> violation;
  std::string_view violated_rule;
  // A well-formed, authenticated PSYNC or SYNC: the handshake is over.
  bool sync_requested = false;
};

class MasterHandshake {
 public:
  explicit MasterHandshake(MasterHandshakeOptions options = {});

  HandshakeStep OnCommand(const ReplicaCommand& command);

  bool authenticated() const { return authenticated_; }
  bool done() const { return done_; }
  const ReplicaAnnounce& announce() const { return announce_; }
  // The steps still allowed, e.g. "one of AUTH, REPLCONF listening-port, ..., PSYNC, SYNC".
  std::string Expected() const;

 private:
  std::string AuthReply(const ReplicaCommand& command);

  MasterHandshakeOptions options_;
  int rank_ = -1;  // the rank of the last step taken
  bool authenticated_;
  bool done_ = false;
  ReplicaAnnounce announce_;
};

}  // namespace conformance::repl
