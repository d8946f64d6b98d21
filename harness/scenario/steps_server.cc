// Steps that act on the server under test through the harness's admin connection.
#include <fmt/format.h>

#include "harness/scenario/step_helpers.h"
#include "harness/scenario/workload_args.h"
#include "harness/net/timeout.h"
#include "harness/oracle/server_keyspace.h"
#include "harness/workload/generator.h"
#include "harness/workload/pacer.h"

namespace conformance::scenario {

namespace {

Awaitable<StepStatus> Admin(CaseContext& ctx, const Args& args) {
  const std::vector<std::string> command = args.StringList("command").value_or(std::vector<std::string>{});
  if (command.empty()) co_return Error{args.step().location.ToString() + ": admin needs a command", ErrorKind::kHarness};
  const bool poll = args.Bool("poll").value_or(false);
  if (poll && !args.Has("expect")) {
    co_return Error{args.step().location.ToString() + ": admin poll needs expect", ErrorKind::kHarness};
  }
  const auto deadline = std::chrono::steady_clock::now() + ctx.step_timeout;
  auto reply = co_await ctx.admin->Call(command);
  if (!reply.ok()) co_return reply.error();
  if (args.Has("expect")) {
    auto expectation = ParseExpectation(args.step().location.file, args.Node("expect"), args.bindings());
    if (!expectation.ok()) co_return expectation.error();
    // poll: the server gets until the step's deadline to reach the expected reply.
    while (poll && !expectation->Matches(*reply) && std::chrono::steady_clock::now() < deadline) {
      co_await net::Pause(kPollInterval);
      reply = co_await ctx.admin->Call(command);
      if (!reply.ok()) co_return reply.error();
    }
    if (!expectation->Matches(*reply)) {
      co_return Fail(fmt::format("{}: Expected: {}, received: {}",
                                 resp::Value::Command(command).ToString(), expectation->ToString(),
                                 reply->ToString()));
    }
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Config(CaseContext& ctx, const Args& args) {
  for (const auto& [name, value] : args.StringMap("set")) {
    Status status = co_await ctx.admin->ConfigSet(name, value);
    if (!status.ok()) co_return status;
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Load(CaseContext& ctx, const Args& args) {
  std::vector<std::string> limits;
  auto parsed = DatasetOptionsFrom(args, ctx.seed, workload::Form::kClient, *ctx.traits, &limits);
  for (const std::string& limit : limits) ctx.transcript.Note("workload", limit);
  if (!parsed.ok()) co_return parsed.error();
  const workload::DatasetOptions& options = *parsed;
  auto commands = workload::GenerateDataset(options);
  if (workload::Accepted(options.accepts, {"SELECT", "0"})) commands.push_back({"SELECT", "0"});
  co_return co_await WritePipelined(
      ctx, commands,
      fmt::format("{} dataset of {} keys (seed {})", workload::ToString(options.profile),
                  options.keys, options.seed));
}

// Writes `commands` at `rate` per second (0: at once), checking every reply.
Awaitable<Status> WritePaced(CaseContext& ctx, const std::vector<workload::Command>& commands,
                             double rate, const std::string& what) {
  if (rate <= 0) co_return co_await WritePipelined(ctx, commands, what);
  const workload::Pacer pacer(rate, workload::Pacer::Clock::now());
  for (size_t start = 0; start < commands.size(); start += pacer.batch()) {
    co_await net::Pause(pacer.DelayBefore(start, workload::Pacer::Clock::now()));
    const auto first = commands.begin() + static_cast<std::ptrdiff_t>(start);
    const auto last = commands.begin() + static_cast<std::ptrdiff_t>(
                                             std::min(commands.size(), start + pacer.batch()));
    const std::vector<workload::Command> batch(first, last);
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await WritePipelined(ctx, batch, what));
  }
  co_return OkStatus();
}

Awaitable<StepStatus> Workload(CaseContext& ctx, const Args& args) {
  std::vector<std::string> limits;
  auto parsed = WorkloadOptionsFrom(args, ctx.seed, workload::Form::kClient, *ctx.traits, &limits);
  for (const std::string& limit : limits) ctx.transcript.Note("workload", limit);
  if (!parsed.ok()) co_return parsed.error();
  const workload::WorkloadOptions& options = *parsed;
  const double rate = args.Number("rate").value_or(0);
  std::vector<workload::Command> commands;
  if (options.profile == workload::Profile::kBasic) {
    commands = workload::GenerateWorkload(options);
  } else {
    // The tracked profiles write only what succeeds on what the server holds now.
    auto method = KeyspaceReadFor(args, ctx.keyspace_read);
    if (!method.ok()) co_return method.error();
    keyspace::Keyspace current;
    Status read = co_await ReadServerKeyspaceBy(ctx, *method, &current, ctx.step_timeout);
    if (!read.ok()) co_return read;
    commands = workload::GenerateWorkload(options, current);
  }
  if (workload::Accepted(options.accepts, {"SELECT", "0"})) commands.push_back({"SELECT", "0"});
  const std::string what =
      fmt::format("{} workload of {} commands (seed {}{})", workload::ToString(options.profile),
                  options.commands, options.seed, rate > 0 ? fmt::format(", {}/s", rate) : "");
  co_return co_await WritePaced(ctx, commands, rate, what);
}

Awaitable<StepStatus> StatsMark(CaseContext& ctx, const Args&) {
  auto stats = co_await ReadSyncStats(ctx);
  if (!stats.ok()) co_return stats.error();
  ctx.stats_baseline = std::move(stats).value();
  co_return OkStatus();
}

}  // namespace

const std::vector<StepBinding>& ServerSteps() {
  static const std::vector<StepBinding> kSteps = {
      {"admin", Admin}, {"config", Config}, {"load", Load}, {"workload", Workload},
      {"stats.mark", StatsMark},
  };
  return kSteps;
}

}  // namespace conformance::scenario
