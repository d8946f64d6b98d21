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
#include "harness/cli/options.h"
#include "harness/report/console_reporter.h"
#include "harness/report/file_output.h"
#include "harness/report/json_escape.h"
#include "harness/report/json_report.h"
#include "harness/report/junit_report.h"
#include "harness/report/run_info.h"
#include "harness/report/transcript_files.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/profile.h"
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

// What one run against one server produced.
struct RunOutcome {
  std::vector<scenario::CaseResult> results;
  scenario::RunSummary summary;
  report::RunInfo info;
  int exit_code = scenario::kExitOk;
};

// Runs the cases against one server (`binary`, or the --target): the profile first, then the
// command line's overrides; console progress; the report files in `paths`.
RunOutcome RunOne(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios,
                  const std::optional<scenario::Profile>& profile, const std::string& binary,
                  const ReportPaths& paths, server::ProcessRegistry* registry) {
  scenario::RunOptions options;
  options.seed = cli.seed;
  options.jobs = cli.jobs;
  options.step_timeout = net::Duration(cli.step_timeout_ms);
  options.only = cli.only;
  options.skip = cli.skip;
  options.registry = registry;
  options.keep_server_dirs = cli.keep_dirs;
  if (profile) scenario::ApplyProfile(*profile, scenarios, &options);
  std::string server_description;
  if (cli.target) {
    options.attach = cli.target;
    options.attach_password = cli.password;
    server_description = fmt::format("attached to {}:{}", cli.target->first, cli.target->second);
  } else {
    options.launch.binary = binary;
    if (!cli.server_command.empty()) options.launch.command = cli.server_command;
    options.launch.config.insert(options.launch.config.end(), cli.server_config.begin(),
                                 cli.server_config.end());
    server_description = binary;
  }
  if (profile) {
    server_description += fmt::format(" (profile {}, dialect {})", profile->name, profile->dialect);
  }

  report::ConsoleReporter console(stdout, report::ColorWanted(stdout), cli.verbose);
  const auto selected = scenario::SelectCases(scenarios, options);
  size_t sanity_cases = 0;  // run first and again last
  for (const scenario::Scenario* s : selected) sanity_cases += s->is_sanity ? 1 : 0;
  console.OnRunStart(selected.size() + sanity_cases, cli.seed, server_description);
  scenario::RunCallbacks callbacks;
  callbacks.on_case_start = [&](const std::string& id) { console.OnCaseStart(id); };
  callbacks.on_case_end = [&](scenario::CaseResult& result) {
    if (!paths.transcripts.empty()) {
      if (Status status = report::AttachTranscript(paths.transcripts, result); !status.ok()) {
        std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      }
    }
    console.OnCaseEnd(result);
  };

  RunOutcome outcome;
  const auto started = std::chrono::steady_clock::now();
  scenario::Runner runner(options, callbacks);
  outcome.results = runner.Run(scenarios);
  for (const scenario::CaseResult& result : outcome.results) outcome.summary.Add(result.verdict);
  outcome.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  outcome.info = report::RunInfo{.harness_version = kHarnessVersion, .seed = cli.seed,
                                 .server = server_description, .started_at = NowIso8601()};
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
  console.OnRunEnd(outcome.results, outcome.summary);
  return outcome;
}

// Column labels for the matrix: each binary's file name, made unique with "-2", "-3", ...
std::vector<std::string> MatrixLabels(const std::vector<std::string>& binaries) {
  std::vector<std::string> labels;
  for (const std::string& binary : binaries) {
    const std::string base = std::filesystem::path(binary).filename().string();
    std::string label = base;
    for (int n = 2; std::find(labels.begin(), labels.end(), label) != labels.end(); ++n) {
      label = fmt::format("{}-{}", base, n);
    }
    labels.push_back(label);
  }
  return labels;
}

// "reports/run.xml" -> "reports/run.<label>.xml".
std::string WithSuffix(const std::string& path, const std::string& label) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "." + label + p.extension().string())).string();
}

