// The mutators of the master direction: named, seeded changes to the requests a fake replica
// sends a master. Argument mutators rewrite one command's arguments (the listening port, the
// capabilities, PSYNC's replid and offset, an ACK's offset) and apply first; grammar mutators
// then change a request's RESP bytes (type byte, lengths, CRLF, nesting, truncation) or the
// order of the requests.
//
// Like the replica direction's mutators, each is a pure function of (requests, rng).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/fuzz/byte_mutations.h"
#include "harness/fuzz/requests.h"

namespace conformance::fuzz {

struct RequestMutator {
  std::string_view name;  // "<what>.<how>", e.g. "psync.offset"
  bool rewrites_arguments;  // applied before the grammar mutators, re-encoding the request
  std::string_view help;
  void (*apply)(Requests& requests, Rng& rng);
};

// Every request mutator, in a fixed order.
const std::vector<RequestMutator>& RequestMutators();
// nullptr when no request mutator has that name.
const RequestMutator* FindRequestMutator(std::string_view name);
// The names matching any of the shell-style globs; an error names a glob that matches none.
Result<std::vector<std::string>> SelectRequestMutators(const std::vector<std::string>& globs);

}  // namespace conformance::fuzz
