// Steps of Valkey's dual-channel sync. A fake replica against the server under test as a
// master: the start (+DUALCHANNELSYNC, the RDB channel's $ENDOFF, the main link continued at
// ENDOFF + 1) and the load (the snapshot read on the RDB channel, handed to the main link,
// whose stream then reads like any replica's with replica.stream). A fake master against the
// server under test as a replica: the snapshot (+DUALCHANNELSYNC, the RDB channel accepted,
// $ENDOFF and the snapshot) and the continue (set-rdb-client-id, PSYNC at ENDOFF + 1).
#include <fmt/format.h>

#include "fakes/dual_channel_replica.h"
#include "harness/common/text.h"
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

Awaitable<StepStatus> ServeSnapshot(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  fakes::FakeMaster& fake = **master;
  fakes::DualChannelSnapshotOptions options;
  options.timeout = ctx.step_timeout;
  if (ctx.traits->rdb_version > 0) options.rdb_version = ctx.traits->rdb_version;
  options.client_id = static_cast<uint64_t>(args.Int("client-id").value_or(7));
  if (auto fraction = args.Number("cut-at")) options.cut_at = *fraction;
  if (auto fraction = args.Number("stall-at")) options.stall_at = *fraction;
  auto serve = co_await fakes::ServeDualChannelSnapshot(fake, options);
  if (!serve.ok()) co_return serve.error();
  if (options.cut_at && !serve->cut) co_return Fail("the snapshot went out whole before the planned cut; use a larger dataset");
  ctx.master_dual_channels[fake.options().channel] = std::move(serve).value();
  co_return OkStatus();
}

Awaitable<StepStatus> ContinueMain(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  fakes::FakeMaster& fake = **master;
  auto serve = ctx.master_dual_channels.find(fake.options().channel);
  if (serve == ctx.master_dual_channels.end()) {
    co_return Error{args.step().location.ToString() + ": no dual-channel snapshot served; add master.dualchannel-snapshot",
                    ErrorKind::kHarness};
  }
  auto decision = co_await fakes::ContinueDualChannel(fake, serve->second, ctx.step_timeout);
  if (!decision.ok()) co_return decision.error();
  co_return OkStatus();
}

// The replica must abandon the session: it closes the main link (and the RDB channel), having
// sent at most what the session still allowed (set-rdb-client-id, PSYNC, ACKs, newlines).
// With `cut: main` the fake master first ends the main link itself.
Awaitable<StepStatus> ExpectAbandon(CaseContext& ctx, const Args& args) {
  auto master = MasterFor(ctx, args);
  if (!master.ok()) co_return master.error();
  fakes::FakeMaster& fake = **master;
  const std::string cut = args.String("cut").value_or("none");
  if (cut != "none" && cut != "main") {
    co_return Error{fmt::format("{}: cut must be none or main, not '{}'", args.step().location.ToString(), cut),
                    ErrorKind::kHarness};
  }
  if (cut == "main") fake.Disconnect();
  const auto deadline = std::chrono::steady_clock::now() + ctx.step_timeout;
  auto left = [&] {
    return std::max(net::Duration(1), std::chrono::duration_cast<net::Duration>(deadline - std::chrono::steady_clock::now()));
  };
  while (fake.connected()) {
    fakes::CommandLink& link = *fake.link();
    const net::Wait wait = link.StartWait(left());  // named: g++ 12 and temporaries in co_await
    auto command = co_await link.ReadCommand(wait);
    if (!command.ok()) {
      if (command.error().kind == ErrorKind::kTimeout) {
        co_return Fail(fmt::format("Expected: the replica abandons the dual-channel session and closes its main "
                                   "link, received: nothing within {} ms (rule {})",
                                   ctx.step_timeout.count(), rules::kDualChannelReplica));
      }
      fake.Disconnect();
      break;
    }
    const bool allowed = command->kind == repl::ReplicaCommandKind::kKeepalive ||
                         command->kind == repl::ReplicaCommandKind::kAck ||
                         command->kind == repl::ReplicaCommandKind::kPsync ||
                         (command->argv.size() >= 2 && EqualsIgnoreCase(command->argv[0], "replconf") &&
                          EqualsIgnoreCase(command->argv[1], "set-rdb-client-id"));
    if (!allowed) {
      co_return Fail(fmt::format("Expected: the replica abandons the dual-channel session, received: {} (rule {})",
                                 command->Describe(), rules::kDualChannelReplica));
    }
  }
  auto serve = ctx.master_dual_channels.find(fake.options().channel);
  if (serve != ctx.master_dual_channels.end() && serve->second.rdb_channel && serve->second.rdb_channel->connected()) {
    Status closed = co_await serve->second.rdb_channel->ExpectClose(left());
    if (!closed.ok()) {
      co_return Fail(fmt::format("the replica abandoned its main link but not its RDB channel: {} (rule {})",
                                 closed.message(), rules::kDualChannelReplica));
    }
  }
  ctx.transcript.Note(fake.options().channel, "the replica abandoned the dual-channel session");
  co_return OkStatus();
}

}  // namespace

const std::vector<StepBinding>& DualChannelSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"replica.dualchannel-start", Start},
      {"replica.dualchannel-load", Load},
      {"replica.dualchannel-abandon", Abandon},
      {"master.dualchannel-snapshot", ServeSnapshot},
      {"master.dualchannel-continue", ContinueMain},
      {"master.dualchannel-expect-abandon", ExpectAbandon},
  };
  return kSteps;
}

}  // namespace conformance::scenario
