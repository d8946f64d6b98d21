// A fuzz campaign: N targets (servers, replicas or masters) in parallel, each running inputs drawn from (seed,
// iteration) until the time or iteration budget is spent. Failures are grouped by symptom,
// minimized on the target that found them, written as scenario files with their transcripts,
// and replayed once through the scenario runner to show the file reproduces them.
//
// Exits and panics (the server stopped itself, saying why) are tolerated by the rules unless
// the campaign is strict; they are counted by symptom with one example input, not minimized.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"
#include "harness/fuzz/target.h"
#include "harness/scenario/runner.h"

namespace conformance::fuzz {

struct CampaignOptions {
  scenario::RunOptions run;  // how to start the server, what it is, the replay's runner
  TargetOptions target;
  TargetRole role = TargetRole::kReplica;  // of the server under test
  int jobs = 1;
  uint64_t seed = 1;
  std::optional<uint64_t> iterations;  // budget in inputs
  std::chrono::seconds duration{60};   // budget in time (when iterations is unset, or both)
  std::string out_dir = "fuzz-findings";
  int max_minimize_runs = 40;
  // Distinct minimized failures kept per symptom (more are counted as hits of the last).
  int max_per_symptom = 3;
  bool replay = true;
  // Exits and panics with a logged reason count as failures (minimized, with reproducers).
  bool strict = false;
  std::vector<std::string> mutators;  // names of the role's mutators; empty: all
};

struct FoundFailure {
  std::string id;  // the scenario's
  Finding finding;
  std::vector<FuzzInput> prefix;  // inputs the failure needs first (oldest first)
  FuzzInput input;                // minimized
  FuzzInput original;             // as drawn
  int hits = 1;
  bool reproduced = false;
  int minimize_runs = 0;
  std::string scenario_path;
  std::string transcript_path;
  std::string replay_verdict;  // of `conformance run` on the file: "FAIL" reproduces it
  std::string replay_reason;
};

struct ToleratedExit {
  Finding finding;
  FuzzInput example;
  int hits = 1;
};

struct CampaignStats {
  uint64_t iterations = 0;
  std::map<std::string, uint64_t> reactions;  // ToString(Reaction) -> count
  std::map<std::string, double> reaction_seconds;  // ToString(Reaction) -> time spent
  int restarts = 0;
  double restart_seconds = 0;
  size_t failures = 0;
  size_t exits = 0;
};

struct CampaignResult {
  CampaignStats stats;
  double seconds = 0;
  std::vector<FoundFailure> failures;
  std::vector<ToleratedExit> exits;
  std::vector<std::string> errors;  // harness faults (a target that could not be restarted)
};

// `progress` (may be empty) is called about twice a second from the calling thread.
CampaignResult RunCampaign(const CampaignOptions& options,
                           const std::function<void(const CampaignStats&, double seconds)>& progress);

}  // namespace conformance::fuzz
