// The server under test as a replica of a fuzzing fake master. One target owns one server
// and runs inputs against it one after another: each iteration a fresh fake master listens on
// a new port, REPLICAOF points the server at it (so no reconnect timer is waited for), the
// master answers the handshake and sends the rendered exchange, and the oracles look at the
// server: alive (crash or exit), answering PING (hang), its memory, and whether it brought
// its link up on a snapshot it had to refuse (corrupt load). A server that died or hung is
// restarted from an empty directory before the next input.
#pragma once

#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/fuzz/exchange_driver.h"
#include "harness/fuzz/finding.h"
#include "harness/fuzz/input.h"
#include "harness/net/timeout.h"
#include "harness/server/admin.h"
#include "harness/server/launch_spec.h"
#include "harness/server/launcher.h"
#include "harness/server/process_registry.h"
#include "harness/server/traits.h"

namespace conformance::fuzz {

struct ReplicaTargetOptions {
  server::LaunchSpec launch;
  server::ServerTraits traits;
  server::ProcessRegistry* registry = nullptr;
  ExchangeTimeouts timeouts;
  net::Duration ping_timeout{2000};
  uint64_t max_rss_mb = 1024;
};

class ReplicaTarget {
 public:
  explicit ReplicaTarget(ReplicaTargetOptions options);
  ~ReplicaTarget();
  ReplicaTarget(const ReplicaTarget&) = delete;
  ReplicaTarget& operator=(const ReplicaTarget&) = delete;

  // Starts the server and connects to it.
  Status Start();
  // Restarts the server from an empty directory: the next input meets a fresh server.
  Status Reset() { return RestartFresh(); }
  // Runs one input; an error is the harness's (the server could not be restarted, the input
  // does not render), never the server's.
  Result<Outcome> Run(const FuzzInput& input);

  // What every input of this target has in common: the server's RDB version, PSYNC or SYNC.
  InputDomain domain() const;
  int restarts() const { return restarts_; }
  double restart_seconds() const { return restart_seconds_; }
  const server::ServerProcess* server() const { return server_.get(); }

 private:
  net::Awaitable<ExchangeResult> Exchange(const fuzz::Exchange& exchange, Transcript& transcript);
  net::Awaitable<Status> Connect();
  // The oracles, after the exchange.
  net::Awaitable<std::optional<Finding>> Judge(const fuzz::Exchange& exchange, Reaction reaction,
                                               uint64_t log_offset);
  std::optional<Finding> DeathFinding(uint64_t log_offset);
  std::string LogSince(uint64_t log_offset) const;
  std::vector<std::string> LogLinesSince(uint64_t log_offset) const;
  uint64_t LogSize() const;
  // Restart() from an empty directory, timed.
  Status RestartFresh();
  Status Restart();

  ReplicaTargetOptions options_;
  asio::io_context io_;
  std::unique_ptr<server::ServerProcess> server_;
  std::unique_ptr<server::Admin> admin_;
  bool verifies_checksum_ = true;  // CONFIG GET rdbchecksum
  int restarts_ = 0;
  double restart_seconds_ = 0;
};

}  // namespace conformance::fuzz
