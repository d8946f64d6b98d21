// Dragonfly's replication handshake, without I/O (replica.cc Replica::Greet,
// HandleCapaDflyResp, DflyShardReplica::StartSyncFlow; server_family.cc ServerFamily::ReplConf;
// dflycmd.cc DflyCmd::Flow).
//
// On the main link the replica sends REPLCONF capa dragonfly, which creates a sync session:
// the master answers [replid, SYNC<n>, flows, version, lineage] (3 elements up to 1.3, 4 up to
// 1.39, 5 since). Then, on one new link per flow i, DFLY FLOW <replid> SYNC<n> <i> [<lsn>]
// [<last master id> <lsn-lsn-...>], answered [FULL|PARTIAL, <40-hex EOF token>].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/resp/value.h"

namespace conformance::repl::dragonfly {

// The most flows a replica accepts (Replica::HandleCapaDflyResp).
inline constexpr uint64_t kMaxFlows = 1024;

struct CapaReply {
  std::string replid;                   // 40 bytes
  std::string sync_id;                  // "SYNC<n>"
  uint64_t flows = 0;                   // the master's shard count
  std::optional<int64_t> version;       // DflyVersion, absent from 1.3 and older masters
  std::optional<std::string> lineage;   // since 1.40
};

// As a replica reads it: at least 3 elements, [0] and [1] strings, [2] an integer, [0] 40
// bytes long, 1 <= flows <= 1024, [3] an integer and [4] a string when present. A one-element
// array holding OK (a Redis master) is an error naming that.
Result<CapaReply> ParseCapaReply(const resp::Value& reply);
// The reply a master of that era sends: 3 elements without a version, 4 without a lineage.
std::string EncodeCapaReply(const CapaReply& reply);

struct FlowRequest {
  std::string master_id;
  std::string sync_id;
  uint64_t flow = 0;
  std::optional<uint64_t> lsn;  // partial sync after a reconnect to the same master
  // Partial sync after a failover: the previous master's id and every flow's LSN.
  std::optional<std::string> last_master_id;
  std::vector<uint64_t> lsns;
};

// DFLY FLOW's words, sent inline by a real replica.
std::vector<std::string> FlowCommand(const FlowRequest& request);
// As a master reads it: DFLY FLOW with 3, 4 or 5 arguments; the sync id must be SYNC<decimal>.
// The checks against the master's own state (its id, shard count, sessions) are the caller's.
Result<FlowRequest> ParseFlowCommand(const std::vector<std::string>& argv);

struct FlowReply {
  bool full = true;       // FULL, else PARTIAL
  std::string eof_token;  // 40 hex characters, sent even with PARTIAL
};

Result<FlowReply> ParseFlowReply(const resp::Value& reply);
std::string EncodeFlowReply(const FlowReply& reply);

// "SYNC<n>"
std::string SyncId(uint64_t session);

}  // namespace conformance::repl::dragonfly
