// The harness's administrative client to a server under test: INFO, ROLE, CONFIG, REPLICAOF,
// AUTH. It turns error replies into Errors whose kind says what to do: kUnsupported when the
// server lacks the command or the CONFIG parameter (the caller SKIPs a check whose lever is
// missing), kGeneric for other error replies, and the transport's kinds (kTimeout, kClosed,
// kReset) when the connection fails.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/net/connection.h"
#include "harness/net/resp_client.h"
#include "harness/resp/value.h"
#include "harness/server/info.h"
#include "harness/server/role.h"

namespace conformance::server {

class Admin {
 public:
  // `timeout` bounds each call.
  explicit Admin(std::unique_ptr<net::RespClient> client,
                 net::Duration timeout = net::kDefaultTimeout);

  // Connects to host:port; frames are recorded in `transcript` (may be null) on `channel`.
  static net::Awaitable<Result<std::unique_ptr<Admin>>> Connect(
      std::string host, uint16_t port, Transcript* transcript,
      net::Duration timeout = net::kDefaultTimeout, std::string channel = "admin");

  // Any command; an error reply is a value here, not a failure.
  net::Awaitable<Result<resp::Value>> Call(std::vector<std::string> argv);
  // INFO [section], parsed.
  net::Awaitable<Result<server::Info>> Info(std::string section = "");
  // ROLE, parsed (kUnsupported before Redis 2.8.12).
  net::Awaitable<Result<server::Role>> Role();
  // CONFIG SET; kUnsupported for an unknown or immutable parameter. The values of
  // requirepass/masterauth are registered as transcript secrets before they are sent.
  net::Awaitable<Status> ConfigSet(std::string name, std::string value);
  // CONFIG GET of one parameter; kUnsupported if the server does not know it (an empty
  // reply) or lacks CONFIG.
  net::Awaitable<Result<std::string>> ConfigGet(std::string name);
  // REPLICAOF host port, falling back to SLAVEOF (Redis < 5); kUnsupported if neither exists.
  net::Awaitable<Status> ReplicaOf(std::string host, uint16_t port);
  // REPLICAOF NO ONE (or SLAVEOF NO ONE).
  net::Awaitable<Status> ReplicaOfNoOne();
  // AUTH [user] password; the password is registered as a transcript secret first.
  net::Awaitable<Status> Auth(std::optional<std::string> user, std::string password);

  net::RespClient& client() { return *client_; }
  void set_timeout(net::Duration timeout) { timeout_ = timeout; }

 private:
  // Call() that turns an error reply into an Error ("CONFIG SET x: ERR ...").
  net::Awaitable<Result<resp::Value>> CallExpectingSuccess(std::vector<std::string> argv);
  net::Awaitable<Status> ReplicaOfArgs(std::string first, std::string second);
  void AddSecret(const std::string& secret);

  std::unique_ptr<net::RespClient> client_;
  net::Duration timeout_;
};

}  // namespace conformance::server
