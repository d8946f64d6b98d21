// The lines of a server's log that explain a failure: warnings and errors, in the server's own
// words ("Can't handle RDB format version 10", "Protocol error ... Desync?", "This replica is
// sending an error to its master"). A failure screen quotes them beside expected vs received.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace conformance::server {

// At most `max_lines` lines of `log` that read as warnings or errors, the first and the last
// ones where there are more: Redis-family servers
// mark their warnings with " # " after the timestamp; other servers are read by their words
// (error, refused, can't, failed, corrupt, desync, critical, fatal, panic).
std::vector<std::string> LogFindings(const std::string& log, size_t max_lines);

}  // namespace conformance::server
