// The dataset and workload arguments shared by the steps that write to the server (load,
// workload: the client form) and those that drive the fake master's model (master.load,
// master.workload: the replicated form a master propagates).
#pragma once

#include "harness/common/result.h"
#include "harness/scenario/args.h"
#include "harness/server/traits.h"
#include "harness/workload/generator.h"

namespace conformance::scenario {

// seed (default: the case seed), keys, databases, expire, big-values, profile, types,
// pin-entries-read. A bad profile or types value names the step's file:line:column.
// Generated commands are limited to what `traits`' server takes (commands, forms, types), and
// databases to those it has (`notes` says which were dropped).
Result<workload::DatasetOptions> DatasetOptionsFrom(const Args& args, uint64_t case_seed,
                                                    workload::Form form,
                                                    const server::ServerTraits& traits,
                                                    std::vector<std::string>* notes);

// seed (default: the case seed + 1), commands, databases, multi, expire, profile, types,
// pin-entries-read.
Result<workload::WorkloadOptions> WorkloadOptionsFrom(const Args& args, uint64_t case_seed,
                                                      workload::Form form,
                                                      const server::ServerTraits& traits,
                                                      std::vector<std::string>* notes);

}  // namespace conformance::scenario
