// Timeouts on loopback against a peer that trickles bytes: the error names the whole wait and
// everything that arrived during it, not the time left on the last read.
#include "harness/net/connection.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/net/resp_client.h"
#include "harness/net/run_sync.h"
#include "harness/net/timeout.h"

namespace conformance::net {
namespace {

using std::chrono::milliseconds;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

constexpr size_t kTrickleChunk = 100;

// Accepts one connection, sends `preamble` once `wait_for_request` bytes arrived (0: at once),
// then kTrickleChunk bytes every 20 ms for `chunks` chunks.
Awaitable<void> TricklePeer(Listener& listener, std::string preamble, bool wait_for_request,
                            int chunks) {
  auto accepted = co_await listener.Accept(milliseconds(2000), "peer", nullptr);
  if (!accepted.ok()) co_return;
  Connection& peer = **accepted;
  std::string request;
  if (wait_for_request && !(co_await peer.ReadSome(&request, milliseconds(2000))).ok()) co_return;
  if (!(co_await peer.Write(preamble, milliseconds(2000))).ok()) co_return;
  for (int i = 0; i < chunks; ++i) {
    co_await Pause(milliseconds(20));
    if (!(co_await peer.Write(std::string(kTrickleChunk, 'x'), milliseconds(2000))).ok()) co_return;
  }
  // Stay open, silent, until the client is gone.
  co_await peer.WaitForClose(milliseconds(5000), nullptr);
}

class ConnectionTimeout : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = Listener::Bind(io_.get_executor());
    ASSERT_TRUE(listener.ok()) << listener.message();
    listener_ = std::move(listener).value();
  }

  std::unique_ptr<Connection> Connect() {
    auto connection = RunSync(io_, Connection::Connect("127.0.0.1", listener_->port(),
                                                       milliseconds(2000), "client", nullptr));
    EXPECT_TRUE(connection.ok()) << connection.message();
    return connection.ok() ? std::move(connection).value() : nullptr;
  }

  asio::io_context io_;
  std::unique_ptr<Listener> listener_;
};

TEST_F(ConnectionTimeout, OneReadNamesItsTimeoutAndThatNothingArrived) {
  asio::co_spawn(io_, TricklePeer(*listener_, "", /*wait_for_request=*/false, 0), asio::detached);
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  std::string buffer;
  Status status = RunSync(io_, client->ReadSome(&buffer, milliseconds(150)));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(status.message(),
              HasSubstr("client: timed out after 150 ms waiting for data (nothing arrived)"));
}

TEST_F(ConnectionTimeout, ManyReadsNameTheWholeWaitAndAllThatArrived) {
  asio::co_spawn(io_, TricklePeer(*listener_, "", /*wait_for_request=*/false, 1000),
                 asio::detached);
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  const Wait wait = client->StartWait(milliseconds(400));
  std::string buffer;
  Status status = OkStatus();
  while (status.ok()) status = RunSync(io_, client->ReadSome(&buffer, wait));
  EXPECT_EQ(status.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(status.message(),
              HasSubstr(fmt::format("client: timed out after 400 ms waiting for data ({} bytes "
                                    "arrived in that time)",
                                    buffer.size())));
  EXPECT_GT(buffer.size(), kTrickleChunk);
}

TEST_F(ConnectionTimeout, EndlessBulkReplyNamesTheWholeWait) {
  // A reply whose bulk never ends: the client's one wait covers every chunk of it.
  asio::co_spawn(io_, TricklePeer(*listener_, "$100000000\r\n", /*wait_for_request=*/true, 1000),
                 asio::detached);
  auto client = Connect();
  ASSERT_NE(client, nullptr);
  RespClient resp(std::move(client));
  auto reply = RunSync(io_, resp.Call({"GET", "k"}, milliseconds(400)));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(reply.message(), HasSubstr("timed out after 400 ms waiting for data"));
  EXPECT_THAT(reply.message(), ContainsRegex("\\([0-9]+ bytes arrived in that time\\)"));
  EXPECT_GT(resp.connection().bytes_received(), 12 + kTrickleChunk);
}

}  // namespace
}  // namespace conformance::net
