// Small helpers shared by the step executors.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/net/connection.h"
#include "harness/scenario/args.h"
#include "harness/scenario/context.h"
#include "harness/scenario/keyspace_read.h"
#include "harness/scenario/steps.h"
#include "harness/server/info.h"

namespace conformance::scenario {

using net::Awaitable;
using StepFunction = Awaitable<StepStatus> (*)(CaseContext&, const Args&);

struct StepBinding {
  const char* kind;
  StepFunction run;
};

// The executors of each family, defined in steps_server.cc, steps_replica.cc, steps_check.cc,
// steps_master.cc (the fake master, its server.* and check.replica-* steps) and
// steps_dual_channel.cc (the fake replica in Valkey's dual-channel mode).
const std::vector<StepBinding>& ServerSteps();
const std::vector<StepBinding>& ReplicaSteps();
const std::vector<StepBinding>& CheckSteps();
const std::vector<StepBinding>& MasterSteps();
const std::vector<StepBinding>& DualChannelSteps();

// A new admin link after the last one fell out of step (a reply that never came); a FAIL when
// the server is gone or takes no new connection.
Awaitable<StepStatus> ReopenAdmin(CaseContext& ctx);

// The keys the server holds in all its databases (INFO keyspace; 0 when unreadable).
Awaitable<uint64_t> TotalKeys(CaseContext& ctx);

// A failure the server under test is responsible for.
inline Error Fail(std::string message) { return Error{std::move(message), ErrorKind::kProtocol}; }
// A check this server cannot take (missing lever or capability): the case is skipped.
inline Error Unsupported(std::string message) {
  return Error{std::move(message), ErrorKind::kUnsupported};
}

Awaitable<Result<server::Info>> FetchInfo(CaseContext& ctx, const std::string& section);
// Sends commands pipelined on the admin connection; fails on the first error reply.
Awaitable<Status> WritePipelined(CaseContext& ctx, const std::vector<std::vector<std::string>>& commands,
                                 const std::string& what);
// Reads the server's keyspace into `out` by `method` (keyspace_read.h); the sync_full a
// snapshot adds is added to ctx.stats_baseline, so that check.stats counts the scenario's own
// syncs only.
Awaitable<Status> ReadServerKeyspaceBy(CaseContext& ctx, KeyspaceRead method,
                                       keyspace::Keyspace* out, net::Duration timeout);
// The keyspace a replica must hold after loading `model` written as RDB `version`: what that
// version carries, read back with the harness's reader.
Result<keyspace::Keyspace> AsCarriedBy(const keyspace::Keyspace& model, int version);
// `model` as the server under test holds it: projected through its RDB version where that
// version cannot carry all of it (into `storage`), else `model` itself.
Result<const keyspace::Keyspace*> AsServerHolds(const CaseContext& ctx,
                                                const keyspace::Keyspace& model,
                                                keyspace::Keyspace* storage);
// The master's replication offset: INFO master_repl_offset where the server reports it, else
// ROLE's; kUnsupported where it has neither.
Awaitable<Result<int64_t>> ReadMasterOffset(CaseContext& ctx);
// The fake replica a step names; fails when there is none.
Result<fakes::FakeReplica*> ReplicaFor(CaseContext& ctx, const Args& args);
// The fake master a step names: its `name`, else the only one, else "master" (an error when
// none listens).
Result<fakes::FakeMaster*> MasterFor(CaseContext& ctx, const Args& args);
std::string MasterName(const CaseContext& ctx, const Args& args);

// Interval between two polls of a condition (each poll is a real request, bounded by a deadline).
inline constexpr net::Duration kPollInterval{20};

}  // namespace conformance::scenario
