// conformance: run replication scenarios against a Redis-compatible server.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/cli/command_doc.h"
#include "harness/cli/fuzz_command.h"
#include "harness/cli/options.h"
#include "harness/cli/rules_doc.h"
#include "harness/report/console_reporter.h"
#include "harness/report/file_output.h"
#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/matrix_report.h"
#include "harness/report/run_info.h"
#include "harness/report/transcript_files.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/profile.h"
#include "harness/scenario/rule_coverage.h"
#include "harness/scenario/run_setup.h"
#include "harness/scenario/runner.h"
#include "harness/scenario/schema.h"
#include "harness/server/find_binary.h"
#include "harness/server/process_registry.h"

namespace conformance::cli {

namespace {

using report::kHarnessVersion;
using report::NowIso8601;

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

// The reports of one run: the command line's paths, or per-server ones in a matrix.
struct ReportPaths {
  std::string json;
  std::string junit;
  std::string transcripts;
};

// One server to run against, with what discovery learnt of it.
struct PreparedServer {
  scenario::RunOptions options;
  std::string binary;       // empty with --target
  std::string description;  // for the console and the reports
};

// The run options for one server (`binary`, or the --target): the profile first, then the
// command line's overrides, then discovery. A server that cannot be discovered makes every
// case an ERROR saying why.
PreparedServer Prepare(const CliOptions& cli, const std::optional<scenario::Profile>& profile,
                       const std::string& binary, server::ProcessRegistry* registry) {
  PreparedServer prepared;
  prepared.binary = binary;
  scenario::RunOptions& options = prepared.options;
  options.seed = cli.seed;
  options.jobs = cli.jobs;
  options.step_timeout = net::Duration(cli.step_timeout_ms);
  options.only = cli.only;
  options.skip = cli.skip;
  options.registry = registry;
  options.keep_server_dirs = cli.keep_dirs;
  if (profile) scenario::ApplyProfile(*profile, &options);
  if (cli.target) {
    options.attach = cli.target;
    options.attach_password = cli.password;
    prepared.description =
        fmt::format("the server at {}:{}", cli.target->first, cli.target->second);
  } else {
    options.launch.binary = binary;
    if (!cli.server_command.empty()) options.launch.command = cli.server_command;
    options.launch.config.insert(options.launch.config.end(), cli.server_config.begin(),
                                 cli.server_config.end());
    prepared.description = binary;
  }
  if (profile) prepared.description += fmt::format(" (profile {})", profile->name);
  if (Status discovered = scenario::DiscoverTraits(&options, profile ? &*profile : nullptr);
      !discovered.ok()) {
    options.setup_error = "discovering what the server is failed: " + discovered.message();
  }
  prepared.description += fmt::format(" [{}, dialect {}]", options.traits.Describe(),
                                      options.traits.dialect);
  return prepared;
}

// Runs the cases against one prepared server: console progress, the report files in `paths`.
// The caller labels the column.
report::MatrixColumn RunOne(const CliOptions& cli,
                            const std::vector<scenario::Scenario>& scenarios,
                            const PreparedServer& prepared, const ReportPaths& paths,
                            bool quiet = false) {
  const scenario::RunOptions& options = prepared.options;
  const std::string& server_description = prepared.description;
  report::MatrixColumn outcome;
  outcome.binary = prepared.binary;

  report::ConsoleReporter console(stdout, report::ColorWanted(stdout), cli.verbose);
  const auto selected = scenario::SelectCases(scenarios, options);
  size_t sanity_cases = 0;  // run first and again last
  for (const scenario::Scenario* s : selected) sanity_cases += s->is_sanity ? 1 : 0;
  if (!quiet) console.OnRunStart(selected.size() + sanity_cases, cli.seed, server_description);
  scenario::RunCallbacks callbacks;
  callbacks.on_case_start = [&](const std::string& id) {
    if (!quiet) console.OnCaseStart(id);
  };
  callbacks.on_case_end = [&](scenario::CaseResult& result) {
    if (!paths.transcripts.empty()) {
      if (Status status = report::AttachTranscript(paths.transcripts, result); !status.ok()) {
        std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      }
    }
    if (!quiet) console.OnCaseEnd(result);
  };

  const auto started = std::chrono::steady_clock::now();
  scenario::Runner runner(options, callbacks);
  outcome.results = runner.Run(scenarios);
  for (const scenario::CaseResult& result : outcome.results) outcome.summary.Add(result.verdict);
  outcome.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  outcome.info = report::RunInfo{.harness_version = kHarnessVersion, .seed = cli.seed,
                                 .server = server_description, .started_at = NowIso8601(),
                                 .traits = scenario::RenderTraits(options.traits)};
  outcome.exit_code = outcome.summary.ExitCode();
  auto write = [&](const std::string& path, auto writer) {
    if (path.empty()) return;
    if (Status status = writer(path, outcome.results, outcome.summary, outcome.info); !status.ok()) {
      std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      outcome.exit_code = std::max(outcome.exit_code, scenario::kExitInfrastructure);
    }
  };
  write(paths.json, report::WriteJson);
  write(paths.junit, report::WriteJUnit);
  if (!quiet) console.OnRunEnd(outcome.results, outcome.summary);
  return outcome;
}

// The cases whose verdict in `run` differs from `first`, as "id: PASS in run 1, FAIL now (reason)".
std::vector<std::string> DifferingVerdicts(const std::vector<scenario::CaseResult>& first,
                                           const std::vector<scenario::CaseResult>& run) {
  std::vector<std::string> differing;
  for (const scenario::CaseResult& result : run) {
    auto before = std::find_if(first.begin(), first.end(), [&](const scenario::CaseResult& r) {
      return r.id == result.id;
    });
    if (before == first.end() || before->verdict == result.verdict) continue;
    differing.push_back(fmt::format("{}: {} in run 1, {} now{}", result.id,
                                    scenario::ToLabel(before->verdict),
                                    scenario::ToLabel(result.verdict),
                                    result.reason.empty() ? "" : " (" + result.reason + ")"));
  }
  return differing;
}

// --repeat N [--repeat-until-failure]: the first run reports as usual; later runs, with the
// same seed, print one line each and every verdict that differs from the first run. A verdict
// that changes between identical runs is a defect (of the server or of the harness), so it
// fails the run.
int RunRepeated(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios,
                const PreparedServer& prepared, const ReportPaths& paths) {
  const report::MatrixColumn first = RunOne(cli, scenarios, prepared, paths);
  int exit_code = first.exit_code;
  int differing_runs = 0;
  for (int iteration = 2; iteration <= cli.repeat; ++iteration) {
    const report::MatrixColumn run = RunOne(cli, scenarios, prepared, ReportPaths{}, true);
    const std::vector<std::string> differing = DifferingVerdicts(first.results, run.results);
    std::printf("repeat %d/%d (seed %llu): %s\n", iteration, cli.repeat,
                static_cast<unsigned long long>(cli.seed),
                differing.empty() ? "every verdict as in run 1"
                                  : fmt::format("{} verdict(s) differ", differing.size()).c_str());
    for (const std::string& line : differing) std::printf("  %s\n", line.c_str());
    std::fflush(stdout);
    if (differing.empty()) continue;
    ++differing_runs;
    exit_code = std::max(exit_code, scenario::kExitFailure);
    if (cli.repeat_until_failure) {
      std::printf("first differing verdict at iteration %d, seed %llu\n", iteration,
                  static_cast<unsigned long long>(cli.seed));
      return exit_code;
    }
  }
  std::printf("%d run(s), %d with verdicts that differ from run 1\n", cli.repeat, differing_runs);
  return exit_code;
}

// A server's column in a matrix: what it is ("redis-7.0.15"), else its binary.
std::string ColumnName(const server::ServerTraits& traits, const std::string& binary) {
  return traits.version ? fmt::format("{}-{}", traits.product, traits.version->ToString()) : binary;
}

// "reports/run.xml" -> "reports/run.<label>.xml".
std::string WithSuffix(const std::string& path, const std::string& label) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "." + label + p.extension().string())).string();
}

