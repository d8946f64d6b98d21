// The server under test as the master of a fuzzing fake replica. Each iteration a new link
// sends the input's requests (the handshake, PSYNC or SYNC, ACKs, each possibly mutated),
// reads what the master answers, and closes; the oracles then look at the master: alive,
// answering PING, its memory, and whether it continued a PSYNC it could not serve (rule M3).
// Between inputs the master keeps its state (its replid, backlog and offset move on); one
// that died or hung is restarted from an empty directory.
#pragma once

#include <optional>

#include "harness/common/transcript.h"
#include "harness/fuzz/fuzzed_server.h"
#include "harness/fuzz/request_driver.h"
#include "harness/fuzz/target.h"

namespace conformance::fuzz {

class MasterTarget : public Target {
 public:
  explicit MasterTarget(TargetOptions options) : options_(std::move(options)), server_(options_) {}

  Status Start() override;
  Status Reset() override;
  Result<Outcome> Run(const FuzzInput& input) override;
  // The master's role, and whether it has PSYNC.
  InputDomain domain() const override;
  int restarts() const override { return server_.restarts(); }
  double restart_seconds() const override { return server_.restart_seconds(); }

 private:
  // Makes a full sync start at once (no diskless delay), where the server has the setting.
  void Prepare();
  net::Awaitable<std::optional<Finding>> Judge(const RequestsResult& result, uint64_t log_offset);

  TargetOptions options_;
  FuzzedServer server_;
};

}  // namespace conformance::fuzz
