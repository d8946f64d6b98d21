// Fresh per-server working directories.
#pragma once

#include <string>

#include "harness/common/result.h"

namespace conformance::server {

// Creates $TMPDIR/conformance-XXXXXX (or /tmp/...) with mode 0700.
Result<std::string> MakeTempDir();

// Removes a directory tree; errors are ignored (best effort clean-up).
void RemoveTree(const std::string& path);

// Removes a directory tree with system calls only (no allocation, no locks), so a signal handler
// may call it; kMaxTreeDepth levels deep at most. True once nothing is left at `path`.
inline constexpr int kMaxTreeDepth = 8;
bool RemoveTreeSignalSafe(const char* path);

}  // namespace conformance::server
