// A fake replica that syncs by Valkey's dual-channel protocol (harness/repl/dual_channel.h):
// two FakeReplica links to one master, the main link and the RDB channel, driven together.
//
// StartDualChannelSync asks for a full sync on the main link; on +DUALCHANNELSYNC the RDB
// channel connects, announces itself, SYNCs and reads $ENDOFF, then the main link names the
// RDB channel's client and asks PSYNC <replid> <ENDOFF + 1>, which the master must continue.
// Both links are then left unread: the snapshot waits on the RDB channel and the stream on the
// main link (the socket buffers it, as the replica buffers it), so writes made now land in the
// stream while the snapshot is in flight. LoadDualChannelSnapshot reads the snapshot, closes
// the RDB channel and gives the main link's model what it loaded; the main link then reads
// the stream from ENDOFF + 1 like any replica.
//
// Every step says what the master broke (the step's rule), or where the harness stopped.
#pragma once

#include <optional>
#include <string>

#include "fakes/fake_replica.h"
#include "harness/repl/dual_channel.h"

namespace conformance::fakes {

struct DualChannelSession {
  // False when the master answered +FULLRESYNC on the main link (it does not offer
  // dual-channel): the snapshot then comes on the main link as in any full sync.
  bool dual = false;
  repl::EndOffset end_offset;
  std::string sync_reply;  // the main link's answer to PSYNC ? -1, as received
};

// `main` is connected and through its handshake (with capa dual-channel); `rdb_channel`
// carries the master's address and the credentials, and is connected here.
Awaitable<Result<DualChannelSession>> StartDualChannelSync(FakeReplica& main, FakeReplica& rdb_channel);

// Reads the snapshot (on the RDB channel, or on the main link after a fallback), optionally
// cut part-way; after a cut nothing is handed to `main`.
Awaitable<Result<RdbSummary>> LoadDualChannelSnapshot(FakeReplica& main, FakeReplica& rdb_channel,
                                                      const DualChannelSession& session,
                                                      std::optional<RdbCut> cut = std::nullopt);

// The RDB channel's options, derived from the main link's: same master and credentials, its
// own channel name, no capabilities of its own and no ACKs (it only receives a snapshot).
FakeReplicaOptions RdbChannelOptions(const FakeReplicaOptions& main);

}  // namespace conformance::fakes
