#include "harness/fuzz/minimize.h"

#include <algorithm>

namespace conformance::fuzz {

namespace {

class Shrinker {
 public:
  Shrinker(std::string wanted, const Probe& probe, int max_runs)
      : wanted_(std::move(wanted)), probe_(probe), max_runs_(max_runs) {}

  // Whether `input` still fails in the wanted class; remembers its outcome if so.
  Result<bool> StillFails(const FuzzInput& input) {
    if (runs_ >= max_runs_) return false;
    ++runs_;
    auto outcome = probe_(input);
    if (!outcome.ok()) return outcome.error();
    if (!outcome->finding || outcome->finding->Class() != wanted_) return false;
    last_ = std::move(outcome).value();
    return true;
  }

  int runs() const { return runs_; }
  Outcome& last() { return last_; }

 private:
  std::string wanted_;
  const Probe& probe_;
  int max_runs_;
  int runs_ = 0;
  Outcome last_;
};

// ddmin over the mutation list: drop chunks (then single mutations) that the failure does not
// need.
Status ShrinkMutations(FuzzInput& input, Shrinker& shrinker) {
  size_t chunks = 2;
  while (input.mutations.size() > 1) {
    const size_t size = input.mutations.size();
    const size_t chunk = (size + chunks - 1) / chunks;
    bool dropped = false;
    for (size_t begin = 0; begin < size; begin += chunk) {
      FuzzInput candidate = input;
      candidate.mutations.erase(candidate.mutations.begin() + static_cast<std::ptrdiff_t>(begin),
                                candidate.mutations.begin() +
                                    static_cast<std::ptrdiff_t>(std::min(size, begin + chunk)));
      auto fails = shrinker.StillFails(candidate);
      if (!fails.ok()) return fails.error();
      if (*fails) {
        input = std::move(candidate);
        chunks = std::max<size_t>(chunks - 1, 2);
        dropped = true;
        break;
      }
    }
    if (dropped) continue;
    if (chunk == 1) break;
    chunks = std::min(size, chunks * 2);
  }
  return OkStatus();
}

// Tries each smaller value of one size (smallest first) and keeps the first that still fails.
template <typename Set>
Status ShrinkSize(FuzzInput& input, Shrinker& shrinker, int current, Set set) {
  for (int value : {0, 1, 2, current / 2}) {
    if (value >= current) continue;
    FuzzInput candidate = input;
    set(candidate, value);
    auto fails = shrinker.StillFails(candidate);
    if (!fails.ok()) return fails.error();
    if (*fails) {
      input = std::move(candidate);
      return OkStatus();
    }
  }
  return OkStatus();
}

}  // namespace

Result<Minimized> Minimize(const FuzzInput& failing, const Finding& finding, const Probe& probe,
                           int max_runs) {
  Shrinker shrinker(finding.Class(), probe, max_runs);
  Minimized result;
  result.input = failing;
  auto again = shrinker.StillFails(failing);
  if (!again.ok()) return again.error();
  result.reproduced = *again;
  if (!result.reproduced) {
    result.runs = shrinker.runs();
    return result;
  }
  CONFORMANCE_RETURN_IF_ERROR(ShrinkMutations(result.input, shrinker));
  if (result.input.fix_checksum) {
    FuzzInput candidate = result.input;
    candidate.fix_checksum = false;
    auto fails = shrinker.StillFails(candidate);
    if (!fails.ok()) return fails.error();
    if (*fails) result.input = std::move(candidate);
  }
  CONFORMANCE_RETURN_IF_ERROR(ShrinkSize(result.input, shrinker, result.input.exchange.keys,
                                         [](FuzzInput& in, int v) { in.exchange.keys = v; }));
  CONFORMANCE_RETURN_IF_ERROR(ShrinkSize(result.input, shrinker, result.input.exchange.stream_commands,
                                         [](FuzzInput& in, int v) { in.exchange.stream_commands = v; }));
  result.outcome = std::move(shrinker.last());
  result.runs = shrinker.runs();
  return result;
}

}  // namespace conformance::fuzz
