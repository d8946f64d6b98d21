// JUnit XML (--junit-output) in the shape Jenkins, GitLab and GitHub test renderers accept:
//
//   <testsuites ...><testsuite name="conformance" tests failures errors skipped time>
//     <properties> harness version, seed, server </properties>
//     <testcase classname="<id up to its last dot>" name="<id>" time>
//       FAIL  -> <failure type="fail" message="reason">explanation</failure> + <system-out>
//       XPASS -> <failure type="xpass" message="...">...</failure> + <system-out>
//       ERROR -> <error type="error" message="reason">explanation</error> + <system-out>
//       SKIP  -> <skipped message="reason"/>
//       XFAIL -> passes; <system-out> says it failed as expected, and why
//
// A failing case's <system-out> holds its full dossier (steps, transcript, server log tail; see
// case_text.h). The counts are taken from `cases` so they always match the <testcase>
// elements; "failures" counts FAIL and XPASS. Cases appear in the order given.
#pragma once

#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/report/run_info.h"
#include "harness/scenario/verdict.h"

namespace conformance::report {

std::string RenderJUnit(const std::vector<scenario::CaseResult>& cases,
                        const scenario::RunSummary& summary, const RunInfo& info);

// Renders and writes the report to `path` (atomically, creating parent directories).
Status WriteJUnit(const std::string& path, const std::vector<scenario::CaseResult>& cases,
                  const scenario::RunSummary& summary, const RunInfo& info);

// The JUnit classname of a case: its id up to the last dot, or "conformance" without a dot.
std::string JUnitClassName(std::string_view id);

}  // namespace conformance::report
