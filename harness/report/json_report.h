// The machine-readable report (--json-output): the whole run in one JSON document.
//
// Shape (cases in the order given; every string is valid UTF-8, see json_escape.h):
//   {"harness": {"version", "seed", "server", "started_at"},
//    "cases": [{"id", "title", "file", "verdict", "reason", "seconds", "seed", "rule",
//               "rules": [catalogued ids, a rule seen broken first], "source",
//               "explanation", "transcript": path or null,
//               "steps": [{"name", "location", "verdict", "message", "seconds"}]}],
//    "summary": {"pass", "fail", "xfail", "xpass", "skip", "error", "total", "seconds",
//                "exit_code"}}
// "verdict" is one of "pass", "fail", "xfail", "xpass", "skip", "error". Seeds are unsigned
// 64-bit integers: readers that parse numbers as doubles (JavaScript) lose digits above 2^53.
#pragma once

#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/report/run_info.h"
#include "harness/scenario/verdict.h"

namespace conformance::report {

std::string RenderJson(const std::vector<scenario::CaseResult>& cases,
                       const scenario::RunSummary& summary, const RunInfo& info);

// Renders and writes the report to `path` (atomically, creating parent directories).
Status WriteJson(const std::string& path, const std::vector<scenario::CaseResult>& cases,
                 const scenario::RunSummary& summary, const RunInfo& info);

}  // namespace conformance::report
