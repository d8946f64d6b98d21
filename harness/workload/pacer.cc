#include "harness/workload/pacer.h"

#include <algorithm>
#include <limits>

namespace conformance::workload {

namespace {
constexpr double kBatchesPerSecond = 20;
}  // namespace

Pacer::Pacer(double rate, Clock::time_point start)
    : rate_(rate),
      start_(start),
      batch_(rate > 0 ? std::max<size_t>(1, static_cast<size_t>(rate / kBatchesPerSecond))
                      : std::numeric_limits<size_t>::max()) {}

Pacer::Clock::duration Pacer::DelayBefore(size_t sent, Clock::time_point now) const {
  if (rate_ <= 0) return Clock::duration::zero();
  const auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(static_cast<double>(sent) / rate_));
  return due > now ? due - now : Clock::duration::zero();
}

}  // namespace conformance::workload
