#include "harness/fuzz/minimize.h"

#include <algorithm>

namespace conformance::fuzz {

namespace {

class Shrinker {
 public:
  Shrinker(std::string wanted, const Probe& probe, int max_runs)
      : wanted_(std::move(wanted)), probe_(probe), max_runs_(max_runs) {}

  // Whether `input` after `prefix` still fails in the wanted class; remembers its outcome if so.
  Result<bool> StillFails(const std::vector<FuzzInput>& prefix, const FuzzInput& input) {
    if (runs_ >= max_runs_) return false;
    ++runs_;
    auto outcome = probe_(prefix, input);
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
Status ShrinkMutations(const std::vector<FuzzInput>& prefix, FuzzInput& input, Shrinker& shrinker) {
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
      auto fails = shrinker.StillFails(prefix, candidate);
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
Status ShrinkSize(const std::vector<FuzzInput>& prefix, FuzzInput& input, Shrinker& shrinker, int current,
                  Set set) {
  for (int value : {0, 1, 2, current / 2}) {
    if (value >= current) continue;
    FuzzInput candidate = input;
    set(candidate, value);
    auto fails = shrinker.StillFails(prefix, candidate);
    if (!fails.ok()) return fails.error();
    if (*fails) {
      input = std::move(candidate);
      return OkStatus();
    }
  }
  return OkStatus();
}

// Drops the prefix inputs the failure does not need, oldest first.
Status ShrinkPrefix(std::vector<FuzzInput>& prefix, const FuzzInput& input, Shrinker& shrinker) {
  for (size_t i = 0; i < prefix.size();) {
    std::vector<FuzzInput> candidate = prefix;
    candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i));
    auto fails = shrinker.StillFails(candidate, input);
    if (!fails.ok()) return fails.error();
    if (*fails) {
      prefix = std::move(candidate);
    } else {
      ++i;
    }
  }
  return OkStatus();
}

}  // namespace

Result<Minimized> Minimize(const std::vector<FuzzInput>& history, const FuzzInput& failing,
                           const Finding& finding, const Probe& probe, int max_runs) {
  Shrinker shrinker(finding.Class(), probe, max_runs);
  Minimized result;
  result.input = failing;
  auto again = shrinker.StillFails({}, failing);
  if (!again.ok()) return again.error();
  result.reproduced = *again;
  if (!result.reproduced && !history.empty()) {
    auto after_history = shrinker.StillFails(history, failing);
    if (!after_history.ok()) return after_history.error();
    result.reproduced = *after_history;
    if (result.reproduced) {
      result.prefix = history;
      CONFORMANCE_RETURN_IF_ERROR(ShrinkPrefix(result.prefix, failing, shrinker));
    }
  }
  if (!result.reproduced) {
    result.runs = shrinker.runs();
    return result;
  }
  const std::vector<FuzzInput>& prefix = result.prefix;
  CONFORMANCE_RETURN_IF_ERROR(ShrinkMutations(prefix, result.input, shrinker));
  if (result.input.fix_checksum) {
    FuzzInput candidate = result.input;
    candidate.fix_checksum = false;
    auto fails = shrinker.StillFails(prefix, candidate);
    if (!fails.ok()) return fails.error();
    if (*fails) result.input = std::move(candidate);
  }
  if (result.input.role == TargetRole::kMaster) {
    CONFORMANCE_RETURN_IF_ERROR(ShrinkSize(prefix, result.input, shrinker, result.input.requests.acks,
                                           [](FuzzInput& in, int v) { in.requests.acks = v; }));
  } else {
    CONFORMANCE_RETURN_IF_ERROR(ShrinkSize(prefix, result.input, shrinker, result.input.exchange.keys,
                                           [](FuzzInput& in, int v) { in.exchange.keys = v; }));
    CONFORMANCE_RETURN_IF_ERROR(ShrinkSize(prefix, result.input, shrinker, result.input.exchange.stream_commands,
                                           [](FuzzInput& in, int v) { in.exchange.stream_commands = v; }));
  }
  result.outcome = std::move(shrinker.last());
  result.runs = shrinker.runs();
  return result;
}

}  // namespace conformance::fuzz
