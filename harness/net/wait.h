// One wait that may take many reads (a reply, an RDB payload, a stream up to an offset). A
// timeout reports the whole wait and everything that arrived during it, not the time left on
// its last read: "timed out after 1 ms" after 10 s of a trickling bulk misleads.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace conformance::net {

class Wait {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::milliseconds;

  // A wait of `timeout` from now on a connection that has received `received_before` bytes.
  Wait(Duration timeout, uint64_t received_before)
      : start_(Clock::now()), deadline_(start_ + timeout), received_before_(received_before) {}

  // The same wait, ending at `earlier` if that comes first (a wake-up inside the wait).
  Wait Until(Clock::time_point earlier) const {
    Wait shorter = *this;
    shorter.deadline_ = std::min(deadline_, earlier);
    return shorter;
  }

  Clock::time_point deadline() const { return deadline_; }
  bool expired() const { return Clock::now() >= deadline_; }
  Duration remaining() const {
    return std::max(Duration{0}, std::chrono::duration_cast<Duration>(deadline_ - Clock::now()));
  }
  // How long the whole wait is (start to deadline).
  Duration length() const { return std::chrono::duration_cast<Duration>(deadline_ - start_); }
  // Bytes received during the wait by a connection that has received `received_now` in all.
  uint64_t ReceivedSince(uint64_t received_now) const {
    return received_now > received_before_ ? received_now - received_before_ : 0;
  }

 private:
  Clock::time_point start_;
  Clock::time_point deadline_;
  uint64_t received_before_;
};

}  // namespace conformance::net
