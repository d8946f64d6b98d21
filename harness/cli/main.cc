// conformance: run replication scenarios against a Redis-compatible server.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "harness/cli/options.h"
#include "harness/report/console_reporter.h"
#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/transcript_files.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/runner.h"
#include "harness/scenario/schema.h"
#include "harness/server/find_binary.h"
#include "harness/server/process_registry.h"

namespace conformance::cli {

namespace {

constexpr const char* kVersion = "0.1.0";

std::string NowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

int List(const std::vector<scenario::Scenario>& scenarios) {
  for (const scenario::Scenario& s : scenarios) {
    std::printf("%-44s %-8s %s\n", s.id.c_str(), scenario::ToString(s.role), s.title.c_str());
  }
  std::printf("%zu cases\n", scenarios.size());
  return scenario::kExitOk;
}

int Explain(const std::vector<scenario::Scenario>& scenarios, const std::string& id) {
  for (const scenario::Scenario& s : scenarios) {
    if (s.id != id) continue;
    std::printf("%s: %s\n  file: %s\n  role of the server under test: %s\n  rule: %s\n  source: %s\n",
                s.id.c_str(), s.title.c_str(), s.file.c_str(), scenario::ToString(s.role),
                s.rule.c_str(), s.source.c_str());
    for (const auto& [name, value] : s.server_config) {
      std::printf("  server config: %s %s\n", name.c_str(), value.c_str());
    }
    int n = 0;
    for (const scenario::Step& step : s.steps) {
      const scenario::StepSpec* spec = scenario::FindStepSpec(step.kind);
      std::printf("  %2d. %-22s %s  (%s)\n", ++n, step.kind.c_str(),
                  spec ? std::string(spec->help).c_str() : "", step.location.ToString().c_str());
    }
    return scenario::kExitOk;
  }
  std::fprintf(stderr, "conformance: no case '%s'\n", id.c_str());
  return scenario::kExitUsage;
}

int Run(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios) {
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);

  scenario::RunOptions options;
  options.seed = cli.seed;
  options.jobs = cli.jobs;
  options.step_timeout = net::Duration(cli.step_timeout_ms);
  options.only = cli.only;
  options.skip = cli.skip;
  options.registry = &registry;
  options.keep_server_dirs = cli.keep_dirs;
  std::string server_description;
  if (cli.target) {
    options.attach = cli.target;
    options.attach_password = cli.password;
    server_description = fmt::format("attached to {}:{}", cli.target->first, cli.target->second);
  } else {
    auto binary = server::FindBinary(cli.server);
    if (!binary.ok()) {
      std::fprintf(stderr, "conformance: %s\n", binary.message().c_str());
      return scenario::kExitInfrastructure;
    }
    options.launch.binary = *binary;
    if (!cli.server_command.empty()) options.launch.command = cli.server_command;
    options.launch.config = cli.server_config;
    server_description = *binary;
  }

  report::ConsoleReporter console(stdout, report::ColorWanted(stdout), cli.verbose);
  const auto selected = scenario::SelectCases(scenarios, options);
  size_t sanity_cases = 0;  // run first and again last
  for (const scenario::Scenario* s : selected) sanity_cases += s->is_sanity ? 1 : 0;
  console.OnRunStart(selected.size() + sanity_cases, cli.seed, server_description);
  scenario::RunCallbacks callbacks;
  callbacks.on_case_start = [&](const std::string& id) { console.OnCaseStart(id); };
  callbacks.on_case_end = [&](scenario::CaseResult& result) {
    if (!cli.transcript_dir.empty()) {
      auto path = report::WriteTranscript(cli.transcript_dir, result);
      if (path.ok()) {
        result.transcript_path = *path;
        if (!result.explanation.empty()) result.explanation += "  full transcript: " + *path + "\n";
      } else {
        std::fprintf(stderr, "conformance: %s\n", path.message().c_str());
      }
    }
    console.OnCaseEnd(result);
  };

  const auto started = std::chrono::steady_clock::now();
  scenario::Runner runner(options, callbacks);
  std::vector<scenario::CaseResult> results = runner.Run(scenarios);
  scenario::RunSummary summary;
  for (const scenario::CaseResult& result : results) summary.Add(result.verdict);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const report::RunInfo info{.harness_version = kVersion, .seed = cli.seed,
                             .server = server_description, .started_at = NowIso8601()};
  int exit_code = summary.ExitCode();
  if (!cli.json_path.empty()) {
    if (Status status = report::WriteJson(cli.json_path, results, summary, info); !status.ok()) {
      std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      exit_code = std::max(exit_code, scenario::kExitInfrastructure);
    }
  }
  if (!cli.junit_path.empty()) {
    if (Status status = report::WriteJUnit(cli.junit_path, results, summary, info); !status.ok()) {
      std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      exit_code = std::max(exit_code, scenario::kExitInfrastructure);
    }
  }
  console.OnRunEnd(results, summary);
  server::UninstallSignalCleanup();
  return exit_code;
}

}  // namespace

int Main(const std::vector<std::string>& args) {
  auto options = ParseOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "conformance: %s\n\n%s", options.message().c_str(), Usage().c_str());
    return scenario::kExitUsage;
  }
  if (options->command == Command::kHelp) {
    std::printf("%s", Usage().c_str());
    return scenario::kExitOk;
  }
  auto scenarios = scenario::LoadScenarios(options->paths);
  if (!scenarios.ok()) {
    std::fprintf(stderr, "conformance: %s\n", scenarios.message().c_str());
    return scenario::kExitUsage;
  }
  switch (options->command) {
    case Command::kList: return List(*scenarios);
    case Command::kExplain: return Explain(*scenarios, options->explain_id);
    case Command::kRun: return Run(*options, *scenarios);
    case Command::kHelp: break;
  }
  return scenario::kExitOk;
}

}  // namespace conformance::cli

int main(int argc, char** argv) {
  return conformance::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
