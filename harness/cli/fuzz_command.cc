#include "harness/cli/fuzz_command.h"

#include <unistd.h>

#include <cstdio>

#include "harness/fuzz/campaign.h"
#include "harness/fuzz/mutators.h"
#include "harness/fuzz/request_mutators.h"
#include "harness/report/file_output.h"
#include "harness/report/fuzz_report.h"
#include "harness/scenario/verdict.h"

namespace conformance::cli {

namespace {

// Default time budget when neither --seconds nor --iterations is given.
constexpr int64_t kDefaultSeconds = 60;
// "No time limit" when only --iterations is given: a week.
constexpr int64_t kUnboundedSeconds = 7 * 24 * 3600;

// Why this server cannot be fuzzed in this role, if it cannot.
std::optional<std::string> WhyNotFuzzable(const scenario::RunOptions& run, fuzz::TargetRole role) {
  if (run.setup_error) return *run.setup_error;
  if (role == fuzz::TargetRole::kMaster) {
    if (!run.traits.HasCommand("psync") && !run.traits.HasCommand("sync")) return "it has neither PSYNC nor SYNC";
    return std::nullopt;
  }
  if (run.start_as_replica) return "it becomes a replica only at start-up; the fuzzer drives REPLICAOF every input";
  if (run.traits.replicaof_blocks) return "its REPLICAOF blocks until the sync ends; the fuzzer needs it to return";
  if (!run.traits.HasCommand("replicaof") && !run.traits.HasCommand("slaveof")) {
    return "it has neither REPLICAOF nor SLAVEOF";
  }
  return std::nullopt;
}

}  // namespace

int RunFuzz(const CliOptions& cli, const scenario::RunOptions& run, const std::string& description) {
  const fuzz::TargetRole role = cli.fuzz_role_master ? fuzz::TargetRole::kMaster : fuzz::TargetRole::kReplica;
  if (auto why = WhyNotFuzzable(run, role)) {
    std::fprintf(stderr, "conformance: cannot fuzz %s: %s\n", description.c_str(), why->c_str());
    return scenario::kExitInfrastructure;
  }
  fuzz::CampaignOptions options;
  options.run = run;
  options.role = role;
  options.target.launch = run.launch;
  options.target.traits = run.traits;
  options.target.registry = run.registry;
  options.target.timeouts.settle = net::Duration(cli.fuzz_settle_ms);
  options.target.max_rss_mb = cli.fuzz_max_rss_mb;
  options.jobs = cli.jobs;
  options.seed = cli.seed;
  options.iterations = cli.fuzz_iterations;
  options.duration = std::chrono::seconds(
      cli.fuzz_seconds.value_or(cli.fuzz_iterations ? kUnboundedSeconds : kDefaultSeconds));
  options.out_dir = cli.fuzz_corpus;
  options.strict = cli.fuzz_strict;
  if (!cli.fuzz_mutators.empty()) {
    auto selected = role == fuzz::TargetRole::kMaster ? fuzz::SelectRequestMutators(cli.fuzz_mutators)
                                                      : fuzz::SelectMutators(cli.fuzz_mutators);
    if (!selected.ok()) {
      std::fprintf(stderr, "conformance: --mutators: %s\n", selected.message().c_str());
      return scenario::kExitUsage;
    }
    options.mutators = std::move(selected).value();
  }

  const bool live = isatty(STDOUT_FILENO) != 0;
  const report::FuzzRunInfo info{description, fuzz::ToString(role), cli.seed, cli.jobs};
  std::printf("fuzzing %s as a %s (seed %llu, -j %d)\n", description.c_str(), fuzz::ToString(role),
              static_cast<unsigned long long>(cli.seed), cli.jobs);
  std::fflush(stdout);
  const fuzz::CampaignResult result =
      fuzz::RunCampaign(options, [live](const fuzz::CampaignStats& stats, double seconds) {
        if (!live) return;
        std::printf("\r\033[K%s", report::FuzzProgressLine(stats, seconds).c_str());
        std::fflush(stdout);
      });
  if (live) std::printf("\r\033[K");
  std::printf("%s", report::RenderFuzzSummary(result, info).c_str());

  int exit_code = scenario::kExitOk;
  if (!result.failures.empty()) exit_code = scenario::kExitFailure;
  if (!result.errors.empty() && result.stats.iterations == 0) exit_code = scenario::kExitInfrastructure;
  if (!cli.json_path.empty()) {
    if (Status written = report::WriteFileAtomically(cli.json_path, report::RenderFuzzJson(result, info));
        !written.ok()) {
      std::fprintf(stderr, "conformance: %s\n", written.message().c_str());
      exit_code = std::max(exit_code, scenario::kExitInfrastructure);
    }
  }
  return exit_code;
}

}  // namespace conformance::cli
