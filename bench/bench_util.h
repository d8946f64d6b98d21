// Helpers of the keyspace benchmark: timing, a child process with a deadline (redis-cli,
// redis-check-rdb), and what /proc and the allocator say about this process's memory and the
// machine's load.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/result.h"

namespace conformance::bench {

using Clock = std::chrono::steady_clock;

// Seconds since `start`.
inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct ProcessOutcome {
  int exit_code = -1;  // -1 if killed
  double seconds = 0;  // from spawn to exit
  std::string output;  // stdout and stderr, the last 4 KB
};

// Runs argv (argv[0] looked up in $PATH) with stdout/stderr captured; kills its process group
// and fails when it runs longer than `timeout`.
Result<ProcessOutcome> RunProcess(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout);

// Bytes the allocator has handed out and not got back (glibc mallinfo2: arena + mmapped).
uint64_t HeapInUse();
// Returns freed memory to the kernel (malloc_trim), so RSS figures mean something.
void TrimHeap();
// Resident set size now, and its peak since the last ResetPeakRss() (VmHWM).
uint64_t RssBytes();
uint64_t PeakRssBytes();
// Resets VmHWM to the current RSS (/proc/self/clear_refs "5"); false if the kernel refuses.
bool ResetPeakRss();
// "0.52 0.61 0.70" from /proc/loadavg.
std::string LoadAverage();
// Median of a non-empty list.
double Median(std::vector<double> values);

}  // namespace conformance::bench
