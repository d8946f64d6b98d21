#include "tests/unit/report/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace std::string_literals;

namespace conformance::report::testing {
namespace {

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  for (size_t pos = text->find(from); pos != std::string::npos;
       pos = text->find(from, pos + to.size())) {
    text->replace(pos, from.size(), to);
  }
}

constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD

}  // namespace

std::string Hostile() {
  return "q\"uote' <tag> & amp; ]]> x ]]]]> ctl\x01\x1b[31m\x7f bad\xff \xc3( \xed\xa0\x80 "
         "\xc3\xa9 \xf0\x9f\x98\x80 \r\nline2\ttab \\back nul"s +
         '\0' + "end";
}

std::string HostileAfterJson() {
  std::string text = Hostile();
  ReplaceAll(&text, "\xff", kReplacement);
  ReplaceAll(&text, "\xc3(", std::string(kReplacement) + "(");
  ReplaceAll(&text, "\xed\xa0\x80",
             std::string(kReplacement) + std::string(kReplacement) + std::string(kReplacement));
  return text;
}

std::string HostileAfterXml() {
  std::string text = HostileAfterJson();
  ReplaceAll(&text, "\x01", "\\x01");
  ReplaceAll(&text, "\x1b", "\\x1b");
  ReplaceAll(&text, std::string(1, '\0'), "\\x00");
  return text;
}

std::string HostileAfterXmlCData() {
  std::string text = HostileAfterXml();
  ReplaceAll(&text, "\r\n", "\n");
  return text;
}

std::vector<scenario::CaseResult> SampleCases() {
  using scenario::Verdict;
  std::vector<scenario::CaseResult> cases;
  const auto add = [&cases](std::string id, Verdict verdict) -> scenario::CaseResult& {
    scenario::CaseResult& result = cases.emplace_back();
    result.id = std::move(id);
    result.verdict = verdict;
    result.title = "title of " + result.id;
    result.rule = "rule of " + result.id;
    result.source = "replication.c syncCommand";
    result.file = "scenarios/" + result.id + ".yaml";
    result.seed = 1000 + cases.size();
    result.seconds = 0.25 * static_cast<double>(cases.size());
    return result;
  };

  scenario::CaseResult& pass = add("master.psync.continue", Verdict::kPass);
  pass.steps = {
      {.name = "replica.connect", .location = "a.yaml:3:5", .message = "", .seconds = 0.1},
      {.name = "replica.psync", .location = "a.yaml:7:5", .message = "", .seconds = 0.2}};

  scenario::CaseResult& fail = add("replica.rdb.eof-mark", Verdict::kFail);
  fail.title = Hostile();
  fail.rule = Hostile();
  fail.reason = Hostile();
  fail.explanation = "step replica.receive-rdb at b.yaml:9:3\n  Expected: +OK\n  " + Hostile();
  fail.transcript = "    0.001 replica  -> @0   PSYNC ? -1\n" + Hostile() + "\n";
  fail.server_log_tail = "1:M 01 Jan 00:00:00.000 * Ready\n" + Hostile();
  fail.transcript_path = "out/replica.rdb.eof-mark.txt";
  fail.seed = 18446744073709551615ull;
  fail.steps = {
      {.name = "replica.connect", .location = "b.yaml:3:3", .message = "", .seconds = 0.01},
      {.name = "replica.receive-rdb",
       .location = "b.yaml:9:3",
       .verdict = Verdict::kFail,
       .message = Hostile(),
       .seconds = 1.5}};

  scenario::CaseResult& xfail = add("psync.fallback-to-sync[diskless=yes]", Verdict::kXFail);
  xfail.reason = "known bug: " + Hostile();
  xfail.explanation = "expected +CONTINUE, received +FULLRESYNC";

  scenario::CaseResult& xpass = add("sanity", Verdict::kXPass);
  xpass.reason = "profile lists sanity as failing";

  scenario::CaseResult& skip = add("master.restart.persist", Verdict::kSkip);
  skip.reason = "attached with --target: cannot restart the server";

  scenario::CaseResult& error = add("weird.\"<&>]]>\x01\xff id", Verdict::kError);
  error.reason = "server did not start: " + Hostile();
  error.explanation = Hostile();
  error.server_log_tail = Hostile();
  return cases;
}

scenario::RunSummary SummaryOf(const std::vector<scenario::CaseResult>& cases, double seconds) {
  scenario::RunSummary summary;
  for (const scenario::CaseResult& result : cases) summary.Add(result.verdict);
  summary.seconds = seconds;
  return summary;
}

TempDir::TempDir() {
  std::string name =
      (std::filesystem::temp_directory_path() / "conformance-report-test-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) std::abort();  // nothing sensible to test without it
  path_ = name;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::optional<PythonRun> RunPython(std::string_view script, const std::string& argument) {
  constexpr const char* kPython = "/usr/bin/python3";
  if (::access(kPython, X_OK) != 0) return std::nullopt;
  TempDir dir;
  const std::filesystem::path script_path = dir.path() / "check.py";
  std::ofstream(script_path) << script;
  // Paths come from TempDir and the test itself: no shell metacharacters to quote.
  const std::string command =
      std::string(kPython) + " " + script_path.string() + " '" + argument + "' 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  PythonRun run;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace conformance::report::testing
