// A server profile: what one implementation is (dialect, capabilities, how to start it) and
// what the gate should make of its results (cases disabled with a reason, expected failures
// with an optional error substring). An expected failure that passes is an XPASS and fails the
// run, so a profile only ever ratchets towards fewer entries.
//
//   name: redis-7.0
//   dialect: redis                 # optional: redis, valkey, keydb or dragonfly (discovered)
//   capabilities: [psync, eof]     # optional: replaces the discovered capabilities
//   keyspace_read: scan            # scan (default) or snapshot (needs the sync capability):
//                                  # how checks without a `method` read the server
//   server:                        # optional; command-line flags win over it
//     command: "{binary} {config}" # argv template, see LaunchSpec::command
//     replica-args: "--replicaof {master_host} {master_port}"  # start as a replica by flags
//     default-config: true         # write the Redis-like default config lines
//     config: {appendonly: "no"}   # extra config for every started server
//   disabled:                      # glob -> reason: SKIP, never run
//     "master.sync.legacy": "SYNC was removed"
//   expected_failures:             # glob -> {reason, error}: FAIL becomes XFAIL
//     "master.psync.*": {reason: "issue 123", error: "+CONTINUE"}
//
// A scenario whose `server.requires` names a capability missing from `capabilities` (or from
// discovery, when the profile lists none) is skipped with that reason. Load errors name file:line:column, like the scenario loader's.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/scenario/keyspace_read.h"
#include "harness/scenario/runner.h"
#include "harness/scenario/scenario.h"

namespace conformance::scenario {

struct Profile {
  std::string file;
  std::string name;
  std::string dialect;                    // one of KnownDialects()
  std::vector<std::string> capabilities;  // each one of KnownCapabilities()
  // How check.keyspace and check.replica-keyspace read the server when a step gives no
  // `method`; snapshot needs `sync` (a SYNC from a client that is no replica).
  KeyspaceRead keyspace_read = KeyspaceRead::kScan;
  std::vector<std::string> server_command;  // empty: the launcher's default
  // Appended to the command to start the server as a replica ({master_host} {master_port}),
  // for servers that take their master by flag; empty: a replicaof config line.
  std::vector<std::string> replica_args;
  bool default_config = true;
  std::vector<std::pair<std::string, std::string>> server_config;
  std::vector<std::pair<std::string, std::string>> disabled;  // glob -> reason, file order
  std::vector<ExpectedFailure> expected_failures;              // file order

  bool HasCapability(const std::string& capability) const;
};

// The protocol dialects the harness knows (see server/traits.h for what each one means).
const std::vector<std::string>& KnownDialects();

// Loads and validates a profile file.
Result<Profile> LoadProfile(const std::string& path);
// Loads a profile file's text; `name` stands for its path (errors, Profile::file).
Result<Profile> LoadProfileText(const std::string& name, std::string_view text);

// Applies a profile to run options: disabled cases, expected failures, the default keyspace
// read, and the server launch settings (command template, default config,
// config lines placed before those already in options->launch.config so that later ones win).
// Call it before command-line overrides; its capabilities and dialect are applied over
// discovery's by DiscoverTraits (run_setup.h).
void ApplyProfile(const Profile& profile, RunOptions* options);

}  // namespace conformance::scenario
