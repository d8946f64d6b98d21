#include "harness/server/readiness.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/net/resp_client.h"
#include "harness/net/timeout.h"
#include "harness/server/error_reply.h"
#include "harness/server/log_tail.h"

namespace conformance::server {
namespace {

using Clock = std::chrono::steady_clock;

// One connection attempt or call may take at most this long, so that a dead process is
// noticed between attempts.
constexpr net::Duration kAttemptTimeout{1000};
constexpr char kChannel[] = "server";

// kBroken: the transport failed and the client must be replaced (a reply may be half-read).
enum class Answer { kReady, kNotYet, kBroken, kAuthRejected };

// One PING on `client` (and AUTH on -NOAUTH when a password is known).
net::Awaitable<Answer> PingOnce(net::RespClient& client, const std::optional<std::string>& password,
                                net::Duration timeout, std::string* last) {
  // Named vectors, not braced lists inside co_await (GCC 12 coroutine bug).
  std::vector<std::string> ping = {"PING"};
  auto reply = co_await client.Call(std::move(ping), timeout);
  if (!reply.ok()) {
    *last = reply.message();
    co_return Answer::kBroken;
  }
  *last = reply->ToString();
  if (reply->IsString() && reply->str == "PONG") co_return Answer::kReady;
  if (!reply->IsError() || !IsNoAuth(reply->str)) co_return Answer::kNotYet;
  if (!password) co_return Answer::kReady;  // up, and guarded by a password we were not given
  std::vector<std::string> auth_argv = {"AUTH", *password};
  auto auth = co_await client.Call(std::move(auth_argv), timeout);
  if (!auth.ok()) {
    *last = auth.message();
    co_return Answer::kBroken;
  }
  if (auth->IsError()) {
    *last = "AUTH: " + auth->ToString();
    co_return Answer::kAuthRejected;
  }
  co_return co_await PingOnce(client, std::nullopt, timeout, last);
}

}  // namespace

net::Awaitable<Status> WaitUntilReady(ServerProcess& server, net::Duration timeout,
                                      Transcript* transcript, std::optional<std::string> password) {
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  const std::string where = fmt::format("{}:{}", server.host(), server.port());
  std::unique_ptr<net::RespClient> client;
  std::string last = "no answer yet";
  int attempts = 0;
  auto with_log = [&](std::string what) {
    return fmt::format("{}\n  command: {}\n  log tail:\n{}", what, server.command_line(),
                       IndentLines(server.LogTail(ServerProcess::kErrorLogLines), "    "));
  };
  while (true) {
    if (!server.IsAlive()) {
      co_return Error{with_log(fmt::format("the server on {} ended before it was ready ({})",
                                           where, server.DescribeExit())),
                      ErrorKind::kGeneric};
    }
    const auto left = std::chrono::duration_cast<net::Duration>(deadline - Clock::now());
    if (left <= net::Duration::zero()) break;
    const net::Duration attempt_timeout = std::min(left, kAttemptTimeout);
    ++attempts;
    if (!client) {
      // No transcript for the polling client: its frames are noise, and AUTH carries a secret.
      auto connected =
          co_await net::RespClient::Connect(server.host(), server.port(), attempt_timeout,
                                            kChannel, nullptr);
      if (connected.ok()) {
        client = std::move(connected).value();
      } else {
        last = connected.message();
      }
    }
    if (client) {
      switch (co_await PingOnce(*client, password, attempt_timeout, &last)) {
        case Answer::kReady: {
          const auto took = std::chrono::duration_cast<net::Duration>(Clock::now() - start);
          if (transcript != nullptr) {
            transcript->Note(kChannel, fmt::format("ready on {} after {} ms ({} attempts): {}",
                                                   where, took.count(), attempts, last));
          }
          co_return OkStatus();
        }
        case Answer::kAuthRejected:
          co_return Error{with_log(fmt::format("the server on {} rejected the password: {}",
                                               where, last)),
                          ErrorKind::kGeneric};
        case Answer::kBroken:
          client.reset();
          break;
        case Answer::kNotYet:
          break;
      }
    }
    co_await net::Pause(kReadinessPollInterval);
  }
  if (transcript != nullptr) {
    transcript->Note(kChannel, fmt::format("not ready on {} within {} ms: {}", where,
                                           timeout.count(), last));
  }
  co_return Error{with_log(fmt::format("the server on {} was not ready within {} ms (last: {})",
                                       where, timeout.count(), last)),
                  ErrorKind::kTimeout};
}

}  // namespace conformance::server
