// Fills a server with the generator's dataset as fast as a client can: RESP encoded up front,
// then written in pipelined batches, each batch's replies read (and checked) before the next.
#pragma once

#include <cstdint>

#include "harness/common/result.h"
#include "harness/net/connection.h"
#include "harness/workload/generator.h"

namespace conformance::bench {

struct FillSummary {
  uint64_t commands = 0;
  uint64_t bytes = 0;
  double encode_seconds = 0;
  double write_seconds = 0;
};

net::Awaitable<Result<FillSummary>> FillServer(net::Connection& connection,
                                               const workload::DatasetOptions& options,
                                               net::Duration timeout);

}  // namespace conformance::bench
