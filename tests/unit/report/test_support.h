// Shared fixtures for the report tests: a table of results covering every verdict with hostile
// text in every field, a scratch directory, and a bridge to Python's strict parsers.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/verdict.h"

namespace conformance::report::testing {

// Quotes, markup, "]]>", C0 controls with NUL and ESC, DEL, invalid UTF-8 (a stray 0xff, a
// truncated sequence, an encoded surrogate), valid UTF-8 (2 and 4 bytes), CR LF, tab, backslash.
std::string Hostile();
// Hostile() as a strict JSON reader returns it: each invalid UTF-8 byte became U+FFFD.
std::string HostileAfterJson();
// Hostile() as an XML parser returns it from text or an attribute: also C0 controls as \xNN.
std::string HostileAfterXml();
// ... and from a CDATA section, where the parser also folds CR LF to LF.
std::string HostileAfterXmlCData();

// One case per verdict, in kAllVerdicts order, with Hostile() in the free-text fields. The
// ERROR case also has a hostile id.
std::vector<scenario::CaseResult> SampleCases();
scenario::RunSummary SummaryOf(const std::vector<scenario::CaseResult>& cases, double seconds);

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);

struct PythonRun {
  int exit_status = -1;
  std::string output;  // stdout and stderr
};
// Runs `script` with /usr/bin/python3, passing `argument`; nullopt when there is no python3.
std::optional<PythonRun> RunPython(std::string_view script, const std::string& argument);

}  // namespace conformance::report::testing
