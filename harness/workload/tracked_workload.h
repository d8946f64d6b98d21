// The workloads that track the keyspace they write (all-types, expiry; generator.h): each
// command is chosen from, and applied to, a keyspace::Keyspace that starts as `initial`.
#pragma once

#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/workload/generator.h"

namespace conformance::workload {

std::vector<Command> AllTypesWorkload(const WorkloadOptions& options,
                                      const keyspace::Keyspace& initial);
std::vector<Command> ExpiryWorkload(const WorkloadOptions& options,
                                    const keyspace::Keyspace& initial);

}  // namespace conformance::workload
