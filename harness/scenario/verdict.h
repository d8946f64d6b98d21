// Outcomes of scenario cases, as the runner produces them and every report renders them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/common/result.h"

namespace conformance::scenario {

enum class Verdict : uint8_t {
  kPass,   // every step and check held
  kFail,   // the server under test broke a rule (or crashed, or did not answer in time)
  kXFail,  // failed, and the profile expected it to
  kXPass,  // passed, but the profile expected a failure: the profile must be updated
  kSkip,   // not applicable to this server (a missing lever or capability); has a reason
  kError,  // the harness or the environment broke, not the server (e.g. it did not start)
};

inline constexpr std::array<Verdict, 6> kAllVerdicts = {
    Verdict::kPass, Verdict::kFail, Verdict::kXFail, Verdict::kXPass, Verdict::kSkip, Verdict::kError};

// Who is at fault for a step's error decides its verdict, here and nowhere else: a missing
// capability is SKIP, a scenario mistake or harness fault ERROR, anything else the server's
// FAIL (a wrong reply, a timeout, a closed link, a protocol violation).
Verdict VerdictForStepError(ErrorKind kind);

// Lowercase names used in JSON and JUnit: "pass", "fail", "xfail", "xpass", "skip", "error".
const char* ToString(Verdict verdict);
// Uppercase names for the console: "PASS", "FAIL", ...
const char* ToLabel(Verdict verdict);

// One executed step of a case.
struct StepOutcome {
  std::string name;      // step kind, e.g. "replica.receive-rdb"
  std::string location;  // "file:line:column" of the step in its scenario file
  Verdict verdict = Verdict::kPass;
  std::string message;   // what happened; for a failure, expected vs received
  double seconds = 0;
};

struct CaseResult {
  std::string id;          // stable hierarchical id, e.g. "master.psync.continue"
  std::string title;
  std::string rule;        // the rule the scenario checks
  std::string source;      // where the rule comes from, e.g. "replication.c syncCommand"
  // The catalogued rules the case checks (harness/rules/RULES.md); a rule a fake peer saw
  // broken comes first.
  std::vector<std::string> rules;
  std::string file;        // scenario file path
  uint64_t seed = 0;       // reproduces the case with --seed
  Verdict verdict = Verdict::kPass;
  // One line: the failure or skip reason (empty on pass).
  std::string reason;
  // The one-screen explanation of a failure: scenario and step, rule and source, expected vs
  // received (escaped bytes with offsets), where the full transcript is.
  std::string explanation;
  std::vector<StepOutcome> steps;
  double seconds = 0;
  std::string transcript;       // rendered transcript (frames, faults, notes)
  std::string server_log_tail;  // last lines of the server's log, secrets redacted
  std::string transcript_path;  // file the transcript was written to, if any
};

struct RunSummary {
  std::array<int, kAllVerdicts.size()> counts{};
  double seconds = 0;

  void Add(Verdict verdict) { ++counts[static_cast<size_t>(verdict)]; }
  int count(Verdict verdict) const { return counts[static_cast<size_t>(verdict)]; }
  int total() const;
  // 0 all good, 1 a conformance failure or XPASS, 2 inconclusive (nothing passed: no case ran
  // or every case was skipped), 3 an infrastructure error.
  int ExitCode() const;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInconclusive = 2;
inline constexpr int kExitInfrastructure = 3;
inline constexpr int kExitUsage = 64;

}  // namespace conformance::scenario
