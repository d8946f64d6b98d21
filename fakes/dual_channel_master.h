// A fake master that serves Valkey's dual-channel sync (harness/repl/dual_channel.h) to a real
// replica: a FakeMaster keeps the main link and the history, and a second CommandLink from
// the same listener is the RDB channel.
//
// ServeDualChannelSnapshot answers the PSYNC that AnswerHandshake returned with
// +DUALCHANNELSYNC, accepts the RDB channel, checks its AUTH, REPLCONF and SYNC, and writes
// $ENDOFF and the snapshot of the model at the master's offset (by $EOF, optionally cut).
// Writes propagated afterwards wait in the backlog. ContinueDualChannel then reads the main
// link's REPLCONF set-rdb-client-id and PSYNC and answers as the backlog decides: +CONTINUE
// from ENDOFF + 1 and the stream, writes made in between included.
//
// An error of kind kProtocol names a rule the replica broke; others are the link's.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "fakes/command_link.h"
#include "fakes/fake_master.h"
#include "harness/repl/dual_channel.h"

namespace conformance::fakes {

struct DualChannelSnapshotOptions {
  uint64_t client_id = 1;  // the RDB channel's client id in $ENDOFF
  int rdb_version = 11;    // Valkey 8
  std::optional<double> cut_at;  // cut the RDB channel after this fraction of the payload
  // Stop after this fraction of the payload and leave the RDB channel open: a transfer still in
  // flight when the scenario acts (cuts the main link, say).
  std::optional<double> stall_at;
  Duration timeout = net::kDefaultTimeout;
};

struct DualChannelServe {
  std::unique_ptr<CommandLink> rdb_channel;
  repl::EndOffset end_offset;
  bool cut = false;  // the snapshot was cut on purpose
};

Awaitable<Result<DualChannelServe>> ServeDualChannelSnapshot(FakeMaster& master,
                                                             const DualChannelSnapshotOptions& options);

Awaitable<Result<repl::PsyncDecision>> ContinueDualChannel(FakeMaster& master, const DualChannelServe& serve,
                                                           Duration timeout);

}  // namespace conformance::fakes
