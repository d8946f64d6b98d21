// Looks at processes through /proc (Linux only): which group members exist and whether one of
// them listens on a port. This is how the launcher knows the server it started, and not some
// other process that grabbed the port, is the one listening.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "harness/common/result.h"

namespace conformance::server {

// Whether the process `leader`, or another member of its process group, owns a TCP socket in
// LISTEN state on `port` (IPv4 or IPv6). Fails if /proc/net/tcp cannot be read.
Result<bool> GroupListensOn(pid_t leader, uint16_t port);

// Processes (zombies included) whose process group id is `pgid`.
std::vector<pid_t> ProcessGroupMembers(pid_t pgid);

// The resident memory of a process (/proc/<pid>/statm), in bytes.
Result<uint64_t> ResidentBytes(pid_t pid);

}  // namespace conformance::server