// The case ids of all runs, in the order they first appear.
std::vector<std::string> MatrixRows(const std::vector<RunOutcome>& outcomes) {
  std::vector<std::string> ids;
  for (const RunOutcome& outcome : outcomes) {
    for (const scenario::CaseResult& result : outcome.results) {
      if (std::find(ids.begin(), ids.end(), result.id) == ids.end()) ids.push_back(result.id);
    }
  }
  return ids;
}

const scenario::CaseResult* FindResult(const RunOutcome& outcome, const std::string& id) {
  for (const scenario::CaseResult& result : outcome.results) {
    if (result.id == id) return &result;
  }
  return nullptr;
}

std::string MatrixTable(const std::vector<std::string>& labels, const std::vector<std::string>& binaries,
                        const std::vector<RunOutcome>& outcomes) {
  const std::vector<std::string> ids = MatrixRows(outcomes);
  size_t id_width = 4;
  for (const std::string& id : ids) id_width = std::max(id_width, id.size());
  std::vector<size_t> widths;
  for (const std::string& label : labels) widths.push_back(std::max<size_t>(label.size(), 5));
  std::string text;
  auto row = [&](const std::string& first, const std::vector<std::string>& cells) {
    std::string line = fmt::format("{:<{}}", first, id_width);
    for (size_t i = 0; i < cells.size(); ++i) line += fmt::format("  {:<{}}", cells[i], widths[i]);
    line.erase(line.find_last_not_of(' ') + 1);
    text += line + "\n";
  };
  row("case", labels);
  for (const std::string& id : ids) {
    std::vector<std::string> cells;
    for (const RunOutcome& outcome : outcomes) {
      const scenario::CaseResult* result = FindResult(outcome, id);
      cells.push_back(result ? scenario::ToLabel(result->verdict) : "-");
    }
    row(id, cells);
  }
  std::vector<std::string> exit_codes;
  for (const RunOutcome& outcome : outcomes) exit_codes.push_back(std::to_string(outcome.exit_code));
  row("exit code", exit_codes);
  for (size_t i = 0; i < labels.size(); ++i) text += fmt::format("  {} = {}\n", labels[i], binaries[i]);
  return text;
}

// {"harness", "servers": [{label, binary, exit_code, summary}], "cases": [{id, verdicts: {label:
// verdict}}], "exit_code", "runs": {label: the full JSON report of that server's run}}.
std::string MatrixJson(const std::vector<std::string>& labels, const std::vector<std::string>& binaries,
                       const std::vector<RunOutcome>& outcomes, int exit_code, uint64_t seed) {
  using report::JsonString;
  std::string json = fmt::format("{{\"harness\": {{\"version\": {}, \"seed\": {}, \"started_at\": {}}},\n",
                                 JsonString(kHarnessVersion), seed, JsonString(NowIso8601()));
  json += " \"servers\": [";
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const scenario::RunSummary& s = outcomes[i].summary;
    json += fmt::format("{}\n  {{\"label\": {}, \"binary\": {}, \"server\": {}, \"exit_code\": {}, \"summary\": {{",
                        i ? "," : "", JsonString(labels[i]), JsonString(binaries[i]),
                        JsonString(outcomes[i].info.server), outcomes[i].exit_code);
    for (size_t v = 0; v < scenario::kAllVerdicts.size(); ++v) {
      json += fmt::format("{}\"{}\": {}", v ? ", " : "", scenario::ToString(scenario::kAllVerdicts[v]),
                          s.count(scenario::kAllVerdicts[v]));
    }
    json += fmt::format(", \"total\": {}}}}}", s.total());
  }
  json += "],\n \"cases\": [";
  const std::vector<std::string> ids = MatrixRows(outcomes);
  for (size_t row = 0; row < ids.size(); ++row) {
    json += fmt::format("{}\n  {{\"id\": {}, \"verdicts\": {{", row ? "," : "", JsonString(ids[row]));
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const scenario::CaseResult* result = FindResult(outcomes[i], ids[row]);
      json += fmt::format("{}{}: {}", i ? ", " : "", JsonString(labels[i]),
                          result ? JsonString(scenario::ToString(result->verdict)) : "null");
    }
    json += "}}";
  }
  json += fmt::format("],\n \"exit_code\": {},\n \"runs\": {{", exit_code);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    json += fmt::format("{}\n  {}: {}", i ? "," : "", JsonString(labels[i]),
                        report::RenderJson(outcomes[i].results, outcomes[i].summary, outcomes[i].info));
  }
  json += "}}\n";
  return json;
}

