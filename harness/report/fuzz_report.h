// The reports of a fuzz campaign: the summary a terminal shows (failures first, each with its
// reproducer and the command that replays it; tolerated exits apart) and the JSON document.
#pragma once

#include <string>

#include "harness/fuzz/campaign.h"

namespace conformance::report {

struct FuzzRunInfo {
  std::string server;  // what was fuzzed, as discovery described it
  std::string role = "replica";  // the server's role in the campaign
  uint64_t seed = 0;
  int jobs = 1;
};

// One live line: iterations, rate, failures, exits, elapsed.
std::string FuzzProgressLine(const fuzz::CampaignStats& stats, double seconds);
std::string RenderFuzzSummary(const fuzz::CampaignResult& result, const FuzzRunInfo& info);
std::string RenderFuzzJson(const fuzz::CampaignResult& result, const FuzzRunInfo& info);

}  // namespace conformance::report
