// Shrinks a failing input while it keeps failing in the same class: delta debugging over its
// mutations, then without the checksum fix, then with fewer keys in the snapshot and fewer
// stream commands. Each try runs on a freshly started server, so the number of runs is
// bounded. A failure that needs the state earlier inputs left (it does not recur alone) is
// tried again after the inputs that preceded it, and keeps only those it needs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"

namespace conformance::fuzz {

// Runs `prefix` then `input` against a freshly started server; the outcome of `input`.
using Probe = std::function<Result<Outcome>(const std::vector<FuzzInput>& prefix, const FuzzInput& input)>;

struct Minimized {
  std::vector<FuzzInput> prefix;  // what must run first, oldest first (usually nothing)
  FuzzInput input;
  Outcome outcome;  // of the last run that failed as the original did
  bool reproduced = false;  // the original failed again in the same class
  int runs = 0;
};

Result<Minimized> Minimize(const std::vector<FuzzInput>& history, const FuzzInput& failing,
                           const Finding& finding, const Probe& probe, int max_runs);

}  // namespace conformance::fuzz
