// Everything one running case owns: its transcript, the server under test (started or
// attached), the harness's admin connection, the fake peers, and stats baselines. Steps read
// and change it; nothing outlives the case.
#pragma once

#include <asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "fakes/dual_channel_master.h"
#include "fakes/dual_channel_replica.h"
#include "fakes/fake_master.h"
#include "fakes/fake_replica.h"
#include "harness/keyspace/keyspace.h"
#include "harness/common/transcript.h"
#include "harness/scenario/keyspace_read.h"
#include "harness/scenario/scenario.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"
#include "harness/server/traits.h"

namespace conformance::scenario {

// What the fake-master steps remember about one fake master beyond its own state
// (steps_master.cc).
struct MasterNotes {
  // The offset the replica must have applied when the last link ended (a master.disconnect,
  // a cut in the middle of a command, the replica closing the link); PSYNC then asks for it + 1.
  std::optional<uint64_t> applied_at_link_end;
  // The replid before the last master.continue {new-replid: true} or master.fullresync.
  std::string previous_replid;
  // The fake's offset just before the MULTI of the transaction being propagated: a replica
  // applies nothing of it before EXEC (O5).
  uint64_t multi_start = 0;
};

struct CaseContext {
  const Scenario* scenario = nullptr;
  uint64_t seed = 0;
  Transcript transcript;
  net::Duration step_timeout{10000};

  server::ServerProcess* server = nullptr;  // null when attached to a running server
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::optional<std::string> password;  // the server's requirepass, if any
  std::unique_ptr<server::Admin> admin;
  // Connections whose request is still unanswered (a blocking REPLICAOF), closed at the end.
  std::vector<std::unique_ptr<server::Admin>> pending_admin;
  // How check steps without a `method` read the server (RunOptions::keyspace_read).
  KeyspaceRead keyspace_read = KeyspaceRead::kScan;
  // What the server under test is and speaks (RunOptions::traits); never null in a case.
  const server::ServerTraits* traits = nullptr;

  std::map<std::string, std::unique_ptr<fakes::FakeReplica>> replicas;
  // A fake replica's dual-channel session (by the replica's name): its RDB channel, a link of
  // its own, and what the master said on it.
  struct DualChannel {
    std::unique_ptr<fakes::FakeReplica> rdb_channel;
    fakes::DualChannelSession session;
  };
  std::map<std::string, DualChannel> dual_channels;
  std::map<std::string, int64_t> stats_baseline;
  // Set when the server was started as a replica of a fake master (no runtime REPLICAOF).
  bool started_as_replica = false;

  // Fake masters (the server under test is a replica), by name, and the steps' notes on them.
  std::map<std::string, std::unique_ptr<fakes::FakeMaster>> masters;
  std::map<std::string, MasterNotes> master_notes;
  // A fake master's dual-channel session (by the master's name): the RDB channel it accepted.
  std::map<std::string, fakes::DualChannelServe> master_dual_channels;
  // The server's keyspace as server.snapshot read it (check.replica-keyspace against: snapshot).
  std::optional<keyspace::Keyspace> server_snapshot;
  // The server's DEBUG DIGEST at server.snapshot, where the server allows DEBUG: an unchanged
  // digest later proves the keyspace unchanged without reading it again.
  std::optional<std::string> server_snapshot_digest;
  // The RDB version the server writes, as server.rdb-version read it from a DUMP footer.
  std::optional<int> server_rdb_version;

  // Closes every fake peer and each link they hold, while the io_context their sockets use
  // still exists (the runner calls it before that goes).
  void ReleasePeers() {
    dual_channels.clear();
    master_dual_channels.clear();
    replicas.clear();
    masters.clear();
  }

  // The fake replica called `name` ("" picks the only one); null if none.
  fakes::FakeReplica* Replica(const std::string& name);
  // The fake master called `name` ("" picks the only one, or "master"); null if none.
  fakes::FakeMaster* Master(const std::string& name);
};

// How a step ended. kUnsupported errors become SKIP; every other error is a FAIL.
using StepStatus = Status;

}  // namespace conformance::scenario
