// conformance fuzz: a campaign against one prepared server, with a live line on a terminal,
// the summary, the JSON report and the exit code.
#pragma once

#include <string>

#include "harness/cli/options.h"
#include "harness/scenario/runner.h"

namespace conformance::cli {

// Exit code: 0 no failure (exits tolerated), 1 failures, 3 the server could not be fuzzed.
int RunFuzz(const CliOptions& cli, const scenario::RunOptions& run, const std::string& description);

}  // namespace conformance::cli
