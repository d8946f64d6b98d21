// The fuzzer's mutators: named, seeded changes to one segment of an exchange. Each knows the
// grammar of what it changes (a RESP line, the RDB's records, the stream's commands) and aims
// at the places parsers get wrong: type bytes, lengths (huge, negative, off by one), CRLF,
// nesting depth, truncation, checksums, unknown types and opcodes.
//
// A mutator is a pure function of (exchange, rng): given the same seed it makes the same
// change, so a mutation list replays exactly.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/fuzz/exchange.h"

namespace conformance::fuzz {

struct Mutator {
  std::string_view name;  // "<segment>.<what>", e.g. "rdb.length"
  Segment segment;
  std::string_view help;
  void (*apply)(Exchange& exchange, std::mt19937_64& rng);
};

// Every mutator, in a fixed order.
const std::vector<Mutator>& Mutators();
// nullptr when no mutator has that name.
const Mutator* FindMutator(std::string_view name);
// The names matching any of the shell-style globs ("rdb.*", "stream.inline"); an error names a
// glob that matches none.
Result<std::vector<std::string>> SelectMutators(const std::vector<std::string>& globs);
// The same over any list of names; `direction` names the list in the error.
Result<std::vector<std::string>> SelectByGlobs(const std::vector<std::string>& globs,
                                               const std::vector<std::string_view>& names,
                                               std::string_view direction);

// Rewrites the RDB's last 8 bytes as the CRC64 of the rest, so a mutation reaches the
// replica's parser past the checksum test (RDB >= 5; a no-op for shorter payloads).
void FixRdbChecksum(Exchange& exchange);
// Whether the RDB's stored checksum is set and differs from the CRC64 of what precedes it.
bool RdbChecksumMismatch(const Exchange& exchange);

}  // namespace conformance::fuzz
