#include "harness/report/console_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "harness/report/terminal_text.h"

namespace conformance::report {
namespace {

using scenario::CaseResult;
using scenario::Verdict;

constexpr size_t kLabelWidth = 5;    // "XFAIL", "XPASS", "ERROR"
constexpr size_t kMaxIdColumn = 60;  // longer ids push their row's columns right
constexpr std::string_view kIndent = "    ";

std::string_view Colour(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return kGreen;
    case Verdict::kFail:
    case Verdict::kXPass: return kRed;
    case Verdict::kError: return kMagenta;
    case Verdict::kSkip:
    case Verdict::kXFail: return kYellow;
  }
  return kReset;
}

bool IsFailure(Verdict verdict) {
  return verdict == Verdict::kFail || verdict == Verdict::kXPass || verdict == Verdict::kError;
}

// Terminal-safe `text` with every line indented by `indent`, ending in a newline.
std::string Indented(std::string_view text, std::string_view indent) {
  std::string out;
  const std::string safe = TerminalSafe(text);
  size_t start = 0;
  while (start < safe.size()) {
    size_t end = safe.find('\n', start);
    if (end == std::string::npos) end = safe.size();
    out += indent;
    out.append(safe, start, end - start);
    out.push_back('\n');
    start = end + 1;
  }
  return out;
}

}  // namespace

bool ColorWanted(std::FILE* out) {
  if (out == nullptr || ::isatty(::fileno(out)) == 0) return false;
  if (std::getenv("NO_COLOR") != nullptr) return false;  // https://no-color.org
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

ConsoleReporter::ConsoleReporter(std::FILE* out, bool color, bool verbose)
    : out_(out), color_(color), verbose_(verbose) {}

std::string ConsoleReporter::Label(Verdict verdict) const {
  const std::string padded = fmt::format("{:<{}}", scenario::ToLabel(verdict), kLabelWidth);
  if (!color_) return padded;
  return fmt::format("{}{}{}", Colour(verdict), padded, kReset);
}

void ConsoleReporter::Write(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void ConsoleReporter::OnRunStart(size_t cases, uint64_t seed, std::string_view server_description) {
  std::lock_guard lock(mutex_);
  total_ = cases;
  finished_ = 0;
  Write(fmt::format("Running {} case{} against {} (seed {})\n", cases, cases == 1 ? "" : "s",
                    TerminalSafeLine(server_description), seed));
}

void ConsoleReporter::OnCaseStart(const std::string& id) {
  if (!verbose_) return;
  std::lock_guard lock(mutex_);
  // "START" sits in the label column of the "[i/N] LABEL id" lines.
  const size_t progress_width = 2 * fmt::formatted_size("{}", total_) + 4;
  Write(fmt::format("{:{}}START {}\n", "", progress_width, TerminalSafeLine(id)));
}

void ConsoleReporter::OnCaseEnd(const CaseResult& result) {
  std::lock_guard lock(mutex_);
  ++finished_;
  const size_t width = fmt::formatted_size("{}", std::max(total_, finished_));
  std::string text =
      fmt::format("[{:>{}}/{}] {} {} ({:.2f} s)", finished_, width, total_, Label(result.verdict),
                  TerminalSafeLine(result.id), result.seconds);
  const bool with_reason = result.verdict == Verdict::kSkip || result.verdict == Verdict::kXFail;
  if (with_reason && !result.reason.empty()) text += ": " + TerminalSafeLine(result.reason);
  text.push_back('\n');

  if (IsFailure(result.verdict) || (verbose_ && result.verdict == Verdict::kXFail)) {
    const std::string& explanation =
        result.explanation.empty() ? result.reason : result.explanation;
    text += Indented(explanation, kIndent);
    // The explanation should already say where the transcript is; make sure it does.
    if (!result.transcript_path.empty() &&
        explanation.find(result.transcript_path) == std::string::npos) {
      text += Indented("transcript: " + result.transcript_path, kIndent);
    }
  }
  if (verbose_) {
    for (const scenario::StepOutcome& step : result.steps) {
      text +=
          fmt::format("{}{} {} at {} ({:.3f} s)\n", kIndent, Label(step.verdict),
                      TerminalSafeLine(step.name), TerminalSafeLine(step.location), step.seconds);
      if (!step.message.empty() && step.verdict != Verdict::kPass) {
        text += Indented(step.message, "          ");
      }
    }
  }
  Write(text);
}

void ConsoleReporter::OnRunEnd(const std::vector<CaseResult>& results,
                               const scenario::RunSummary& summary) {
  std::vector<const CaseResult*> sorted;
  sorted.reserve(results.size());
  for (const CaseResult& result : results) sorted.push_back(&result);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CaseResult* a, const CaseResult* b) { return a->id < b->id; });

  std::vector<std::string> ids;
  size_t id_width = 2;  // "id"
  for (const CaseResult* result : sorted) {
    ids.push_back(TerminalSafeLine(result->id));
    id_width = std::max(id_width, std::min(ids.back().size(), kMaxIdColumn));
  }

  std::string text;
  if (!sorted.empty()) {
    text += fmt::format("\n{:<{}}  {:<{}}  {:>8}\n", "id", id_width, "verdict", kLabelWidth + 2,
                        "seconds");
    for (size_t i = 0; i < sorted.size(); ++i) {
      text += fmt::format("{:<{}}  {}    {:>8.2f}\n", ids[i], id_width, Label(sorted[i]->verdict),
                          sorted[i]->seconds);
    }
  }
  const auto count = [&summary](Verdict verdict) { return summary.count(verdict); };
  text += fmt::format(
      "\nSummary: {} passed, {} failed, {} xfail, {} xpass, {} skipped, {} errors in {:.1f} s\n",
      count(Verdict::kPass), count(Verdict::kFail), count(Verdict::kXFail), count(Verdict::kXPass),
      count(Verdict::kSkip), count(Verdict::kError), summary.seconds);
  // CI log parsers look for exactly this line; keep it plain.
  text += fmt::format("{} passed, {} failed\n", count(Verdict::kPass) + count(Verdict::kXFail),
                      count(Verdict::kFail) + count(Verdict::kXPass) + count(Verdict::kError));
  text += fmt::format("exit code {}\n", summary.ExitCode());

  std::lock_guard lock(mutex_);
  Write(text);
}

}  // namespace conformance::report