// The matrix reports' header: the run's seed and the worst exit code of its columns.
report::MatrixInfo MatrixInfoOf(const CliOptions& cli, int exit_code) {
  return report::MatrixInfo{.harness_version = kHarnessVersion, .seed = cli.seed,
                            .started_at = NowIso8601(), .exit_code = exit_code};
}

// Writes a report of the whole run to `path`; one that cannot be written makes the run an
// infrastructure error.
void WriteRunReport(const std::string& path, const std::string& content, int* exit_code) {
  if (Status status = report::WriteFileAtomically(path, content); !status.ok()) {
    std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
    *exit_code = std::max(*exit_code, scenario::kExitInfrastructure);
  }
}

// The page links transcripts relative to its own directory.
std::string HtmlDir(const std::string& html_path) {
  return std::filesystem::path(html_path).parent_path().string();
}

// --matrix: one run per binary (JUnit and transcripts per server), then one table of cases by
// servers on the console, in --json and in --html. The exit code is the worst of the runs.
int RunMatrix(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios,
              const std::optional<scenario::Profile>& profile, server::ProcessRegistry* registry) {
  std::vector<std::string> binaries;
  for (const std::string& name : cli.matrix) {
    auto binary = server::FindBinary(name);
    if (!binary.ok()) {
      std::fprintf(stderr, "conformance: %s\n", binary.message().c_str());
      return scenario::kExitInfrastructure;
    }
    binaries.push_back(*binary);
  }
  // Columns are named by what each server is ("redis-7.0.15"), else by its file name.
  std::vector<PreparedServer> servers;
  std::vector<std::string> names;
  for (const std::string& binary : binaries) {
    servers.push_back(Prepare(cli, profile, binary, registry));
    names.push_back(ColumnName(servers.back().options.traits, binary));
  }
  const std::vector<std::string> labels = report::MatrixLabels(names);
  std::vector<report::MatrixColumn> outcomes;
  int exit_code = scenario::kExitOk;
  for (size_t i = 0; i < binaries.size(); ++i) {
    std::printf("== %s (%s)\n", labels[i].c_str(), binaries[i].c_str());
    const ReportPaths paths{.json = "", .junit = WithSuffix(cli.junit_path, labels[i]),
                            .transcripts = cli.transcript_dir.empty()
                                               ? ""
                                               : (std::filesystem::path(cli.transcript_dir) / labels[i]).string()};
    outcomes.push_back(RunOne(cli, scenarios, servers[i], paths));
    outcomes.back().label = labels[i];
    exit_code = std::max(exit_code, outcomes.back().exit_code);
  }
  std::printf("\n%s", report::RenderMatrixTable(outcomes).c_str());
  const report::MatrixInfo info = MatrixInfoOf(cli, exit_code);
  if (!cli.json_path.empty()) {
    WriteRunReport(cli.json_path, report::RenderMatrixJson(outcomes, info), &exit_code);
  }
  if (!cli.html_path.empty()) {
    WriteRunReport(cli.html_path, report::RenderMatrixHtml(outcomes, info, HtmlDir(cli.html_path)),
                   &exit_code);
  }
  std::printf("matrix exit code %d\n", exit_code);
  return exit_code;
}

