// Human-readable process exit descriptions.
#pragma once

#include <string>

namespace conformance::server {

// "exited 1", "killed by signal 11 (SIGSEGV), core dumped" for a waitpid() status.
std::string DescribeWaitStatus(int status);

// "SIGSEGV" for 11; "signal N" for ones without a name here.
std::string SignalName(int sig);

}  // namespace conformance::server
