// Picks a free loopback TCP port.
#pragma once

#include <cstdint>

namespace conformance::server {

// Binds 127.0.0.1:0, reads the port the kernel chose and closes the socket; 0 on failure.
// Another process may take the port before the server binds it: the launcher detects that and
// retries with a new one.
uint16_t PickFreePort();

}  // namespace conformance::server