// The --profile file, if any; nullopt with an error printed when it does not load.
std::optional<std::optional<scenario::Profile>> LoadProfileOption(const CliOptions& cli) {
  if (cli.profile_path.empty()) return std::optional<scenario::Profile>();
  auto loaded = scenario::LoadProfile(cli.profile_path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "conformance: %s\n", loaded.message().c_str());
    return std::nullopt;
  }
  return std::optional<scenario::Profile>(std::move(loaded).value());
}

// The --server binary resolved in $PATH ("" with --target); nullopt with an error printed.
std::optional<std::string> ServerBinary(const CliOptions& cli) {
  if (cli.target) return std::string();
  auto found = server::FindBinary(cli.server);
  if (!found.ok()) {
    std::fprintf(stderr, "conformance: %s\n", found.message().c_str());
    return std::nullopt;
  }
  return *found;
}

// The one server of --server or --target, discovered, for commands that only look at it;
// nullopt with the error printed and `exit_code` set when it cannot be.
std::optional<PreparedServer> DiscoverOne(const CliOptions& cli, int* exit_code) {
  const auto profile = LoadProfileOption(cli);
  if (!profile) {
    *exit_code = scenario::kExitUsage;
    return std::nullopt;
  }
  *exit_code = scenario::kExitInfrastructure;
  const auto binary = ServerBinary(cli);
  if (!binary) return std::nullopt;
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);
  PreparedServer prepared = Prepare(cli, *profile, *binary, &registry);
  server::UninstallSignalCleanup();
  if (prepared.options.setup_error) {
    std::fprintf(stderr, "conformance: %s\n", prepared.options.setup_error->c_str());
    return std::nullopt;
  }
  *exit_code = scenario::kExitOk;
  return prepared;
}

// conformance probe: what discovery learns of one server, as a run would see it.
int Probe(const CliOptions& cli) {
  int exit_code = scenario::kExitOk;
  const auto prepared = DiscoverOne(cli, &exit_code);
  if (!prepared) return exit_code;
  std::printf("%s", scenario::RenderTraits(prepared->options.traits).c_str());
  return scenario::kExitOk;
}

// conformance rules --matrix: one column per binary, what each release is checked for.
int RulesMatrix(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios) {
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);
  std::vector<ServerCoverage> columns;
  for (const std::string& name : cli.matrix) {
    auto binary = server::FindBinary(name);
    if (!binary.ok()) {
      std::fprintf(stderr, "conformance: %s\n", binary.message().c_str());
      server::UninstallSignalCleanup();
      return scenario::kExitInfrastructure;
    }
    const PreparedServer prepared = Prepare(cli, std::nullopt, *binary, &registry);
    columns.push_back({ColumnName(prepared.options.traits, *binary),
                       scenario::CoverRules(scenarios, &prepared.options.traits,
                                            prepared.options.start_as_replica)});
  }
  server::UninstallSignalCleanup();
  std::printf("%s", RulesMatrixTable(columns).c_str());
  return scenario::kExitOk;
}

