// The server under test as a replica of a fuzzing fake master. One target owns one server
// and runs inputs against it one after another: each iteration a fresh fake master listens on
// a new port, REPLICAOF points the server at it (so no reconnect timer is waited for), the
// master answers the handshake and sends the rendered exchange, and the oracles look at the
// server: alive (crash or exit), answering PING (hang), its memory, and whether it brought
// its link up on a snapshot it had to refuse (corrupt load). A server that died or hung is
// restarted from an empty directory before the next input.
#pragma once

#include <optional>

#include "harness/common/transcript.h"
#include "harness/fuzz/exchange.h"
#include "harness/fuzz/fuzzed_server.h"
#include "harness/fuzz/target.h"

namespace conformance::fuzz {

class ReplicaTarget : public Target {
 public:
  explicit ReplicaTarget(TargetOptions options) : options_(std::move(options)), server_(options_) {}

  Status Start() override;
  Status Reset() override { return server_.RestartFresh(); }
  Result<Outcome> Run(const FuzzInput& input) override;
  // The server's RDB version, PSYNC or SYNC, $EOF framing or not.
  InputDomain domain() const override;
  int restarts() const override { return server_.restarts(); }
  double restart_seconds() const override { return server_.restart_seconds(); }

 private:
  net::Awaitable<ExchangeResult> SendExchange(const Exchange& exchange, Transcript& transcript);
  // The oracles of a replica: those of every role, then corrupt load.
  net::Awaitable<std::optional<Finding>> Judge(const Exchange& exchange, Reaction reaction, uint64_t log_offset);

  TargetOptions options_;
  FuzzedServer server_;
  bool verifies_checksum_ = true;  // CONFIG GET rdbchecksum
};

}  // namespace conformance::fuzz
