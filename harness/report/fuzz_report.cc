#include "harness/report/fuzz_report.h"

#include <fmt/format.h>

#include "harness/report/json_escape.h"
#include "harness/rules/ids.h"
#include "harness/report/terminal_text.h"

namespace conformance::report {

namespace {

double Rate(uint64_t iterations, double seconds) {
  return seconds > 0 ? static_cast<double>(iterations) / seconds : 0;
}

std::string Mutations(const fuzz::FuzzInput& input) {
  std::string out;
  for (const fuzz::Mutation& mutation : input.mutations) {
    out += fmt::format("{}{}", out.empty() ? "" : ", ", mutation.mutator);
  }
  if (input.fix_checksum) out += " (checksum recomputed)";
  return out.empty() ? "none" : out;
}

void AppendJsonInput(const fuzz::FuzzInput& input, std::string* out) {
  *out += fmt::format(R"({{"seed": {}, "iteration": {}, )", input.seed, input.iteration);
  if (input.role == fuzz::TargetRole::kMaster) {
    *out += fmt::format(R"("psync": {}, "partial": {}, "acks": {}, "mutations": [)", input.requests.psync,
                        input.requests.partial, input.requests.acks);
  } else {
    *out += fmt::format(R"("keys": {}, "stream_commands": {}, "eof_framing": {}, "fix_checksum": {}, )"
                        R"("mutations": [)",
                        input.exchange.keys, input.exchange.stream_commands, input.exchange.eof_framing,
                        input.fix_checksum);
  }
  for (size_t i = 0; i < input.mutations.size(); ++i) {
    *out += fmt::format(R"({}{{"mutator": {}, "seed": {}}})", i ? ", " : "",
                        JsonString(input.mutations[i].mutator), input.mutations[i].seed);
  }
  *out += "]}";
}

void AppendJsonFinding(const fuzz::Finding& finding, std::string* out) {
  *out += fmt::format(R"("oracle": {}, "rule": {}, "what": {}, "symptom": {}, "log": [)",
                      JsonString(fuzz::ToString(finding.oracle)), JsonString(finding.rule),
                      JsonString(finding.what), JsonString(finding.Symptom()));
  for (size_t i = 0; i < finding.log_lines.size(); ++i) {
    *out += (i ? ", " : "") + JsonString(finding.log_lines[i]);
  }
  *out += "]";
}

}  // namespace

std::string FuzzProgressLine(const fuzz::CampaignStats& stats, double seconds) {
  return fmt::format("fuzz: {} inputs, {:.1f}/s, {} failures, {} kinds of exit, {} restarts, {:.0f} s",
                     stats.iterations, Rate(stats.iterations, seconds), stats.failures, stats.exits,
                     stats.restarts, seconds);
}

std::string RenderFuzzSummary(const fuzz::CampaignResult& result, const FuzzRunInfo& info) {
  std::string out;
  out += fmt::format("fuzzed {} as a {}: {} inputs in {:.1f} s ({:.1f}/s, -j {}, seed {})\n",
                     TerminalSafeLine(info.server), info.role, result.stats.iterations, result.seconds,
                     Rate(result.stats.iterations, result.seconds), info.jobs, info.seed);
  out += "  reactions:";
  for (const auto& [reaction, count] : result.stats.reactions) {
    const auto spent = result.stats.reaction_seconds.find(reaction);
    const double seconds = spent == result.stats.reaction_seconds.end() ? 0 : spent->second;
    out += fmt::format(" {} {} ({:.0f} ms each);", reaction, count, 1000 * seconds / double(count));
  }
  out += fmt::format(" server restarts {} ({:.0f} ms each)\n", result.stats.restarts,
                     result.stats.restarts ? 1000 * result.stats.restart_seconds / result.stats.restarts : 0.0);
  if (result.failures.empty()) out += "no failures\n";
  for (const fuzz::FoundFailure& failure : result.failures) {
    out += fmt::format("\nFAIL {} (rule {}), seen {} times\n", failure.id, failure.finding.rule, failure.hits);
    out += fmt::format("  {}\n", TerminalSafeLine(failure.finding.what));
    for (const std::string& line : failure.finding.log_lines) {
      out += fmt::format("  server log: {}\n", TerminalSafeLine(line));
    }
    for (const fuzz::FuzzInput& before : failure.prefix) {
      out += fmt::format("  needs first: iteration {} ({})\n", before.iteration, Mutations(before));
    }
    out += fmt::format("  input: seed {} iteration {}; minimized in {} runs to: {}{}\n",
                       failure.original.seed, failure.original.iteration, failure.minimize_runs,
                       Mutations(failure.input),
                       failure.reproduced ? "" : " (did not fail again: not minimized)");
    if (!failure.scenario_path.empty()) {
      out += fmt::format("  reproducer: {} (replayed: {}{})\n", failure.scenario_path,
                         failure.replay_verdict.empty() ? "not run" : failure.replay_verdict,
                         failure.replay_reason.empty() ? "" : " - " + TerminalSafeLine(failure.replay_reason));
      out += fmt::format("  transcript: {}\n", failure.transcript_path);
    }
  }
  if (!result.exits.empty()) {
    out += fmt::format("\nstopped itself (an exit or a panic with the reason in its log; tolerated by rule {}):\n",
                       info.role == "master" ? rules::kMasterSurvivesReplicaInput : rules::kSurvivesMalformedInput);
    for (const fuzz::ToleratedExit& exit : result.exits) {
      out += fmt::format("  {} x{}: {} (e.g. seed {} iteration {}: {})\n",
                         TerminalSafeLine(exit.finding.what), exit.hits,
                         exit.finding.log_lines.empty() ? std::string("no log line")
                                                        : TerminalSafeLine(exit.finding.log_lines.front()),
                         exit.example.seed, exit.example.iteration, Mutations(exit.example));
    }
  }
  for (const std::string& error : result.errors) out += fmt::format("ERROR {}\n", TerminalSafeLine(error));
  return out;
}

std::string RenderFuzzJson(const fuzz::CampaignResult& result, const FuzzRunInfo& info) {
  std::string out = "{";
  out += fmt::format(R"("server": {}, "role": {}, "seed": {}, "jobs": {}, "iterations": {}, "seconds": {}, )"
                     R"("rate": {:.2f}, "restarts": {}, "reactions": {{)",
                     JsonString(info.server), JsonString(info.role), info.seed, info.jobs, result.stats.iterations,
                     JsonSeconds(result.seconds), Rate(result.stats.iterations, result.seconds),
                     result.stats.restarts);
  bool first = true;
  for (const auto& [reaction, count] : result.stats.reactions) {
    out += fmt::format("{}{}: {}", first ? "" : ", ", JsonString(reaction), count);
    first = false;
  }
  out += R"(}, "failures": [)";
  for (size_t i = 0; i < result.failures.size(); ++i) {
    const fuzz::FoundFailure& failure = result.failures[i];
    out += fmt::format(R"({}{{"id": {}, "hits": {}, "reproduced": {}, "minimize_runs": {}, )",
                       i ? ", " : "", JsonString(failure.id), failure.hits, failure.reproduced,
                       failure.minimize_runs);
    AppendJsonFinding(failure.finding, &out);
    out += fmt::format(R"(, "scenario": {}, "transcript": {}, "replay": {}, "replay_reason": {}, )",
                       JsonString(failure.scenario_path), JsonString(failure.transcript_path),
                       JsonString(failure.replay_verdict), JsonString(failure.replay_reason));
    out += R"("prefix": [)";
    for (size_t j = 0; j < failure.prefix.size(); ++j) {
      if (j) out += ", ";
      AppendJsonInput(failure.prefix[j], &out);
    }
    out += R"(], "input": )";
    AppendJsonInput(failure.input, &out);
    out += R"(, "original": )";
    AppendJsonInput(failure.original, &out);
    out += "}";
  }
  out += R"(], "exits": [)";
  for (size_t i = 0; i < result.exits.size(); ++i) {
    out += fmt::format(R"({}{{"hits": {}, )", i ? ", " : "", result.exits[i].hits);
    AppendJsonFinding(result.exits[i].finding, &out);
    out += R"(, "example": )";
    AppendJsonInput(result.exits[i].example, &out);
    out += "}";
  }
  out += R"(], "errors": [)";
  for (size_t i = 0; i < result.errors.size(); ++i) out += (i ? ", " : "") + JsonString(result.errors[i]);
  out += "]}\n";
  return out;
}

}  // namespace conformance::report