// --matrix: one run per binary (JUnit and transcripts per server), then one table of cases by
// servers on the console and in --json. The exit code is the worst of the runs.
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
  const std::vector<std::string> labels = MatrixLabels(binaries);
  std::vector<RunOutcome> outcomes;
  int exit_code = scenario::kExitOk;
  for (size_t i = 0; i < binaries.size(); ++i) {
    std::printf("== %s (%s)\n", labels[i].c_str(), binaries[i].c_str());
    const ReportPaths paths{.json = "", .junit = WithSuffix(cli.junit_path, labels[i]),
                            .transcripts = cli.transcript_dir.empty()
                                               ? ""
                                               : (std::filesystem::path(cli.transcript_dir) / labels[i]).string()};
    outcomes.push_back(RunOne(cli, scenarios, profile, binaries[i], paths, registry));
    exit_code = std::max(exit_code, outcomes.back().exit_code);
  }
  std::printf("\n%s", MatrixTable(labels, binaries, outcomes).c_str());
  if (!cli.json_path.empty()) {
    const std::string json = MatrixJson(labels, binaries, outcomes, exit_code, cli.seed);
    if (Status status = report::WriteFileAtomically(cli.json_path, json); !status.ok()) {
      std::fprintf(stderr, "conformance: %s\n", status.message().c_str());
      exit_code = std::max(exit_code, scenario::kExitInfrastructure);
    }
  }
  std::printf("matrix exit code %d\n", exit_code);
  return exit_code;
}

int Run(const CliOptions& cli, const std::vector<scenario::Scenario>& scenarios) {
  std::optional<scenario::Profile> profile;
  if (!cli.profile_path.empty()) {
    auto loaded = scenario::LoadProfile(cli.profile_path);
    if (!loaded.ok()) {
      std::fprintf(stderr, "conformance: %s\n", loaded.message().c_str());
      return scenario::kExitUsage;
    }
    profile = std::move(loaded).value();
  }
  server::ProcessRegistry registry;
  server::InstallSignalCleanup(&registry);
  int exit_code = scenario::kExitOk;
  if (!cli.matrix.empty()) {
    exit_code = RunMatrix(cli, scenarios, profile, &registry);
  } else {
    std::string binary;
    if (!cli.target) {
      auto found = server::FindBinary(cli.server);
      if (!found.ok()) {
        std::fprintf(stderr, "conformance: %s\n", found.message().c_str());
        server::UninstallSignalCleanup();
        return scenario::kExitInfrastructure;
      }
      binary = *found;
    }
    const ReportPaths paths{.json = cli.json_path, .junit = cli.junit_path, .transcripts = cli.transcript_dir};
    exit_code = RunOne(cli, scenarios, profile, binary, paths, &registry).exit_code;
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
  auto scenarios = scenario::LoadScenarios(options->paths);
  if (!scenarios.ok()) {
    std::fprintf(stderr, "conformance: %s\n", scenarios.message().c_str());
    return scenario::kExitUsage;
  }
  switch (options->command) {
    case Command::kList: return List(*scenarios);
    case Command::kExplain: return Explain(*scenarios, options->explain_id);
    case Command::kRun: return Run(*options, *scenarios);
    case Command::kCommands:
    case Command::kHelp: break;
  }
  return scenario::kExitOk;
}

}  // namespace conformance::cli

int main(int argc, char** argv) {
  return conformance::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}
