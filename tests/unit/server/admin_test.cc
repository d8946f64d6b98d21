#include "harness/server/admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "harness/net/run_sync.h"
#include "harness/net/timeout.h"
#include "harness/server/launcher.h"

namespace conformance::server {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server not installed";
  }

  std::unique_ptr<ServerProcess> Start() {
    auto server = ServerProcess::Spawn(LaunchSpec{}, nullptr);
    EXPECT_TRUE(server.ok()) << server.message();
    return server.ok() ? std::move(server).value() : nullptr;
  }

  std::unique_ptr<Admin> Connect(uint16_t port, Transcript* transcript = nullptr) {
    auto admin = net::RunSync(io_, Admin::Connect("127.0.0.1", port, transcript,
                                                  milliseconds(2000)));
    EXPECT_TRUE(admin.ok()) << admin.message();
    return admin.ok() ? std::move(admin).value() : nullptr;
  }

  template <typename T>
  T Run(asio::awaitable<T> operation) {
    return net::RunSync(io_, std::move(operation));
  }

  // Polls INFO on `admin` until `key` has `value` (at most 10 s).
  asio::awaitable<bool> WaitForInfo(Admin& admin, std::string key, std::string value) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto info = co_await admin.Info("replication");
      if (info.ok() && info->Get(key) == value) co_return true;
      co_await net::Pause(milliseconds(20));
    }
    co_return false;
  }

  asio::io_context io_;
};

TEST_F(AdminTest, InfoAndRole) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto admin = Connect(server->port());
  ASSERT_NE(admin, nullptr);
  auto replication = Run(admin->Info("replication"));
  ASSERT_TRUE(replication.ok()) << replication.message();
  EXPECT_THAT(replication->Get("role"), Optional(std::string("master")));
  EXPECT_THAT(replication->GetInt("connected_slaves"), Optional(int64_t{0}));
  auto all = Run(admin->Info());
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_THAT(all->GetInt("tcp_port"), Optional(int64_t{server->port()}));
  EXPECT_NE(all->Section("Server"), nullptr);
  auto role = Run(admin->Role());
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_EQ(role->kind, Role::Kind::kMaster);
  EXPECT_TRUE(role->replicas.empty());
}

TEST_F(AdminTest, ConfigSetAndGet) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto admin = Connect(server->port());
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(Run(admin->ConfigSet("repl-backlog-size", "16384")).ok());
  auto value = Run(admin->ConfigGet("repl-backlog-size"));
  ASSERT_TRUE(value.ok()) << value.message();
  EXPECT_EQ(*value, "16384");
}

TEST_F(AdminTest, MissingLeversAreUnsupported) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto admin = Connect(server->port());
  ASSERT_NE(admin, nullptr);
  auto unknown = Run(admin->ConfigSet("no-such-parameter", "1"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kUnsupported);
  EXPECT_THAT(unknown.message(), HasSubstr("CONFIG SET no-such-parameter: -ERR"));
  auto immutable = Run(admin->ConfigSet("daemonize", "no"));
  ASSERT_FALSE(immutable.ok());
  EXPECT_EQ(immutable.error().kind, ErrorKind::kUnsupported);
  auto bad_value = Run(admin->ConfigSet("repl-backlog-size", "lots"));
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().kind, ErrorKind::kGeneric);
  auto get_unknown = Run(admin->ConfigGet("no-such-parameter"));
  ASSERT_FALSE(get_unknown.ok());
  EXPECT_EQ(get_unknown.error().kind, ErrorKind::kUnsupported);
}

TEST_F(AdminTest, CallReturnsErrorRepliesAsValues) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  auto admin = Connect(server->port());
  ASSERT_NE(admin, nullptr);
  auto reply = Run(admin->Call({"NO-SUCH-COMMAND", "x"}));
  ASSERT_TRUE(reply.ok()) << reply.message();
  EXPECT_TRUE(reply->IsError());
}

