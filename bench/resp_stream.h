// The replication stream the RESP benchmark decodes: a seeded write workload, and either the
// exact bytes a real redis-server propagates for it to a replica (captured through a raw-socket
// SYNC client that reads past the RDB), or, when no server can be started, the workload encoded
// directly (with the SELECTs and PINGs a master would add).
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "harness/common/result.h"

namespace conformance::bench {

// A mixed write workload: SET (small values, some large), HSET, LPUSH, ZADD, SADD, INCR,
// EXPIRE, DEL, MULTI/EXEC blocks and SELECT.
class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(uint64_t seed) : rng_(seed) {}

  // The next command of the workload.
  void Next(std::vector<std::string>* argv);

 private:
  uint32_t Pick(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
  std::string Key(const char* prefix);
  std::string Text(size_t length);
  void WriteCommand(std::vector<std::string>* argv);

  std::mt19937_64 rng_;
  std::deque<std::vector<std::string>> pending_;  // the rest of a MULTI/EXEC block
};

// A stream to decode and where it came from.
struct ReplicationStream {
  std::string bytes;
  std::string source;  // "redis-server 7.0.15 capture" or "generated"
  uint64_t commands = 0;
};

// Runs `server_binary` on a free loopback port in a temp dir, attaches a SYNC replica, sends
// about `target_bytes` of workload from a client and returns the bytes the replica received
// after the RDB.
Result<ReplicationStream> CaptureFromRedis(const std::string& server_binary, uint64_t seed,
                                           size_t target_bytes);

// The same workload encoded directly, as a master would propagate it.
ReplicationStream GenerateStream(uint64_t seed, size_t target_bytes);

}  // namespace conformance::bench
