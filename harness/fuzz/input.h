// One fuzz input: the valid exchange's options and the mutations applied to it. Drawn from
// (seed, iteration) alone, rendered to bytes deterministically, and small enough to minimize:
// each mutation carries its own seed, so dropping one leaves the others' changes as they were.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/fuzz/exchange.h"
#include "harness/fuzz/requests.h"

namespace conformance::fuzz {

// The role of the server under test: a replica is fed exchanges by a fake master, a master is
// sent requests by a fake replica.
enum class TargetRole : uint8_t { kReplica, kMaster };
const char* ToString(TargetRole role);

struct Mutation {
  std::string mutator;  // a Mutators() name
  uint64_t seed = 0;
};

struct FuzzInput {
  uint64_t seed = 0;  // the campaign's
  uint64_t iteration = 0;
  TargetRole role = TargetRole::kReplica;
  ExchangeOptions exchange;  // the replica's input
  RequestOptions requests;   // the master's input
  std::vector<Mutation> mutations;
  // The RDB's checksum is recomputed after the RDB mutations, so they reach the parser past
  // the CRC test (and a replica that loads the result did nothing wrong on that count).
  bool fix_checksum = false;

  // "rdb.length+stream.inline" (sorted, distinct): how findings are told apart.
  std::string MutatorSummary() const;
};

// What the campaign fixes for every input: the server's role, the replica's RDB version,
// whether PSYNC exists.
struct InputDomain {
  TargetRole role = TargetRole::kReplica;
  int rdb_version = 10;
  bool psync = true;
  bool eof_framing = true;  // the replica takes $EOF:<mark>; half the inputs use it
  // The mutators to draw from, uniformly (empty: all, weighted by segment).
  std::vector<std::string> mutators;
};

// The input of iteration `iteration` of a campaign seeded `seed`.
FuzzInput DrawInput(uint64_t seed, uint64_t iteration, const InputDomain& domain);

// The requests of a master's input: argument mutations first, then the grammar ones, in
// order. Unknown mutators are an error.
Result<Requests> RenderRequests(const FuzzInput& input);

// The valid exchange with the mutations applied in order (RDB ones first, then the checksum
// fix, the framing that follows from the RDB's size, and the rest). Unknown mutators are an
// error.
Result<Exchange> Render(const FuzzInput& input);

}  // namespace conformance::fuzz
