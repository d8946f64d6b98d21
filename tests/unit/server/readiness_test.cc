#include "harness/server/readiness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <asio/io_context.hpp>

#include "harness/net/run_sync.h"
#include "tests/unit/server/test_support.h"

namespace conformance::server {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawCall;

class ReadinessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server not installed";
  }

  std::unique_ptr<ServerProcess> Start(LaunchSpec spec = {}) {
    auto server = ServerProcess::Spawn(spec, nullptr);
    EXPECT_TRUE(server.ok()) << server.message();
    return server.ok() ? std::move(server).value() : nullptr;
  }

  Status Wait(ServerProcess& server, milliseconds timeout,
              std::optional<std::string> password = std::nullopt) {
    return net::RunSync(
        io_, WaitUntilReady(server, timeout, &transcript_, std::move(password)));
  }

  asio::io_context io_;
  Transcript transcript_;
};

TEST_F(ReadinessTest, ReadyServer) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto status = Wait(*server, milliseconds(5000));
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_THAT(transcript_.Render(), HasSubstr("ready on 127.0.0.1:"));
}

TEST_F(ReadinessTest, PasswordProtectedServer) {
  LaunchSpec spec;
  spec.config = {{"requirepass", "hunter2"}};
  auto server = Start(spec);
  ASSERT_NE(server, nullptr);
  auto with_password = Wait(*server, milliseconds(5000), "hunter2");
  ASSERT_TRUE(with_password.ok()) << with_password.message();
  // Up but guarded: without a password, -NOAUTH counts as ready.
  auto without = Wait(*server, milliseconds(5000));
  ASSERT_TRUE(without.ok()) << without.message();
  auto wrong = Wait(*server, milliseconds(5000), "wrong-password");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kGeneric);
  EXPECT_THAT(wrong.message(), HasSubstr("rejected the password"));
  EXPECT_THAT(wrong.message() + transcript_.Render(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(wrong.message() + transcript_.Render(), Not(HasSubstr("wrong-password")));
}

TEST_F(ReadinessTest, WaitsWhileTheServerIsLoading) {
  LaunchSpec spec;
  // 20 ms per key while loading the RDB, and serve clients (-LOADING) between keys.
  spec.config = {{"key-load-delay", "20000"}, {"loading-process-events-interval-bytes", "1024"}};
  auto server = Start(spec);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(RawCall(server->port(), "DEBUG POPULATE 40 key 2000\r\n"), "+OK\r\n");
  ASSERT_EQ(RawCall(server->port(), "SAVE\r\n"), "+OK\r\n");
  ASSERT_TRUE(server->Restart().ok());
  EXPECT_THAT(RawCall(server->port(), "PING\r\n"), HasSubstr("-LOADING"));
  auto status = Wait(*server, milliseconds(10000));
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(RawCall(server->port(), "DBSIZE\r\n"), ":40\r\n");
}

TEST_F(ReadinessTest, DeadServerFailsWithItsExit) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  server->Signal(SIGKILL);
  const auto start = std::chrono::steady_clock::now();
  auto status = Wait(*server, milliseconds(5000));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kGeneric);
  EXPECT_THAT(status.message(), HasSubstr("ended before it was ready (killed by signal 9"));
  EXPECT_THAT(status.message(), HasSubstr("log tail:"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(ReadinessTest, StoppedServerTimesOut) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  server->Signal(SIGSTOP);
  const auto start = std::chrono::steady_clock::now();
  auto status = Wait(*server, milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(status.message(), HasSubstr("was not ready within 300 ms"));
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, milliseconds(1500));
}

}  // namespace
}  // namespace conformance::server
