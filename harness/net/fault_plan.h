// Faults applied on the wire, so that a scenario can break a connection in a reproducible way.
// A plan is data: the connection consults it on every read and write; nothing else in the
// engine tests for faults. Random choices (chunk sizes) come from the plan's seed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace conformance::net {

// What happens to the connection when a cut fires.
enum class CutAction : uint8_t {
  kClose,      // orderly close (FIN)
  kReset,      // abortive close (RST, via SO_LINGER 0)
  kHalfClose,  // shut down our write side only
};

const char* ToString(CutAction action);

struct FaultPlan {
  // Cut once this many bytes have been written in total; the write that crosses the mark is
  // truncated at it, so the peer sees exactly `cut_after_sent` bytes.
  std::optional<uint64_t> cut_after_sent;
  // Cut once this many bytes have been read in total; bytes past the mark are dropped unseen.
  std::optional<uint64_t> cut_after_received;
  CutAction cut_action = CutAction::kClose;

  // Split every write into chunks of random size in [1, max_chunk] (0: write whole).
  size_t max_chunk = 0;
  // Pause before every chunk (or write).
  std::chrono::milliseconds delay_per_chunk{0};
  // Limit the write rate (0: unlimited).
  uint64_t throttle_bytes_per_second = 0;

  uint64_t seed = 0;

  bool empty() const {
    return !cut_after_sent && !cut_after_received && max_chunk == 0 &&
           delay_per_chunk.count() == 0 && throttle_bytes_per_second == 0;
  }
  // A one-line description for transcripts, e.g. "cut after 1234 bytes received (reset)".
  std::string ToString() const;
};

}  // namespace conformance::net
