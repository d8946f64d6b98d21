// Resolves the server binary before forking, so a missing binary is reported at once and the
// child only has to call execve (async-signal-safe, unlike execvp's PATH search).
#pragma once

#include <string>

#include "harness/common/result.h"

namespace conformance::server {

// A name with a '/' is used as given; otherwise it is looked up in $PATH. Fails (kGeneric) if
// nothing executable is found.
Result<std::string> FindBinary(const std::string& binary);

}  // namespace conformance::server
