// Fresh per-server working directories.
#pragma once

#include <string>

#include "harness/common/result.h"

namespace conformance::server {

// Creates $TMPDIR/conformance-XXXXXX (or /tmp/...) with mode 0700.
Result<std::string> MakeTempDir();

// Removes a directory tree; errors are ignored (best effort clean-up).
void RemoveTree(const std::string& path);

}  // namespace conformance::server
