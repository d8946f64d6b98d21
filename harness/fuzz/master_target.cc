#include "harness/fuzz/master_target.h"

#include <fmt/format.h>

#include "harness/net/run_sync.h"
#include "harness/rules/ids.h"

namespace conformance::fuzz {

namespace {

using Clock = std::chrono::steady_clock;
using net::Awaitable;

}  // namespace

InputDomain MasterTarget::domain() const {
  InputDomain domain;
  domain.role = TargetRole::kMaster;
  domain.psync = options_.traits.HasCommand("psync");
  return domain;
}

void MasterTarget::Prepare() {
  if (server::Admin* admin = server_.admin()) {
    // Without it a diskless master waits seconds before any snapshot goes out.
    (void)net::RunSync(server_.io(), admin->ConfigSet("repl-diskless-sync-delay", "0"));
  }
}

Status MasterTarget::Start() {
  CONFORMANCE_RETURN_IF_ERROR(server_.Start());
  Prepare();
  return OkStatus();
}

Status MasterTarget::Reset() {
  CONFORMANCE_RETURN_IF_ERROR(server_.RestartFresh());
  Prepare();
  return OkStatus();
}

Result<Outcome> MasterTarget::Run(const FuzzInput& input) {
  auto requests = RenderRequests(input);
  if (!requests.ok()) return requests.error();
  if (!server_.started()) return Error{"the fuzz target was not started", ErrorKind::kHarness};
  const auto started = Clock::now();
  Transcript transcript;
  transcript.Note("fuzz", fmt::format("seed {} iteration {}: {}", input.seed, input.iteration, input.MutatorSummary()));
  std::vector<std::string> bytes;
  for (const Request& request : requests->items) bytes.push_back(request.bytes);
  const uint64_t log_offset = server_.LogSize();
  RequestTimeouts timeouts;
  timeouts.connect = options_.timeouts.connect;
  timeouts.settle = options_.timeouts.settle;
  Outcome outcome;
  RequestsResult result;
  if (server_.admin()) {
    const std::vector<std::string> write = {"SET", "fuzz:stream", std::to_string(input.iteration)};
    result = net::RunSync(server_.io(), DriveRequests(server_.process().host(), server_.process().port(),
                                                      *server_.admin(), bytes, write, timeouts, transcript));
  }
  outcome.reaction = result.reaction;
  if (!result.after) server_.DropAdmin();  // its INFO did not come: the link may be out of step
  server_.Reconnect();
  outcome.finding = net::RunSync(server_.io(), Judge(result, log_offset));
  transcript.Note("fuzz", fmt::format("the master {}{}", ToString(outcome.reaction),
                                      outcome.finding ? "; " + outcome.finding->Symptom() : ""));
  outcome.transcript = transcript.Render();
  const bool healthy = !outcome.finding || outcome.finding->oracle == Oracle::kProtocol;
  if (!healthy || !server_.alive()) CONFORMANCE_RETURN_IF_ERROR(Reset());
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

Awaitable<std::optional<Finding>> MasterTarget::Judge(const RequestsResult& result, uint64_t log_offset) {
  if (auto death = co_await server_.JudgeLife(log_offset, rules::kMasterSurvivesReplicaInput)) co_return death;
  if (auto violation = ContinuedOutsideWindow(result)) {
    co_return Finding{Oracle::kProtocol, std::string(rules::kPsyncWindow),
                      *violation, server_.LogLinesSince(log_offset)};
  }
  co_return std::nullopt;
}

}  // namespace conformance::fuzz
