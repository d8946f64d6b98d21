// Runs scenario cases against the server under test and decides their verdicts. Each case gets
// its own server (or the attached one), io_context, transcript and fake peers; cases run in
// parallel on `jobs` threads. Sanity cases run first and again last, to show the server was up
// and stayed up.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/net/connection.h"
#include "harness/scenario/keyspace_read.h"
#include "harness/scenario/scenario.h"
#include "harness/scenario/verdict.h"
#include "harness/server/launch_spec.h"
#include "harness/server/process_registry.h"
#include "harness/server/traits.h"

namespace conformance::scenario {

// A case the profile expects to fail; with a non-empty substring the failure must contain it.
struct ExpectedFailure {
  std::string glob;
  std::string error_substring;
  std::string reason;
};

struct RunOptions {
  server::LaunchSpec launch;  // how to start a server per case, unless attached
  std::optional<std::pair<std::string, uint16_t>> attach;  // --target host:port
  std::optional<std::string> attach_password;
  uint64_t seed = 1;
  int jobs = 1;
  net::Duration step_timeout{10000};
  std::vector<std::string> only;   // globs over ids; empty: all
  std::vector<std::string> skip;   // globs over ids
  std::vector<std::pair<std::string, std::string>> disabled;  // glob -> reason (profile)
  std::vector<ExpectedFailure> expected_failures;
  server::ProcessRegistry* registry = nullptr;
  // For servers without runtime REPLICAOF: in cases where the server is the replica, the fake
  // masters the case declares before `server.replicaof` listen first, and the server is started
  // as a replica of the first one (LaunchSpec::replica_of); `server.replicaof` then only notes it.
  bool start_as_replica = false;
  bool keep_server_dirs = false;
  // How check.keyspace and check.replica-keyspace read the server when the step names no
  // `method` (the profile's keyspace_read).
  KeyspaceRead keyspace_read = KeyspaceRead::kScan;
  // What the server under test is and speaks (discovery, release knowledge, the profile): a
  // case whose `requires` names a capability missing here, or whose `applies-to` excludes this
  // release, is skipped; generators, launcher and fakes read the rest.
  server::ServerTraits traits;
  // Set when the run could not learn what the server is (it did not start, or the probe
  // failed): every case is then an ERROR with this reason.
  std::optional<std::string> setup_error;
};

struct RunCallbacks {
  std::function<void(const std::string& id)> on_case_start;
  // Called when a case ends, before it is stored (it may fill transcript_path).
  std::function<void(CaseResult&)> on_case_end;
};

// Whether `id` matches a shell-style glob ("master.psync.*").
bool GlobMatches(const std::string& glob, const std::string& id);

// The cases `only`/`skip` select, in order.
std::vector<const Scenario*> SelectCases(const std::vector<Scenario>& scenarios, const RunOptions& options);

class Runner {
 public:
  Runner(RunOptions options, RunCallbacks callbacks);

  // Runs the selected cases: sanity first, the rest in parallel, sanity again last.
  std::vector<CaseResult> Run(const std::vector<Scenario>& scenarios);
  // Runs one case to its verdict; never throws.
  CaseResult RunCase(const Scenario& scenario, const std::string& id_suffix = "");

 private:
  CaseResult Execute(const Scenario& scenario);
  void ApplyExpectations(CaseResult& result) const;

  RunOptions options_;
  RunCallbacks callbacks_;
};

}  // namespace conformance::scenario
