// What a report says about the run as a whole, beside the per-case results.
#pragma once

#include <cstdint>
#include <string>

namespace conformance::report {

inline constexpr const char* kHarnessVersion = "0.1.0";

// The current time as ISO 8601 UTC, e.g. "2024-05-01T12:00:00Z".
std::string NowIso8601();

struct RunInfo {
  std::string harness_version;  // e.g. "0.1.0" or a git describe
  uint64_t seed = 0;            // the run's seed; each case also records its own
  std::string server;           // what was tested, e.g. "redis-server 7.2.4 (./src/redis-server)"
  std::string started_at;       // ISO 8601 UTC, e.g. "2024-05-01T12:00:00Z"; may be empty
  std::string traits;           // what discovery learnt of the server ("key: value" lines)
};

}  // namespace conformance::report