TEST_F(AdminTest, ReplicaOfAndBack) {
  auto master = Start();
  auto replica = Start();
  ASSERT_NE(master, nullptr);
  ASSERT_NE(replica, nullptr);
  auto master_admin = Connect(master->port());
  auto replica_admin = Connect(replica->port());
  ASSERT_NE(master_admin, nullptr);
  ASSERT_NE(replica_admin, nullptr);
  ASSERT_TRUE(Run(replica_admin->ReplicaOf("127.0.0.1", master->port())).ok());
  ASSERT_TRUE(Run(WaitForInfo(*replica_admin, "master_link_status", "up")));
  auto role = Run(replica_admin->Role());
  ASSERT_TRUE(role.ok()) << role.message();
  EXPECT_EQ(role->kind, Role::Kind::kReplica);
  EXPECT_EQ(role->master_port, master->port());
  EXPECT_EQ(role->state, "connected");
  ASSERT_TRUE(Run(WaitForInfo(*master_admin, "connected_slaves", "1")));
  ASSERT_TRUE(Run(replica_admin->ReplicaOfNoOne()).ok());
  auto info = Run(replica_admin->Info("replication"));
  ASSERT_TRUE(info.ok()) << info.message();
  EXPECT_THAT(info->Get("role"), Optional(std::string("master")));
}

TEST_F(AdminTest, AuthKeepsThePasswordOutOfTheTranscript) {
  auto server = Start();
  ASSERT_NE(server, nullptr);
  Transcript transcript;
  auto admin = Connect(server->port(), &transcript);
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(Run(admin->ConfigSet("requirepass", "hunter2")).ok());
  auto other = Connect(server->port(), &transcript);
  ASSERT_NE(other, nullptr);
  auto denied = Run(other->Info("replication"));
  ASSERT_FALSE(denied.ok());
  EXPECT_THAT(denied.message(), HasSubstr("NOAUTH"));
  auto wrong = Run(other->Auth(std::nullopt, "wrong-password"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kGeneric);
  ASSERT_TRUE(Run(other->Auth("default", "hunter2")).ok());
  EXPECT_TRUE(Run(other->Info("replication")).ok());
  EXPECT_THAT(transcript.Render(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(transcript.Render(), HasSubstr("<redacted>"));
}

// A scripted peer on a loopback listener: answers each command from `answer`.
asio::awaitable<void> FakeServer(net::Listener& listener,
                                 std::function<std::string(const std::string&)> answer) {
  auto connection = co_await listener.Accept(milliseconds(2000), "fake", nullptr);
  if (!connection.ok()) co_return;
  std::string buffer;
  while (true) {
    buffer.clear();
    if (!(co_await (*connection)->ReadSome(&buffer, milliseconds(2000))).ok()) co_return;
    if (!(co_await (*connection)->Write(answer(buffer), milliseconds(2000))).ok()) co_return;
  }
}

TEST_F(AdminTest, ReplicaOfFallsBackToSlaveOf) {
  auto listener = net::Listener::Bind(io_.get_executor());
  ASSERT_TRUE(listener.ok()) << listener.message();
  std::vector<std::string> seen;
  asio::co_spawn(io_, FakeServer(**listener, [&](const std::string& request) {
                   seen.push_back(request.find("REPLICAOF") != std::string::npos ? "REPLICAOF"
                                                                                  : "SLAVEOF");
                   return seen.back() == "REPLICAOF"
                              ? std::string("-ERR unknown command 'REPLICAOF'\r\n")
                              : std::string("+OK\r\n");
                 }),
                 asio::detached);
  auto admin = Connect((*listener)->port());
  ASSERT_NE(admin, nullptr);
  auto status = Run(admin->ReplicaOf("127.0.0.1", 6379));
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(seen, (std::vector<std::string>{"REPLICAOF", "SLAVEOF"}));
}

TEST_F(AdminTest, NeitherReplicaOfNorSlaveOfIsUnsupported) {
  auto listener = net::Listener::Bind(io_.get_executor());
  ASSERT_TRUE(listener.ok()) << listener.message();
  asio::co_spawn(io_, FakeServer(**listener, [](const std::string&) {
                   return std::string("-ERR unknown command\r\n");
                 }),
                 asio::detached);
  auto admin = Connect((*listener)->port());
  ASSERT_NE(admin, nullptr);
  auto status = Run(admin->ReplicaOfNoOne());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kUnsupported);
  auto role = Run(admin->Role());
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(role.error().kind, ErrorKind::kUnsupported);
}

}  // namespace
}  // namespace conformance::server