// conformance rules: the catalogue with its coverage; with --server or --target, only the
// cases that apply to that server count.
int Rules(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios) {
  if (cli.markdown) {
    std::printf("%s", RulesMarkdown(scenario::CoverRules(scenarios)).c_str());
    return scenario::kExitOk;
  }
  if (!cli.matrix.empty()) return RulesMatrix(cli, scenarios);
  if (!cli.server_given && !cli.target) {
    const auto coverage = scenario::CoverRules(scenarios);
    std::printf("%s", RulesTable(coverage, "every case").c_str());
    // A rule that lost its last case in a dimension is a gap in the suite: exit 1.
    for (const scenario::RuleCoverage& entry : coverage) {
      if (!entry.Uncovered().empty()) return scenario::kExitFailure;
    }
    return scenario::kExitOk;
  }
  int exit_code = scenario::kExitOk;
  const auto prepared = DiscoverOne(cli, &exit_code);
  if (!prepared) return exit_code;
  const auto coverage = scenario::CoverRules(scenarios, &prepared->options.traits,
                                             prepared->options.start_as_replica);
  std::printf("%s", RulesTable(coverage, "the cases that apply to " + prepared->description).c_str());
  return scenario::kExitOk;
}

// conformance fuzz: the campaign against the one --server.
int Fuzz(const CliOptions& cli) {
  const auto profile = LoadProfileOption(cli);
  if (!profile) return scenario::kExitUsage;
  const auto binary = ServerBinary(cli);
  if (!binary) return scenario::kExitInfrastructure;
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);
  const PreparedServer prepared = Prepare(cli, *profile, *binary, &registry);
  const int exit_code = RunFuzz(cli, prepared.options, prepared.description);
  server::UninstallSignalCleanup();
  return exit_code;
}

int Run(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios) {
  const auto profile = LoadProfileOption(cli);
  if (!profile) return scenario::kExitUsage;
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);
  int exit_code = scenario::kExitOk;
  if (!cli.matrix.empty()) {
    exit_code = RunMatrix(cli, scenarios, *profile, &registry);
  } else if (const auto binary = ServerBinary(cli); !binary) {
    exit_code = scenario::kExitInfrastructure;
  } else {
    const ReportPaths paths{.json = cli.json_path, .junit = cli.junit_path, .transcripts = cli.transcript_dir};
    const PreparedServer prepared = Prepare(cli, *profile, *binary, &registry);
    if (cli.repeat > 1) {
      exit_code = RunRepeated(cli, scenarios, prepared, paths);
      server::UninstallSignalCleanup();
      return exit_code;
    }
    std::vector<report::MatrixColumn> columns;  // --html shows a single run as one column
    columns.push_back(RunOne(cli, scenarios, prepared, paths));
    exit_code = columns.back().exit_code;
    if (!cli.html_path.empty()) {
      columns.back().label = cli.target
                                 ? fmt::format("{}:{}", cli.target->first, cli.target->second)
                                 : report::MatrixLabels({*binary}).front();
      const std::string html =
          report::RenderMatrixHtml(columns, MatrixInfoOf(cli, exit_code), HtmlDir(cli.html_path));
      WriteRunReport(cli.html_path, html, &exit_code);
    }
  }
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
  if (options->command == Command::kCommands) {
    std::printf("%s", CommandTableMarkdown(keyspace::SupportedCommands()).c_str());
    return scenario::kExitOk;
  }
  if (options->command == Command::kProbe) return Probe(*options);
  if (options->command == Command::kFuzz) return Fuzz(*options);
  auto scenarios = scenario::LoadScenarios(options->paths);
  if (!scenarios.ok()) {
    std::fprintf(stderr, "conformance: %s\n", scenarios.message().c_str());
    return scenario::kExitUsage;
  }
  switch (options->command) {
    case Command::kList: return List(*scenarios);
    case Command::kExplain: return Explain(*scenarios, options->explain_id);
    case Command::kRun: return Run(*options, *scenarios);
    case Command::kRules: return Rules(*options, *scenarios);
    case Command::kCommands:
    case Command::kProbe:
    case Command::kFuzz:
    case Command::kHelp: break;
  }
  return scenario::kExitOk;
}

}  // namespace conformance::cli

int main(int argc, char** argv) {
  return conformance::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
