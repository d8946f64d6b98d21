// Everything one running case owns: its transcript, the server under test (started or
// attached), the harness's admin connection, the fake peers, and stats baselines. Steps read
// and change it; nothing outlives the case.
#pragma once

#include <asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "fakes/fake_replica.h"
#include "harness/common/transcript.h"
#include "harness/scenario/scenario.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"

namespace conformance::scenario {

struct CaseContext {
  const Scenario* scenario = nullptr;
  uint64_t seed = 0;
  Transcript transcript;
  net::Duration step_timeout{10000};

  server::ServerProcess* server = nullptr;  // null when attached to a running server
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::optional<std::string> password;  // the server's requirepass, if any
  std::unique_ptr<server::Admin> admin;

  std::map<std::string, std::unique_ptr<fakes::FakeReplica>> replicas;
  std::map<std::string, int64_t> stats_baseline;

  // The fake replica called `name` ("" picks the only one); null if none.
  fakes::FakeReplica* Replica(const std::string& name);
};

// How a step ended. kUnsupported errors become SKIP; every other error is a FAIL.
using StepStatus = Status;

}  // namespace conformance::scenario
