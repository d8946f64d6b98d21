#include "harness/report/case_text.h"

#include <fmt/format.h>

namespace conformance::report {
namespace {

void AppendSection(std::string_view title, std::string_view body, std::string* out) {
  if (body.empty()) return;
  *out += fmt::format("\n== {} ==\n", title);
  *out += body;
  if (body.back() != '\n') out->push_back('\n');
}

std::string RenderSteps(const std::vector<scenario::StepOutcome>& steps) {
  std::string out;
  for (size_t i = 0; i < steps.size(); ++i) {
    const scenario::StepOutcome& step = steps[i];
    out += fmt::format("{:>3}. {:<5} {} at {} ({:.3f} s)\n", i + 1, scenario::ToLabel(step.verdict),
                       step.name, step.location.empty() ? "?" : step.location, step.seconds);
    if (!step.message.empty()) {
      // Indent continuation lines so a multi-line message stays under its step.
      out += "       ";
      for (char c : step.message) {
        out.push_back(c);
        if (c == '\n') out += "       ";
      }
      out.push_back('\n');
    }
  }
  return out;
}

}  // namespace

std::string RenderCaseText(const scenario::CaseResult& result) {
  std::string out;
  const auto field = [&out](std::string_view name, std::string_view value) {
    if (!value.empty()) out += fmt::format("{:<11} {}\n", fmt::format("{}:", name), value);
  };
  field("id", result.id);
  field("title", result.title);
  field("rule", result.rule);
  std::string rule_ids;
  for (const std::string& id : result.rules) rule_ids += (rule_ids.empty() ? "" : ", ") + id;
  field("rules", rule_ids.empty() ? "" : rule_ids + " (harness/rules/RULES.md)");
  field("source", result.source);
  field("file", result.file);
  field("seed", fmt::to_string(result.seed));
  field("verdict", fmt::format("{} ({:.3f} s)", scenario::ToLabel(result.verdict), result.seconds));
  field("reason", result.reason);
  field("transcript", result.transcript_path);
  AppendSection("explanation", result.explanation, &out);
  AppendSection("steps", RenderSteps(result.steps), &out);
  AppendSection("transcript", result.transcript, &out);
  AppendSection("server log (tail)", result.server_log_tail, &out);
  return out;
}

}  // namespace conformance::report
