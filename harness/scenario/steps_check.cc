// The oracles: offsets, ACKs, keyspace equivalence, stats deltas, protocol rules, liveness.
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/wait.h>

#include <filesystem>

#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "harness/net/timeout.h"
#include "harness/oracle/server_keyspace.h"
#include "harness/rules/ids.h"
#include "harness/scenario/step_helpers.h"
#include "harness/server/proc_inspect.h"

namespace conformance::scenario {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxDifferencesShown = 10;

Awaitable<StepStatus> Offsets(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  auto master_offset = co_await ReadMasterOffset(ctx);
  if (!master_offset.ok()) co_return master_offset.error();
  const uint64_t fake_offset = (*replica)->offset();
  if (static_cast<uint64_t>(*master_offset) != fake_offset) {
    co_return Fail(fmt::format("offsets: Expected: the master's offset {} (the bytes the fake "
                               "replica counted), received: {} ({})",
                               fake_offset, *master_offset,
                               ctx.traits->Has("info-replication") ? "INFO master_repl_offset"
                                                                   : "ROLE"));
  }
  ctx.transcript.Note("check", fmt::format("offsets agree at {}", fake_offset));
  co_return OkStatus();
}

// The master processes an ACK asynchronously, so INFO is polled until it shows it.
Awaitable<StepStatus> AckReflected(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  const fakes::FakeReplica& fake = **replica;
  if (fake.stats().acks_sent == 0) co_return Error{"check.ack: the fake replica sent no ACK yet"};
  const uint64_t expected = fake.stats().last_ack_offset;
  const uint16_t port = fake.options().listening_port.value_or(0);
  const auto deadline = Clock::now() + ctx.step_timeout;
  std::string seen = "no replica line";
  while (true) {
    auto info = co_await FetchInfo(ctx, "replication");
    if (!info.ok()) co_return info.error();
    for (const server::ReplicaInfo& line : info->Replicas()) {
      if (line.port && *line.port != port) continue;
      if (!line.offset) co_return Unsupported("INFO replication slaveN lines carry no offset");
      seen = fmt::format("slave{}: state={} offset={}", line.index, line.state, *line.offset);
      if (static_cast<uint64_t>(*line.offset) == expected) {
        ctx.transcript.Note("check", "ACK reflected: " + seen);
        co_return OkStatus();
      }
    }
    if (Clock::now() >= deadline) break;
    co_await net::Pause(kPollInterval);
  }
  co_return Fail(fmt::format("ACK: Expected: INFO slaveN offset={} for the replica with port {}, "
                             "received: {}",
                             expected, port, seen));
}

Awaitable<StepStatus> Keyspace(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  fakes::FakeReplica& fake = **replica;
  const auto& stats = fake.stats();
  if (!stats.model_errors.empty()) {
    co_return Fail(fmt::format("the master streamed {} commands that fail when applied, first: {}",
                               stats.model_errors.size(), stats.model_errors.front()));
  }
  if (!stats.unmodelled.empty()) {
    co_return Unsupported(fmt::format("keyspace check inconclusive: {} streamed commands are not "
                                      "modelled by the harness, first: {}",
                                      stats.unmodelled.size(), stats.unmodelled.front()));
  }
  auto method = KeyspaceReadFor(args, ctx.keyspace_read);
  if (!method.ok()) co_return method.error();
  keyspace::Keyspace actual;
  Status read = co_await ReadServerKeyspaceBy(ctx, *method, &actual, ctx.step_timeout);
  if (!read.ok()) co_return read;
  const int64_t tolerance = args.Int("ttl-tolerance-ms").value_or(2000);
  keyspace::Keyspace projected;
  auto expected = AsServerHolds(ctx, fake.model(), &projected);
  if (!expected.ok()) co_return expected.error();
  const auto differences =
      keyspace::Keyspace::Diff(**expected, actual, kMaxDifferencesShown, tolerance);
  if (!differences.empty()) {
    std::string text = fmt::format(
        "keyspace: the fake replica's model ({} keys) differs from the server ({} keys):",
        fake.model().size(), actual.size());
    for (const auto& difference : differences) text += "\n  " + difference.ToString();
    co_return Fail(text);
  }
  ctx.transcript.Note("check", fmt::format("keyspace equal ({}): {} keys, digest {}",
                                           ToString(*method), actual.size(),
                                           actual.ComputeDigest().ToHex()));
  co_return OkStatus();
}

Awaitable<StepStatus> Stats(CaseContext& ctx, const Args& args) {
  auto now = co_await ReadSyncStats(ctx);
  if (!now.ok()) co_return now.error();
  std::string mismatches;
  for (const char* key : {"sync_full", "sync_partial_ok", "sync_partial_err"}) {
    auto expected = args.Int(key);
    if (!expected) continue;
    auto current = now->find(key);
    if (current == now->end()) co_return Unsupported(fmt::format("INFO stats has no {}", key));
    const int64_t delta = current->second - ctx.stats_baseline[key];
    if (delta != *expected) {
      mismatches += fmt::format("{}{}: Expected: +{}, received: +{}", mismatches.empty() ? "" : "; ",
                                key, *expected, delta);
    }
  }
  if (!mismatches.empty()) co_return Fail("stats: " + mismatches);
  co_return OkStatus();
}

Awaitable<StepStatus> InfoField(CaseContext& ctx, const Args& args) {
  const std::string field = args.String("field").value_or("");
  const std::optional<std::string> expected = args.String("equals");
  if (field.empty() || !expected) {
    co_return Error{args.step().location.ToString() + ": check.info needs field and equals", ErrorKind::kHarness};
  }
  auto info = co_await FetchInfo(ctx, args.String("section").value_or(""));
  if (!info.ok()) co_return info.error();
  const std::optional<std::string> value = info->Get(field);
  if (!value) co_return Unsupported(fmt::format("INFO has no {}", field));
  if (*value != *expected) {
    co_return Fail(fmt::format("INFO {}: Expected: {}, received: {}", field, *expected, *value));
  }
  ctx.transcript.Note("check", fmt::format("INFO {}:{}", field, *value));
  co_return OkStatus();
}

Awaitable<StepStatus> Protocol(CaseContext& ctx, const Args& args) {
  auto replica = ReplicaFor(ctx, args);
  if (!replica.ok()) co_return replica.error();
  const auto& violations = (*replica)->stats().violations;
  if (violations.empty()) co_return OkStatus();
  std::string text = fmt::format("the master broke {} protocol rule(s):", violations.size());
  for (const rules::Violation& violation : violations) text += "\n  " + violation.ToString();
  co_return Fail(text);
}

Awaitable<StepStatus> Alive(CaseContext& ctx, const Args& args) {
  if (ctx.server && !ctx.server->IsAlive()) {
    co_return Fail("the server process is gone: " + ctx.server->DescribeExit());
  }
  if (auto timeout = args.Int("ping-timeout-ms")) ctx.admin->set_timeout(net::Duration(*timeout));
  std::vector<std::string> ping = {"PING"};
  auto reply = co_await ctx.admin->Call(std::move(ping));
  ctx.admin->set_timeout(ctx.step_timeout);
  if (!reply.ok()) co_return Fail("the server does not answer PING: " + reply.message());
  if (!(reply->type == resp::Type::kSimpleString && reply->str == "PONG")) {
    co_return Fail("PING: Expected: +PONG, received: " + reply->ToString());
  }
  const std::optional<int64_t> max_rss_mb = args.Int("max-rss-mb");
  if (max_rss_mb && ctx.server) {
    auto rss = server::ResidentBytes(ctx.server->pid());
    if (rss.ok() && *rss > static_cast<uint64_t>(*max_rss_mb) << 20) {
      co_return Fail(fmt::format("the server's resident memory is {} MiB, above {} MiB", *rss >> 20,
                                 *max_rss_mb));
    }
  }
  co_return OkStatus();
}

// How long a server that stopped answering may take to be seen gone.
constexpr auto kExitWait = std::chrono::milliseconds(2000);

// Judges a server that is gone: refusing by exiting is allowed, dying by a signal is not.
StepStatus RefusedByExit(CaseContext& ctx) {
  const std::optional<int> status = ctx.server->exit_status();
  if (status && WIFSIGNALED(*status)) {
    return Fail("the replica died instead of refusing the input: " + ctx.server->DescribeExit());
  }
  ctx.transcript.Note("check", "the replica refused the input by exiting: " + ctx.server->DescribeExit());
  return OkStatus();
}

// The replica did not bring its link up on what it was sent: its link is down, or its process
// exited by itself (the scenario's server.may-exit allows it).
Awaitable<StepStatus> Refused(CaseContext& ctx, const Args&) {
  if (ctx.server && !ctx.server->IsAlive()) co_return RefusedByExit(ctx);
  auto info = co_await ctx.admin->Info("replication");
  if (!info.ok()) {
    const auto deadline = Clock::now() + kExitWait;
    while (ctx.server && Clock::now() < deadline) {
      if (!ctx.server->IsAlive()) co_return RefusedByExit(ctx);
      asio::steady_timer tick(co_await asio::this_coro::executor, std::chrono::milliseconds(10));
      co_await tick.async_wait(asio::use_awaitable);
    }
    co_return Fail("the replica neither answers INFO nor exits: " + info.message());
  }
  if (info->Get("master_link_status") == "up") {
    co_return Fail("the replica brought its link up on an input it had to refuse");
  }
  ctx.transcript.Note("check", "the replica refused the input: its link is down");
  co_return OkStatus();
}

// No file of the server's directory matches `pattern` (a transfer's temporary file) within
// `within-ms`: polled, since removing it may take the server a moment.
Awaitable<StepStatus> NoTempFiles(CaseContext& ctx, const Args& args) {
  if (!ctx.server) co_return Unsupported("the server's directory is unknown (attached with --target)");
  const std::string pattern = args.String("pattern").value_or("temp-*.rdb");
  const auto deadline = Clock::now() + net::Duration(args.Int("within-ms").value_or(1000));
  std::vector<std::string> left;
  while (true) {
    left.clear();
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(ctx.server->dir(), error)) {
      const std::string name = entry.path().filename().string();
      if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) left.push_back(name);
    }
    if (left.empty()) co_return OkStatus();
    if (Clock::now() >= deadline) break;
    co_await net::Pause(kPollInterval);
  }
  std::string names;
  for (const std::string& name : left) names += (names.empty() ? "" : ", ") + name;
  co_return Fail(fmt::format("Expected: no {} in the server's directory after the transfer was abandoned, "
                             "received: {} (rule {})",
                             pattern, names, rules::kAbandonedTransferLeavesNoFile));
}

}  // namespace

const std::vector<StepBinding>& CheckSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"check.offsets", Offsets}, {"check.ack", AckReflected}, {"check.keyspace", Keyspace},
      {"check.stats", Stats},     {"check.protocol", Protocol}, {"check.alive", Alive},
      {"check.info", InfoField}, {"check.refused", Refused},
      {"check.no-temp-files", NoTempFiles},
  };
  return kSteps;
}

}  // namespace conformance::scenario
