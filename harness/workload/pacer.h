// Pacing of a workload written at a chosen rate (commands per second): how many commands to
// write next and how long to wait before them. Pacing only: a step that waits here is never
// waiting for the server to do something.
#pragma once

#include <chrono>
#include <cstddef>

namespace conformance::workload {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  // `rate` commands per second; 0 means as fast as possible (one batch, no waits).
  Pacer(double rate, Clock::time_point start);

  // Commands per batch: about 20 batches a second, at least one command.
  size_t batch() const { return batch_; }
  // How long to wait before writing more once `sent` commands were written, at `now`.
  Clock::duration DelayBefore(size_t sent, Clock::time_point now) const;
  bool paced() const { return rate_ > 0; }

 private:
  double rate_;
  Clock::time_point start_;
  size_t batch_;
};

}  // namespace conformance::workload
