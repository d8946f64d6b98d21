// The ROLE reply, parsed:
//   master:  [master, <offset int>, [[ip, port (bulk), offset (bulk)], ...]]
//   replica: [slave, host, port int, state, offset int]
// The master lists only ONLINE replicas; a replica's offset is -1 without a master client.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/resp/value.h"

namespace conformance::server {

struct Role {
  enum class Kind : uint8_t { kMaster, kReplica };

  struct Replica {
    std::string ip;
    int64_t port = 0;
    int64_t offset = 0;
  };

  Kind kind = Kind::kMaster;
  // Master: master_repl_offset. Replica: the processed offset (-1 without a master client).
  int64_t offset = 0;
  std::vector<Replica> replicas;  // master only
  std::string master_host;        // replica only
  int64_t master_port = 0;        // replica only
  std::string state;              // replica only: none/connect/connecting/handshake/sync/connected

  // "master offset=112 replicas=[127.0.0.1:17002@112]" or
  // "replica of 127.0.0.1:17001 state=connected offset=112".
  std::string ToString() const;
};

// Numbers are accepted as integers or as bulk/simple strings holding one (servers differ).
// Fails with kProtocol on any other shape, naming the reply; an error reply fails with
// kUnsupported if it is "unknown command" (ROLE appeared in Redis 2.8.12), else kProtocol.
Result<Role> ParseRole(const resp::Value& reply);

}  // namespace conformance::server
