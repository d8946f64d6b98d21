// Steps that drive the fake replica against the server under test (a master).
#include <fmt/format.h>

#include "harness/common/escape.h"
#include "harness/fuzz/request_driver.h"
#include "harness/resp/encoder.h"
#include "harness/net/timeout.h"
#include "harness/scenario/step_helpers.h"

namespace conformance::scenario {

namespace {

using Clock = std::chrono::steady_clock;

Result<fakes::AckPolicy> ParseAckPolicy(const std::string& text, const Location& where) {
  if (text == "never") return fakes::AckPolicy::kNever;
  if (text == "on-getack") return fakes::AckPolicy::kOnGetAck;
  if (text == "periodic") return fakes::AckPolicy::kPeriodic;
  if (text == "lagging") return fakes::AckPolicy::kLagging;
  return Error{fmt::format("{}: ack must be never, on-getack, periodic or lagging, not '{}'",
                           where.ToString(), text)};
}

Awaitable<StepStatus> Connect(CaseContext& ctx, const Args& args) {
  const std::string name = args.String("name").value_or("replica");
  auto& slot = ctx.replicas[name];
  fakes::FakeReplicaOptions options = slot ? slot->options() : fakes::FakeReplicaOptions{};
  options.host = ctx.host;
  options.port = ctx.port;
  options.channel = name;
  options.timeout = ctx.step_timeout;
  options.password = args.String("password");
  if (!options.password) options.password = ctx.password;
  if (!args.Bool("auth").value_or(true)) options.password.reset();
  options.user = args.String("user");
  if (auto capa = args.StringList("capa")) {
    options.capabilities = *capa;
  } else if (!slot && ctx.traits && !ctx.traits->Has("psync2")) {
    // A replica of a master that predates PSYNC2 does not announce it, and such a master
    // rightly answers a bare +CONTINUE (rule M4): the fake speaks as that replica would.
    options.capabilities = {"eof"};
  }
  if (auto port = args.Int("listening-port")) options.listening_port = static_cast<uint16_t>(*port);
  options.ip_address = args.String("ip-address");
  options.pipeline_handshake = args.Bool("pipeline").value_or(true);
  if (auto ack = args.String("ack")) {
    auto policy = ParseAckPolicy(*ack, args.step().location);
    if (!policy.ok()) co_return policy.error();
    options.ack_policy = *policy;
  }
  if (auto period = args.Int("ack-period-ms")) options.ack_period = net::Duration(*period);
  if (auto lag = args.Int("ack-lag")) options.ack_lag_bytes = static_cast<uint64_t>(*lag);
  options.faults = ParseFault(args.Node("fault"), args.bindings(), ctx.seed);
  if (slot) {
    slot->mutable_options() = options;  // a reconnect keeps the replid, offset and model
  } else {
    slot = std::make_unique<fakes::FakeReplica>(options, &ctx.transcript);
  }
  co_return co_await slot->Connect();
}

Awaitable<StepStatus> Send(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  if (auto raw = args.String("raw")) co_return co_await (*replica)->SendRaw(Unescape(*raw));
  auto command = args.StringList("command");
  if (!command || command->empty()) {
    co_return Error{args.step().location.ToString() + ": replica.send needs command or raw", ErrorKind::kHarness};
  }
  co_return co_await (*replica)->Send(*command);
}

Awaitable<StepStatus> Expect(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  auto expectation = ParseExpectation(args.step().location.file, args.Node("reply"), args.bindings());
  if (!expectation.ok()) co_return expectation.error();
  auto reply = co_await (*replica)->ReadReply(ctx.step_timeout);
  if (!reply.ok()) {
    co_return Fail(fmt::format("Expected: {}, received: nothing ({})", expectation->ToString(),
                               reply.message()));
  }
  if (!expectation->Matches(*reply)) {
    co_return Fail(fmt::format("Expected: {}, received: {}", expectation->ToString(), reply->ToString()));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Handshake(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  co_return co_await (*replica)->Handshake();
}

Awaitable<StepStatus> Psync(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  fakes::FakeReplica& fake = **replica;
  const std::string previous_replid = fake.replid();
  // (g++ 12 destroys a co_await result twice inside ?:, hence the if.)
  Result<repl::SyncReply> reply = Error{"no PSYNC sent"};
  std::optional<int64_t> requested;  // an offset read from the master's INFO
  if (auto at = args.String("offset-at")) {
    const char* field = *at == "backlog-first" ? "repl_backlog_first_byte_offset"
                        : *at == "master-next" ? "master_repl_offset"
                                               : nullptr;
    if (!field) {
      co_return Error{fmt::format("{}: offset-at must be backlog-first or master-next, not '{}'",
                                  args.step().location.ToString(), *at),
                      ErrorKind::kHarness};
    }
    auto info = co_await FetchInfo(ctx, "replication");
    if (!info.ok()) co_return info.error();
    const std::optional<int64_t> value = info->GetInt(field);
    if (!value) co_return Unsupported(fmt::format("INFO replication has no {}", field));
    requested = *value + (*at == "master-next" ? 1 : 0) + args.Int("offset-delta").value_or(0);
    ctx.transcript.Note("replica", fmt::format("PSYNC at {} {}{:+}: offset {}", field, *value,
                                               args.Int("offset-delta").value_or(0), *requested));
  }
  if (requested && args.String("expect") == "continue" &&
      static_cast<uint64_t>(*requested) != fake.offset() + 1) {
    // The stream would resume at the requested byte, but the fake's model holds the history up
    // to offset() only: the case's premise does not hold on this server, which is no failure.
    co_return Error{fmt::format("the case expects +CONTINUE at offset {}, but the fake replica's "
                                "next byte is {}: the offset it names is not where this "
                                "replica's history ends",
                                *requested, fake.offset() + 1),
                    ErrorKind::kHarness};
  }
  if (args.Bool("resume").value_or(false)) {
    reply = co_await fake.PsyncResume();
  } else if (requested) {
    reply = co_await fake.Psync(args.String("replid").value_or(fake.replid()), *requested);
  } else {
    reply = co_await fake.Psync(args.String("replid").value_or("?"), args.Int("offset").value_or(-1));
  }
  if (!reply.ok()) co_return reply.error();
  const std::string expected = args.String("expect").value_or("");
  using Kind = repl::SyncReply::Kind;
  bool matches = true;
  if (expected == "fullresync") matches = reply->kind == Kind::kFullResync;
  if (expected == "continue") matches = reply->kind == Kind::kContinue;
  if (expected == "continue-new-replid") {
    matches = reply->kind == Kind::kContinue && !reply->replid.empty() && reply->replid != previous_replid;
  }
  if (expected == "retry-later") matches = reply->kind == Kind::kRetryLater;
  if (expected == "error") matches = reply->kind == Kind::kError;
  if (!matches) {
    co_return Fail(fmt::format("PSYNC reply: Expected: {}, received: \"{}\"", expected,
                               EscapeBytes(reply->line)));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Sync(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  // SYNC announces no offset: the stream counts from the master's offset before it.
  auto before = co_await ReadMasterOffset(ctx);
  if (!before.ok()) co_return before.error();
  int64_t offset = *before;
  // A master without a backlog creates it for this SYNC; on some releases that moves its offset.
  if (ctx.traits->backlog_creation_moves_offset) {
    auto info = co_await FetchInfo(ctx, "replication");
    if (!info.ok()) co_return info.error();
    if (info->GetInt("repl_backlog_active") == 0) {
      ctx.transcript.Note("replica", "the backlog is created for this SYNC, which moves the "
                                     "master's offset by one on this release");
      ++offset;
    }
  }
  co_return co_await (*replica)->Sync(static_cast<uint64_t>(offset));
}


Awaitable<StepStatus> ReceiveRdb(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  std::optional<fakes::RdbCut> cut;
  if (auto fraction = args.Number("cut-at")) {
    cut = fakes::RdbCut{.fraction = *fraction, .expected_keys = co_await TotalKeys(ctx)};
  }
  if (args.Bool("if-due").value_or(false) && !(*replica)->snapshot_due()) {
    ctx.transcript.Note("replica", "no snapshot announced: nothing to receive");
    co_return OkStatus();
  }
  const std::string first_ack = args.String("first-ack").value_or("immediate");
  if (first_ack != "immediate" && first_ack != "none") {
    co_return Error{fmt::format("{}: first-ack must be immediate or none, not '{}'",
                                args.step().location.ToString(), first_ack),
                    ErrorKind::kHarness};
  }
  (*replica)->mutable_options().ack_after_eof_load = first_ack == "immediate";
  auto summary = co_await (*replica)->ReceiveRdb(cut);
  if (!summary.ok()) co_return summary.error();
  const std::string framing = args.String("framing").value_or("any");
  using Framing = repl::RdbTransfer::Framing;
  if ((framing == "disk" && summary->framing != Framing::kLength) ||
      (framing == "diskless" && summary->framing != Framing::kEofMark)) {
    co_return Fail(fmt::format("RDB framing: Expected: {}, received: {}", framing,
                               repl::ToString(summary->framing)));
  }
  if (cut && !summary->cut) {
    co_return Fail("the transfer ended before the planned cut; use a larger dataset");
  }
  co_return OkStatus();
}

// Reads the stream until the fake's offset equals the master's offset (ReadMasterOffset); the master
// may move on (PINGs) while we read, so the target is re-read until both agree.
Awaitable<StepStatus> Stream(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  fakes::FakeReplica& fake = **replica;
  const auto deadline = Clock::now() + ctx.step_timeout;
  int64_t master_offset = -1;
  while (Clock::now() < deadline) {
    auto offset = co_await ReadMasterOffset(ctx);
    if (!offset.ok()) co_return offset.error();
    master_offset = *offset;
    if (fake.offset() == static_cast<uint64_t>(master_offset)) co_return OkStatus();
    if (fake.offset() > static_cast<uint64_t>(master_offset)) {
      co_return Fail(fmt::format("the fake replica processed offset {} but the master reports "
                                 "master_repl_offset {}: the master sent more than it counted",
                                 fake.offset(), master_offset));
    }
    const auto left = std::chrono::duration_cast<net::Duration>(deadline - Clock::now());
    Status read = co_await fake.ReadStreamUntil(static_cast<uint64_t>(master_offset), left);
    if (!read.ok()) co_return read;
  }
  co_return Fail(fmt::format("timed out: the fake replica is at offset {}, the master at {}",
                             fake.offset(), master_offset));
}

Awaitable<StepStatus> ExpectSilence(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  const net::Duration quiet(args.Int("ms").value_or(500));
  Status status = co_await (*replica)->ExpectSilence(quiet);
  if (!status.ok()) {
    const std::string why = args.String("why").value_or("");
    co_return Fail(fmt::format("{}Expected: nothing for {} ms, received: {}",
                               why.empty() ? "" : why + ": ", quiet.count(), status.message()));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Ack(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  co_return co_await (*replica)->SendAck();
}

Awaitable<StepStatus> Disconnect(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  (*replica)->Disconnect();
  co_return OkStatus();
}

Awaitable<StepStatus> ExpectClose(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  Status status = co_await (*replica)->ExpectClose(ctx.step_timeout);
  if (!status.ok()) co_return Fail("Expected: the master closes the link, received: " + status.message());
  co_return OkStatus();
}

// The fuzzer's exchange against a master, replayed from a reproducer.
Awaitable<StepStatus> FuzzExchange(CaseContext& ctx, const Args& args) {
  std::vector<std::string> requests;
  for (const std::string& request : args.StringList("requests").value_or(std::vector<std::string>{})) {
    requests.push_back(Unescape(request));
  }
  if (ctx.password) {  // the server of this run wants a password where the fuzzed one did not
    std::string auth;
    resp::AppendCommand(&auth, {"AUTH", *ctx.password});
    requests.insert(requests.begin(), std::move(auth));
  }
  fuzz::RequestTimeouts timeouts;
  timeouts.connect = ctx.step_timeout;
  timeouts.settle = net::Duration(args.Int("settle-ms").value_or(timeouts.settle.count()));
  const std::vector<std::string> write = {"SET", "fuzz:stream", "0"};
  const fuzz::RequestsResult result =
      co_await fuzz::DriveRequests(ctx.host, ctx.port, *ctx.admin, requests, write, timeouts, ctx.transcript);
  if (auto violation = fuzz::ContinuedOutsideWindow(result)) {
    co_return Fail(fmt::format("The master {}. Sent: {}; answered: {}", *violation, EscapeBytes(result.sync_sent),
                               result.sync_answer));
  }
  if (!result.after) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await ReopenAdmin(ctx));
  }
  co_return OkStatus();
}

}  // namespace

Awaitable<uint64_t> TotalKeys(CaseContext& ctx) {
  auto info = co_await FetchInfo(ctx, "keyspace");
  uint64_t keys = 0;
  if (info.ok()) {
    for (const server::KeyspaceInfo& db : info->Keyspace()) keys += static_cast<uint64_t>(db.keys);
  }
  co_return keys;
}

const std::vector<StepBinding>& ReplicaSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"replica.connect", Connect},       {"replica.send", Send},
      {"replica.expect", Expect},         {"replica.handshake", Handshake},
      {"replica.psync", Psync},           {"replica.sync", Sync},
      {"replica.receive-rdb", ReceiveRdb}, {"replica.stream", Stream},
      {"replica.ack", Ack},               {"replica.disconnect", Disconnect},
      {"replica.expect-silence", ExpectSilence},
      {"replica.expect-close", ExpectClose},
      {"replica.exchange", FuzzExchange},
  };
  return kSteps;
}

}  // namespace conformance::scenario
