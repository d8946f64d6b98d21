// Executors of scenario steps, one per step kind of schema.h.
#pragma once

#include "harness/net/connection.h"
#include "harness/scenario/args.h"
#include "harness/scenario/context.h"

namespace conformance::scenario {

// Runs one step; the step's own deadline is ctx.step_timeout or its timeout-ms.
net::Awaitable<StepStatus> ExecuteStep(CaseContext& ctx, const Step& step);

// Snapshot of the INFO stats counters used by check.stats.
net::Awaitable<Result<std::map<std::string, int64_t>>> ReadSyncStats(CaseContext& ctx);

}  // namespace conformance::scenario
