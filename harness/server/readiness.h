// Waits until a started server answers PING: the step after ServerProcess::Spawn (which only
// knows the port is listening; a server may still be loading its RDB and answer -LOADING).
#pragma once

#include <optional>
#include <string>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/net/connection.h"
#include "harness/server/launcher.h"

namespace conformance::server {

// How often readiness is polled.
inline constexpr net::Duration kReadinessPollInterval{20};

// Polls (connect + PING every ~20 ms) until the server answers +PONG. -LOADING and connection
// failures mean "not yet". -NOAUTH means the server is up: with a password it authenticates
// (AUTH <password>) and pings again, without one it counts as ready. Fails with kGeneric and
// the exit description and log tail if the process ends, kTimeout (with the last answer and
// the log tail) when the deadline passes, kGeneric if AUTH is rejected. Only a one-line
// outcome goes to `transcript` (may be null); the password never does.
net::Awaitable<Status> WaitUntilReady(ServerProcess& server, net::Duration timeout,
                                      Transcript* transcript,
                                      std::optional<std::string> password = std::nullopt);

}  // namespace conformance::server
