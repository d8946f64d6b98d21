// A failing input written as a scenario file: the exact bytes the fake master sent, as one
// master.exchange step per input (the inputs it needs before it first), then the check that
// failed. `conformance run <file>` replays it against a
// fresh server; its verdict is FAIL while the server still has the defect.
#pragma once

#include <string>
#include <vector>

#include "harness/common/result.h"

#include "harness/fuzz/exchange.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"

namespace conformance::fuzz {

// "fuzz.replica.crash.1a2b3c4d": stable for the same failure class and mutators.
std::string ReproducerId(const Finding& finding, const FuzzInput& input);

// The scenario's YAML text; an error when an input does not render.
Result<std::string> ReproducerYaml(const std::string& id, const std::vector<FuzzInput>& prefix,
                                   const FuzzInput& input, const Finding& finding, int settle_ms,
                                   int ping_timeout_ms, uint64_t max_rss_mb);

// Bytes as a single-quoted YAML scalar that the scenario loader unescapes back to them.
std::string QuotedBytes(std::string_view bytes);

}  // namespace conformance::fuzz
