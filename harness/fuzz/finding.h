// What the fuzzer's oracles saw the server under test do with one input, and how findings
// are told apart (their signature).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/fuzz/exchange_driver.h"

namespace conformance::fuzz {

enum class Oracle : uint8_t {
  kCrash,        // the process died by a signal (a segfault, an assertion's abort)
  kHang,         // no answer to PING within the deadline
  kCorruptLoad,  // the replica brought its link up on a snapshot it had to refuse
  kMemory,       // its memory grew past the bound
  kExit,         // it exited by itself, saying why in its log: tolerated, reported apart
  kPanic,        // it died after saying in its log that it stops itself on purpose (an
                 // assertion, a panic): tolerated like an exit, reported apart
  kProtocol,     // it answered a request as no correct server would (a master continuing a
                 // PSYNC it cannot serve)
};
const char* ToString(Oracle oracle);
// Whether the oracle's finding breaks a rule (an exit or a panic with a logged reason does not,
// unless the campaign is strict about them).
bool IsFailure(Oracle oracle, bool strict = false);
// Whether log lines say the server stopped itself on purpose (an assertion or a panic).
bool SaysItStoppedItself(const std::vector<std::string>& log_lines);

struct Finding {
  Oracle oracle = Oracle::kCrash;
  std::string rule;  // the catalogue id the finding breaks ("" for kExit)
  std::string what;  // "killed by signal 11 (SIGSEGV)", "accepted a snapshot whose CRC64 ..."
  std::vector<std::string> log_lines;  // the server's own warnings from this iteration

  // The part of the signature that does not depend on the input: the oracle, the signal or
  // exit status, and the server's first warning with numbers masked.
  std::string Symptom() const;
  // Coarser: the oracle and, for a death, how it died. A minimized input must keep failing
  // in the same class (its log lines may differ as the input shrinks).
  std::string Class() const;
};

struct Outcome {
  Reaction reaction = Reaction::kUndecided;
  std::optional<Finding> finding;
  std::string transcript;  // the iteration's frames and notes
  double seconds = 0;      // how long the iteration took, restart included
};

// Masks what differs between two runs of the same failure in a log line: the pid and time
// prefix, numbers and addresses.
std::string NormalizeLogLine(const std::string& line);

}  // namespace conformance::fuzz
