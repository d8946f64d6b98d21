// The command line of `conformance`: commands, flags, and the usage text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/result.h"

namespace conformance::cli {

enum class Command : uint8_t { kRun, kList, kExplain, kCommands, kRules, kProbe, kFuzz, kHelp };

struct CliOptions {
  Command command = Command::kHelp;
  std::vector<std::string> paths;           // scenario files and directories
  std::string server = "redis-server";      // --server BINARY
  bool server_given = false;                // --server was on the command line
  std::vector<std::string> matrix;          // --matrix BIN1,BIN2,...: one run per binary
  std::string profile_path;                 // --profile FILE
  std::vector<std::string> server_command;  // --server-command "{binary} --port {port}" (split on spaces)
  std::vector<std::pair<std::string, std::string>> server_config;  // --server-config name=value
  std::optional<std::pair<std::string, uint16_t>> target;          // --target host:port
  std::optional<std::string> password;      // --password (for --target; prefer $CONFORMANCE_PASSWORD)
  std::vector<std::string> only;
  std::vector<std::string> skip;
  uint64_t seed = 1;
  int jobs = 1;
  int64_t step_timeout_ms = 10000;
  std::string json_path;
  std::string html_path;  // --html FILE: cases by servers, one column without --matrix
  std::string junit_path;
  std::string transcript_dir;
  bool keep_dirs = false;
  int repeat = 1;                     // --repeat N: run the selection N times
  bool repeat_until_failure = false;  // stop at the first verdict that differs from run 1
  bool markdown = false;              // rules --markdown
  bool verbose = false;
  std::string explain_id;  // explain ID
  // fuzz
  std::optional<int64_t> fuzz_seconds;     // --seconds N (default 60 unless --iterations)
  std::optional<uint64_t> fuzz_iterations;  // --iterations N
  std::string fuzz_corpus = "fuzz-findings";  // --corpus DIR: where failures are written
  int64_t fuzz_settle_ms = 300;             // --settle-ms N
  uint64_t fuzz_max_rss_mb = 1024;          // --max-rss-mb N
  bool fuzz_strict = false;                 // --strict: exits and panics are failures
  bool fuzz_role_master = false;            // --role master: fuzz the server as a master
  std::vector<std::string> fuzz_mutators;   // --mutators GLOB,...: only these
};

// The usage text.
std::string Usage();
// Parses argv; an error message means exit code 64.
Result<CliOptions> ParseOptions(const std::vector<std::string>& args);

}  // namespace conformance::cli
