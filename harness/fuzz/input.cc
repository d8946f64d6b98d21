#include "harness/fuzz/input.h"

#include <algorithm>
#include <random>
#include <set>

#include "harness/fuzz/mutators.h"
#include "harness/fuzz/request_mutators.h"

namespace conformance::fuzz {

namespace {

// Mixes seed and iteration into one generator seed (splitmix64's finalizer).
uint64_t Mix(uint64_t seed, uint64_t iteration) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + iteration + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Where mutations go, weighted by how much parsing sits behind each segment.
Segment DrawSegment(std::mt19937_64& rng, bool eof_framing) {
  const unsigned roll = rng() % 100;
  if (roll < 45) return Segment::kRdb;
  if (roll < 62) return Segment::kStream;
  if (roll < 74) return Segment::kSyncReply;
  if (roll < 86) return Segment::kPreamble;
  if (roll < 94 || !eof_framing) return Segment::kHandshake;
  return Segment::kTrailer;
}

bool AppliesBeforeFraming(const Mutator& mutator) {
  return mutator.segment != Segment::kPreamble && mutator.segment != Segment::kTrailer;
}

// Mostly one mutation, sometimes up to four: one change at a time finds the shallow bugs,
// combinations the ones behind a first check.
int DrawMutationCount(std::mt19937_64& rng) {
  const unsigned roll = rng() % 100;
  return roll < 60 ? 1 : roll < 85 ? 2 : roll < 95 ? 3 : 4;
}

FuzzInput DrawRequestsInput(std::mt19937_64& rng, const InputDomain& domain, FuzzInput input) {
  input.role = TargetRole::kMaster;
  input.requests.seed = rng();
  input.requests.psync = domain.psync;
  input.requests.partial = domain.psync && rng() % 2 == 0;
  input.requests.acks = static_cast<int>(rng() % 4);
  const int count = DrawMutationCount(rng);
  std::vector<std::string> pool = domain.mutators;
  if (pool.empty()) {
    for (const RequestMutator& mutator : RequestMutators()) {
      // A master without PSYNC has no PSYNC arguments to get wrong.
      if (!domain.psync && mutator.name.substr(0, 6) == "psync.") continue;
      pool.emplace_back(mutator.name);
    }
  }
  for (int i = 0; i < count; ++i) input.mutations.push_back({pool[rng() % pool.size()], rng()});
  return input;
}

}  // namespace

const char* ToString(TargetRole role) { return role == TargetRole::kMaster ? "master" : "replica"; }

std::string FuzzInput::MutatorSummary() const {
  std::set<std::string> names;
  for (const Mutation& mutation : mutations) names.insert(mutation.mutator);
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : "+") + name;
  return out.empty() ? "none" : out;
}

FuzzInput DrawInput(uint64_t seed, uint64_t iteration, const InputDomain& domain) {
  std::mt19937_64 rng(Mix(seed, iteration));
  FuzzInput input;
  input.seed = seed;
  input.iteration = iteration;
  if (domain.role == TargetRole::kMaster) return DrawRequestsInput(rng, domain, std::move(input));
  input.exchange.seed = rng();
  input.exchange.rdb_version = domain.rdb_version;
  input.exchange.psync = domain.psync;
  input.exchange.eof_framing = domain.eof_framing && rng() % 2 == 0;
  input.exchange.keys = 1 + static_cast<int>(rng() % 12);
  input.exchange.stream_commands = static_cast<int>(rng() % 6);
  const int count = DrawMutationCount(rng);
  std::vector<const Mutator*> pool;
  for (int i = 0; i < count; ++i) {
    if (!domain.mutators.empty()) {
      const std::string& name = domain.mutators[rng() % domain.mutators.size()];
      input.mutations.push_back({name, rng()});
      continue;
    }
    const Segment segment = DrawSegment(rng, input.exchange.eof_framing);
    pool.clear();
    for (const Mutator& mutator : Mutators()) {
      if (mutator.segment == segment) pool.push_back(&mutator);
    }
    if (segment == Segment::kSyncReply && !domain.psync) continue;
    input.mutations.push_back({std::string(pool[rng() % pool.size()]->name), rng()});
  }
  const bool mutates_rdb = std::any_of(input.mutations.begin(), input.mutations.end(),
                                       [](const Mutation& m) { return m.mutator.rfind("rdb.", 0) == 0; });
  input.fix_checksum = mutates_rdb && rng() % 2 == 0;
  return input;
}

Result<Requests> RenderRequests(const FuzzInput& input) {
  Requests requests = BuildRequests(input.requests);
  std::vector<std::pair<const RequestMutator*, uint64_t>> grammar;
  for (const Mutation& mutation : input.mutations) {
    const RequestMutator* mutator = FindRequestMutator(mutation.mutator);
    if (mutator == nullptr) return Error{"unknown mutator \"" + mutation.mutator + "\"", ErrorKind::kHarness};
    if (!mutator->rewrites_arguments) {
      grammar.emplace_back(mutator, mutation.seed);
      continue;
    }
    std::mt19937_64 rng(mutation.seed);
    mutator->apply(requests, rng);
  }
  for (const auto& [mutator, seed] : grammar) {
    std::mt19937_64 rng(seed);
    mutator->apply(requests, rng);
  }
  return requests;
}

Result<Exchange> Render(const FuzzInput& input) {
  auto built = BuildExchange(input.exchange);
  if (!built.ok()) return built.error();
  Exchange exchange = std::move(built).value();
  std::vector<std::pair<const Mutator*, uint64_t>> framing;
  for (const Mutation& mutation : input.mutations) {
    const Mutator* mutator = FindMutator(mutation.mutator);
    if (mutator == nullptr) return Error{"unknown mutator \"" + mutation.mutator + "\"", ErrorKind::kHarness};
    if (!AppliesBeforeFraming(*mutator)) {
      framing.emplace_back(mutator, mutation.seed);
      continue;
    }
    std::mt19937_64 rng(mutation.seed);
    mutator->apply(exchange, rng);
  }
  if (input.fix_checksum) FixRdbChecksum(exchange);
  exchange.Frame();
  for (const auto& [mutator, seed] : framing) {
    std::mt19937_64 rng(seed);
    mutator->apply(exchange, rng);
  }
  return exchange;
}

}  // namespace conformance::fuzz
