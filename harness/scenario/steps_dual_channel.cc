// Steps that drive a fake replica through Valkey's dual-channel sync against the server under
// test (a master): the start (+DUALCHANNELSYNC, the RDB channel's $ENDOFF, the main link
// continued at ENDOFF + 1) and the load (the snapshot read on the RDB channel, handed to the
// main link, whose stream then reads like any replica's with replica.stream).
#include <fmt/format.h>

#include "fakes/dual_channel_replica.h"
#include "harness/rules/ids.h"
#include "harness/scenario/step_helpers.h"

namespace conformance::scenario {

namespace {

Awaitable<StepStatus> Start(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  fakes::FakeReplica& main = **replica;
  const std::string expect = args.String("expect").value_or("dual-channel");
  if (expect != "dual-channel" && expect != "fullresync") {
    co_return Error{fmt::format("{}: expect must be dual-channel or fullresync, not '{}'",
                                args.step().location.ToString(), expect),
                    ErrorKind::kHarness};
  }
  CaseContext::DualChannel& state = ctx.dual_channels[main.options().channel];
  state.rdb_channel = std::make_unique<fakes::FakeReplica>(fakes::RdbChannelOptions(main.options()), &ctx.transcript);
  auto session = co_await fakes::StartDualChannelSync(main, *state.rdb_channel);
  if (!session.ok()) co_return session.error();
  state.session = *session;
  if (expect == "dual-channel" && !session->dual) {
    co_return Fail(fmt::format("PSYNC ? -1 from a replica with capa dual-channel: Expected: +DUALCHANNELSYNC "
                               "(the master offers dual-channel sync), received: {} (rule {})",
                               session->sync_reply, rules::kDualChannelSync));
  }
  if (expect == "fullresync" && session->dual) {
    co_return Fail(fmt::format("PSYNC ? -1: Expected: +FULLRESYNC (this master does not offer dual-channel "
                               "sync), received: +DUALCHANNELSYNC (rule {})",
                               rules::kDualChannelOnlyWhenOffered));
  }
  if (session->dual) {
    // The snapshot ends where the master stood: never ahead of it.
    auto offset = co_await ReadMasterOffset(ctx);
    if (!offset.ok()) co_return offset.error();
    if (session->end_offset.offset > *offset) {
      co_return Fail(fmt::format("$ENDOFF offset {} is ahead of master_repl_offset {} (rule {})",
                                 session->end_offset.offset, *offset, rules::kDualChannelSync));
    }
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Load(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  fakes::FakeReplica& main = **replica;
  auto state = ctx.dual_channels.find(main.options().channel);
  if (state == ctx.dual_channels.end() || !state->second.rdb_channel) {
    co_return Error{args.step().location.ToString() + ": no dual-channel sync started; add replica.dualchannel-start",
                    ErrorKind::kHarness};
  }
  std::optional<fakes::RdbCut> cut;
  if (auto fraction = args.Number("cut-at")) {
    cut = fakes::RdbCut{.fraction = *fraction, .expected_keys = co_await TotalKeys(ctx)};
  }
  auto summary = co_await fakes::LoadDualChannelSnapshot(main, *state->second.rdb_channel, state->second.session, cut);
  if (!summary.ok()) co_return summary.error();
  if (cut && !summary->cut) co_return Fail("the transfer ended before the planned cut; use a larger dataset");
  if (state->second.session.dual && summary->framing != repl::RdbTransfer::Framing::kEofMark) {
    co_return Fail(fmt::format("the RDB channel's snapshot: Expected: $EOF framing, received: {} (rule {})",
                               repl::ToString(summary->framing), rules::kDualChannelSync));
  }
  co_return OkStatus();
}

// Closes the RDB channel (as a replica whose main link broke abandons the session).
Awaitable<StepStatus> Abandon(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  auto state = ctx.dual_channels.find((*replica)->options().channel);
  if (state != ctx.dual_channels.end() && state->second.rdb_channel) state->second.rdb_channel->Disconnect();
  co_return OkStatus();
}

}  // namespace

const std::vector<StepBinding>& DualChannelSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"replica.dualchannel-start", Start},
      {"replica.dualchannel-load", Load},
      {"replica.dualchannel-abandon", Abandon},
  };
  return kSteps;
}

}  // namespace conformance::scenario
