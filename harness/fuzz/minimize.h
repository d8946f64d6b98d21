// Shrinks a failing input while it keeps failing in the same class: delta debugging over its
// mutations, then without the checksum fix, then with fewer keys in the snapshot and fewer
// stream commands. Each try is one run against the real server, so the number of runs is
// bounded.
#pragma once

#include <functional>
#include <string>

#include "harness/common/result.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"

namespace conformance::fuzz {

// Runs one input against the server under test.
using Probe = std::function<Result<Outcome>(const FuzzInput&)>;

struct Minimized {
  FuzzInput input;
  Outcome outcome;  // of the last run that failed as the original did
  bool reproduced = false;  // the original failed again in the same class
  int runs = 0;
};

Result<Minimized> Minimize(const FuzzInput& failing, const Finding& finding, const Probe& probe,
                           int max_runs);

}  // namespace conformance::fuzz
