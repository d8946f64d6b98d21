// Progress and results on the console: one line per finished case, the one-screen explanation of
// every failure, then a table, a summary and the line CI systems grep for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/verdict.h"

namespace conformance::report {

// True when `out` is a terminal and the user has not opted out of colour (NO_COLOR set, or
// TERM=dumb); what the CLI passes as ConsoleReporter's `color`.
bool ColorWanted(std::FILE* out);

// Thread-safe: cases run in parallel (-j N) and report as they finish. Each call writes its
// lines in one piece, so output from different cases never interleaves. Text that came from the
// server is made terminal-safe (see terminal_text.h).
class ConsoleReporter {
 public:
  // `out` is not owned and must outlive the reporter. `color` adds ANSI colours to verdict
  // labels; `verbose` also announces each case as it starts and lists every case's steps.
  ConsoleReporter(std::FILE* out, bool color, bool verbose);

  ConsoleReporter(const ConsoleReporter&) = delete;
  ConsoleReporter& operator=(const ConsoleReporter&) = delete;

  // Prints what is about to run; `cases` sizes the [i/N] progress counter.
  void OnRunStart(size_t cases, uint64_t seed, std::string_view server_description);
  // Prints the id in verbose mode only.
  void OnCaseStart(const std::string& id);
  // Prints "[i/N] LABEL id (s)": with the reason for SKIP/XFAIL, and the indented explanation
  // for FAIL/XPASS/ERROR.
  void OnCaseEnd(const scenario::CaseResult& result);
  // Prints the table of all cases sorted by id, then
  //   Summary: P passed, F failed, XF xfail, XP xpass, S skipped, E errors in T s
  //   N passed, M failed          (N = pass + xfail, M = fail + xpass + error; never coloured)
  //   exit code K
  void OnRunEnd(const std::vector<scenario::CaseResult>& results,
                const scenario::RunSummary& summary);

 private:
  std::string Label(scenario::Verdict verdict) const;
  void Write(std::string_view text);  // requires mutex_

  std::FILE* const out_;
  const bool color_;
  const bool verbose_;
  std::mutex mutex_;
  size_t total_ = 0;     // guarded by mutex_
  size_t finished_ = 0;  // guarded by mutex_
};

}  // namespace conformance::report
