#include "harness/report/junit_report.h"

#include <cmath>

#include <fmt/format.h>

#include "harness/report/case_text.h"
#include "harness/report/file_output.h"
#include "harness/report/xml_escape.h"

namespace conformance::report {
namespace {

using scenario::CaseResult;
using scenario::Verdict;

constexpr std::string_view kSuiteName = "conformance";

std::string Time(double seconds) {
  return fmt::format("{:.3f}", std::isfinite(seconds) ? seconds : 0.0);
}

// The failure message: the one-line reason, else the explanation's first line.
std::string Message(const CaseResult& result, std::string_view fallback) {
  if (!result.reason.empty()) return result.reason;
  const std::string_view explanation = result.explanation;
  const std::string_view first_line = explanation.substr(0, explanation.find('\n'));
  return first_line.empty() ? std::string(fallback) : std::string(first_line);
}

std::string Problem(std::string_view element, std::string_view type, std::string_view message,
                    std::string_view body) {
  return fmt::format("      <{0} type=\"{1}\" message=\"{2}\">{3}</{0}>\n", element, type,
                     XmlAttribute(message), XmlText(body));
}

std::string SystemOut(std::string_view text) {
  return fmt::format("      <system-out>{}</system-out>\n", XmlCData(text));
}

std::string RenderCase(const CaseResult& result) {
  std::string body;
  switch (result.verdict) {
    case Verdict::kPass: break;
    case Verdict::kFail:
      body = Problem("failure", "fail", Message(result, "failed"), result.explanation) +
             SystemOut(RenderCaseText(result));
      break;
    case Verdict::kXPass:
      body = Problem("failure", "xpass",
                     "XPASS: passed, but the profile expects a failure: " +
                         Message(result, "update the profile"),
                     result.explanation) +
             SystemOut(RenderCaseText(result));
      break;
    case Verdict::kError:
      body = Problem("error", "error", Message(result, "harness or environment error"),
                     result.explanation) +
             SystemOut(RenderCaseText(result));
      break;
    case Verdict::kSkip:
      body = fmt::format("      <skipped message=\"{}\"/>\n", XmlAttribute(result.reason));
      break;
    case Verdict::kXFail:
      body = SystemOut(fmt::format("XFAIL: failed as the profile expects: {}\n\n{}", result.reason,
                                   result.explanation));
      break;
  }
  const std::string open = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
                                       XmlAttribute(JUnitClassName(result.id)),
                                       XmlAttribute(result.id), Time(result.seconds));
  if (body.empty()) return open + "/>\n";
  return open + ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string JUnitClassName(std::string_view id) {
  const size_t dot = id.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(kSuiteName);
  return std::string(id.substr(0, dot));
}

std::string RenderJUnit(const std::vector<CaseResult>& cases, const scenario::RunSummary& summary,
                        const RunInfo& info) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const CaseResult& result : cases) {
    failures += result.verdict == Verdict::kFail || result.verdict == Verdict::kXPass;
    errors += result.verdict == Verdict::kError;
    skipped += result.verdict == Verdict::kSkip;
  }
  const std::string counts =
      fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
                  cases.size(), failures, errors, skipped, Time(summary.seconds));
  const std::string timestamp =
      info.started_at.empty() ? ""
                              : fmt::format(" timestamp=\"{}\"", XmlAttribute(info.started_at));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" {}>\n", kSuiteName, counts);
  out += fmt::format("  <testsuite name=\"{}\" {}{}>\n", kSuiteName, counts, timestamp);
  out += "    <properties>\n";
  const auto property = [&out](std::string_view name, std::string_view value) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, XmlAttribute(value));
  };
  property("harness.version", info.harness_version);
  property("seed", fmt::to_string(info.seed));
  property("server", info.server);
  out += "    </properties>\n";
  for (const CaseResult& result : cases) out += RenderCase(result);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

Status WriteJUnit(const std::string& path, const std::vector<CaseResult>& cases,
                  const scenario::RunSummary& summary, const RunInfo& info) {
  return WriteFileAtomically(path, RenderJUnit(cases, summary, info));
}

}  // namespace conformance::report
