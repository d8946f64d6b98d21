// The --matrix report: the same cases run against several servers, rendered as one table of
// cases by servers (console text, JSON and a static HTML page). A single run is a matrix of one
// column, so --html works without --matrix too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/report/run_info.h"
#include "harness/scenario/verdict.h"

namespace conformance::report {

// What one run against one server produced: one column of the matrix.
struct MatrixColumn {
  std::string label;   // unique column name, see MatrixLabels
  std::string binary;  // the server binary; empty when attached with --target
  std::vector<scenario::CaseResult> results;
  scenario::RunSummary summary;
  RunInfo info;  // info.server describes the server (binary, profile, dialect)
  int exit_code = scenario::kExitOk;
};

// What the matrix says about all its runs together.
struct MatrixInfo {
  std::string harness_version;
  uint64_t seed = 0;
  std::string started_at;  // ISO 8601 UTC; may be empty
  int exit_code = scenario::kExitOk;  // the worst of the columns'
};

// Column labels for the matrix: each binary's file name, made unique with "-2", "-3", ...
std::vector<std::string> MatrixLabels(const std::vector<std::string>& binaries);

// The case ids of all columns, in the order they first appear.
std::vector<std::string> MatrixCaseIds(const std::vector<MatrixColumn>& columns);

// The console table: a "case" header row of labels, one row per case id with each column's
// verdict label ("-" where that server did not run the case), an "exit code" row, then one
// "  label = binary" line per column.
std::string RenderMatrixTable(const std::vector<MatrixColumn>& columns);

// {"harness": {version, seed, started_at},
//  "servers": [{label, binary, server, exit_code, summary: {pass, ..., error, total}}],
//  "cases": [{id, verdicts: {label: verdict or null}}], "exit_code",
//  "runs": {label: the full JSON report of that server's run (json_report.h)}}.
std::string RenderMatrixJson(const std::vector<MatrixColumn>& columns, const MatrixInfo& info);

// One static, self-contained HTML page (inline CSS, no scripts, nothing fetched): the header,
// one summary row per server, then the cases by servers with each cell coloured by verdict
// (class "v-<verdict>", "v-none" for a case the server did not run), the one-line reason as its
// tooltip, and a link to the case's transcript file. `html_dir` is the directory the page is
// written to ("" for the working directory): links are relative to it, so the reports
// directory can be moved as a whole.
std::string RenderMatrixHtml(const std::vector<MatrixColumn>& columns, const MatrixInfo& info,
                             const std::string& html_dir);

}  // namespace conformance::report
