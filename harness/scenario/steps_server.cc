// Steps that act on the server under test through the harness's admin connection.
#include <fmt/format.h>

#include "harness/scenario/step_helpers.h"
#include "harness/workload/generator.h"

namespace conformance::scenario {

namespace {

Awaitable<StepStatus> Admin(CaseContext& ctx, const Args& args) {
  const std::vector<std::string> command = args.StringList("command").value_or(std::vector<std::string>{});
  if (command.empty()) co_return Error{args.step().location.ToString() + ": admin needs a command"};
  auto reply = co_await ctx.admin->Call(command);
  if (!reply.ok()) co_return reply.error();
  if (args.Has("expect")) {
    auto expectation = ParseExpectation(args.step().location.file, args.Node("expect"), args.bindings());
    if (!expectation.ok()) co_return expectation.error();
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
  workload::DatasetOptions options;
  options.seed = static_cast<uint64_t>(args.Int("seed").value_or(static_cast<int64_t>(ctx.seed)));
  options.keys = static_cast<size_t>(args.Int("keys").value_or(100));
  options.databases = args.Databases();
  options.expire = args.Bool("expire").value_or(false);
  options.big_values = args.Bool("big-values").value_or(false);
  auto commands = workload::GenerateDataset(options);
  commands.push_back({"SELECT", "0"});
  co_return co_await WritePipelined(
      ctx, commands, fmt::format("dataset of {} keys (seed {})", options.keys, options.seed));
}

Awaitable<StepStatus> Workload(CaseContext& ctx, const Args& args) {
  workload::WorkloadOptions options;
  options.seed =
      static_cast<uint64_t>(args.Int("seed").value_or(static_cast<int64_t>(ctx.seed + 1)));
  options.commands = static_cast<size_t>(args.Int("commands").value_or(100));
  options.databases = args.Databases();
  options.multi = args.Bool("multi").value_or(false);
  options.expire = args.Bool("expire").value_or(false);
  auto commands = workload::GenerateWorkload(options);
  commands.push_back({"SELECT", "0"});
  co_return co_await WritePipelined(
      ctx, commands, fmt::format("workload of {} commands (seed {})", options.commands, options.seed));
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
