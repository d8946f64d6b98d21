// Reads a real server's keyspace the fast way: through the replication protocol itself. A
// fake-replica connection asks for a snapshot and decodes it with the harness's RDB reader into
// a model; the RDB carries absolute expiries, so nothing drifts while the keyspace is read.
//
//   AUTH [user] password          when the server needs one
//   REPLCONF listening-port <n>   names the capture in INFO (slaveN:...,port=<n>)
//   REPLCONF capa eof             when the master streams snapshots without waiting (below)
//   REPLCONF rdb-only 1           Redis >= 7.0: "the RDB, then close me" (redis-cli --rdb);
//                                 refused by older servers: plain SYNC, closed after the payload
//   SYNC                          the master answers with $<len> or $EOF:<mark> and the snapshot
//
// What a capture does to the server (a check that counts these must account for them):
//   - INFO stats sync_full grows by one (replication.c syncCommand counts every full sync,
//     rdb-only ones included); check.keyspace {method: snapshot} adds the delta it saw to the
//     case's stats baseline, so check.stats still counts the scenario's own syncs only.
//   - The master forks a BGSAVE. Without capa eof it goes to disk (dump.rdb in its dir) and
//     starts at once; with it, a diskless master streams the snapshot over the socket while it
//     makes it, but first waits repl-diskless-sync-delay (5 s by default). So by default
//     (EofMode::kAuto) the capture asks CONFIG GET repl-diskless-sync and
//     repl-diskless-sync-delay and announces capa eof only to a diskless master with no delay.
//   - While it lasts the capture is a replica in INFO (slaveN lines, connected_slaves), and the
//     master re-sends SELECT before its next propagated write (replicationSetupSlaveForFullResync
//     sets slaveseldb = -1): more stream bytes, which every replica counts alike.
//   - On a master that never had a replica, SYNC creates the replication backlog and with it a
//     new replid (syncCommand: changeReplicationId): take a capture after replid checks.
//   - The snapshot holds keys that are logically expired but not yet deleted, as a replica's
//     would; a SCAN-based read does not see those (use long TTLs in scenarios, as the generators
//     do).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/keyspace/keyspace.h"
#include "harness/net/connection.h"
#include "harness/repl/rdb_transfer.h"

namespace conformance::oracle {

// Whether the capture announces capa eof (see above).
enum class EofMode : uint8_t {
  kAuto,    // only to a diskless master with repl-diskless-sync-delay 0 (CONFIG GET)
  kAlways,  // always (a diskless master then waits its delay)
  kNever,   // never: a disk snapshot
};

struct CaptureOptions {
  std::optional<std::string> user;      // AUTH user password when both are set
  std::optional<std::string> password;  // AUTH password; never logged
  bool rdb_only = true;                 // ask for REPLCONF rdb-only 1 first
  EofMode eof = EofMode::kAuto;
  std::optional<uint16_t> listening_port = 16399;
  net::Duration timeout = net::Duration{60000};  // the whole capture
};

struct CaptureSummary {
  bool rdb_only = false;  // the server took REPLCONF rdb-only 1
  repl::RdbTransfer::Framing framing = repl::RdbTransfer::Framing::kUnknown;
  uint64_t payload_bytes = 0;
  uint64_t keys = 0;
  int rdb_version = 0;
  size_t keepalives = 0;  // newlines the master sent while preparing the snapshot
  std::string ToString() const;
};

// Fills `out` (cleared first) with the server's keyspace from a replication snapshot. The
// transcript (may be null) gets the handshake and a summary of the payload.
net::Awaitable<Result<CaptureSummary>> CaptureKeyspace(std::string host, uint16_t port,
                                                       keyspace::Keyspace* out,
                                                       CaptureOptions options = {},
                                                       Transcript* transcript = nullptr);

}  // namespace conformance::oracle
