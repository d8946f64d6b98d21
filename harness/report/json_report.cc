#include "harness/report/json_report.h"

#include <fmt/format.h>

#include "harness/report/file_output.h"
#include "harness/report/json_escape.h"

namespace conformance::report {
namespace {

using scenario::CaseResult;
using scenario::StepOutcome;
using scenario::Verdict;

// `"key": value` pairs joined by ", "; the values are already JSON literals.
class Members {
 public:
  Members& Raw(std::string_view key, std::string_view literal) {
    if (!text_.empty()) text_ += ", ";
    AppendJsonString(key, &text_);
    text_ += ": ";
    text_ += literal;
    return *this;
  }
  Members& String(std::string_view key, std::string_view value) {
    return Raw(key, JsonString(value));
  }
  Members& Number(std::string_view key, uint64_t value) { return Raw(key, fmt::to_string(value)); }
  Members& Seconds(std::string_view key, double value) { return Raw(key, JsonSeconds(value)); }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

std::string RenderStep(const StepOutcome& step) {
  Members members;
  members.String("name", step.name)
      .String("location", step.location)
      .String("verdict", scenario::ToString(step.verdict))
      .String("message", step.message)
      .Seconds("seconds", step.seconds);
  return "{" + members.text() + "}";
}

// ["M3", "M4"]: catalogued rule ids (harness/rules/RULES.md).
std::string RuleIds(const std::vector<std::string>& ids) {
  std::string text = "[";
  for (size_t i = 0; i < ids.size(); ++i) text += (i ? ", " : "") + JsonString(ids[i]);
  return text + "]";
}

void RenderCase(const CaseResult& result, std::string* out) {
  Members members;
  members.String("id", result.id)
      .String("title", result.title)
      .String("file", result.file)
      .String("verdict", scenario::ToString(result.verdict))
      .String("reason", result.reason)
      .Seconds("seconds", result.seconds)
      .Number("seed", result.seed)
      .String("rule", result.rule)
      .Raw("rules", RuleIds(result.rules))
      .String("source", result.source)
      .String("explanation", result.explanation)
      .Raw("transcript",
           result.transcript_path.empty() ? "null" : JsonString(result.transcript_path));
  *out += "    {" + members.text() + ",\n     \"steps\": [";
  for (size_t i = 0; i < result.steps.size(); ++i) {
    *out += i == 0 ? "\n       " : ",\n       ";
    *out += RenderStep(result.steps[i]);
  }
  *out += result.steps.empty() ? "]}" : "\n     ]}";
}

std::string RenderSummary(const scenario::RunSummary& summary) {
  Members members;
  for (Verdict verdict : scenario::kAllVerdicts) {
    members.Raw(scenario::ToString(verdict), fmt::to_string(summary.count(verdict)));
  }
  members.Raw("total", fmt::to_string(summary.total()))
      .Seconds("seconds", summary.seconds)
      .Raw("exit_code", fmt::to_string(summary.ExitCode()));
  return "{" + members.text() + "}";
}

}  // namespace

std::string RenderJson(const std::vector<CaseResult>& cases, const scenario::RunSummary& summary,
                       const RunInfo& info) {
  Members harness;
  harness.String("version", info.harness_version)
      .Number("seed", info.seed)
      .String("server", info.server)
      .String("started_at", info.started_at)
      .String("traits", info.traits);

  std::string out = "{\n  \"harness\": {" + harness.text() + "},\n  \"cases\": [";
  for (size_t i = 0; i < cases.size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    RenderCase(cases[i], &out);
  }
  out += cases.empty() ? "],\n" : "\n  ],\n";
  out += "  \"summary\": " + RenderSummary(summary) + "\n}\n";
  return out;
}

Status WriteJson(const std::string& path, const std::vector<CaseResult>& cases,
                 const scenario::RunSummary& summary, const RunInfo& info) {
  return WriteFileAtomically(path, RenderJson(cases, summary, info));
}

}  // namespace conformance::report
