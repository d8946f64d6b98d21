// A fuzz target: one server under test that runs inputs one after another. The campaign draws
// inputs, runs them on targets, and minimizes failures with them; what an input is and which
// oracles look at the server depend on the role the server plays (replica_target.h,
// master_target.h).
#pragma once

#include <cstdint>

#include "harness/common/result.h"
#include "harness/fuzz/exchange_driver.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"
#include "harness/net/timeout.h"
#include "harness/server/launch_spec.h"
#include "harness/server/process_registry.h"
#include "harness/server/traits.h"

namespace conformance::fuzz {

struct TargetOptions {
  server::LaunchSpec launch;
  server::ServerTraits traits;
  server::ProcessRegistry* registry = nullptr;
  ExchangeTimeouts timeouts;  // settle: also how long a master has to answer a sync
  net::Duration ping_timeout{2000};
  uint64_t max_rss_mb = 1024;
};

class Target {
 public:
  virtual ~Target() = default;

  // Starts the server and connects to it.
  virtual Status Start() = 0;
  // Restarts the server from an empty directory: the next input meets a fresh server.
  virtual Status Reset() = 0;
  // Runs one input; an error is the harness's (the server could not be restarted, the input
  // does not render), never the server's.
  virtual Result<Outcome> Run(const FuzzInput& input) = 0;
  // What every input of this target has in common.
  virtual InputDomain domain() const = 0;
  virtual int restarts() const = 0;
  virtual double restart_seconds() const = 0;
};

}  // namespace conformance::fuzz
