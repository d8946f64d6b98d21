// The replication snapshot (oracle::CaptureKeyspace) against a real redis-server: it reads the
// same keyspace as SCAN+DUMP+PEXPIRETIME, expiries exact, for every type and encoding; it asks
// for rdb-only, moves sync_full by one, streams by $EOF when it announces capa eof to a
// diskless master, and reports a refused SYNC with the server's words.
#include "harness/oracle/snapshot_capture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/oracle/server_keyspace.h"
#include "harness/resp/encoder.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"
#include "harness/server/readiness.h"
#include "harness/workload/generator.h"
#include "harness/net/run_sync.h"

namespace conformance::oracle {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Framing = repl::RdbTransfer::Framing;

constexpr const char* kRedisServer = "/usr/bin/redis-server";
constexpr net::Duration kTimeout{20000};

// Writes commands pipelined; the first error reply fails.
net::Awaitable<Status> Write(net::RespClient* client, std::vector<workload::Command> commands) {
  client->set_record_frames(false);
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < commands.size(); start += kBatch) {
    const size_t end = std::min(commands.size(), start + kBatch);
    std::string bytes;
    for (size_t i = start; i < end; ++i) resp::AppendCommand(&bytes, commands[i]);
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await client->connection().Write(bytes, kTimeout));
    for (size_t i = start; i < end; ++i) {
      auto reply = co_await client->Read(kTimeout);
      if (!reply.ok()) co_return reply.error();
      if (reply->IsError()) {
        co_return Error{resp::Value::Command(commands[i]).ToString() + ": " + reply->ToString()};
      }
    }
  }
  co_return OkStatus();
}

class SnapshotCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kRedisServer, X_OK) != 0) GTEST_SKIP() << kRedisServer << " not installed";
  }
  void TearDown() override {
    admin_.reset();
    if (server_ && HasFailure()) std::cerr << "log tail:\n" << server_->LogTail(20) << "\n";
    server_.reset();
  }

  template <typename T>
  T Run(asio::awaitable<T> operation) {
    return net::RunSync(io_, std::move(operation));
  }

  void Start(std::vector<std::pair<std::string, std::string>> config = {}) {
    server::LaunchSpec spec;
    spec.binary = kRedisServer;
    spec.config = std::move(config);
    auto server = server::ServerProcess::Spawn(spec, &registry_);
    ASSERT_TRUE(server.ok()) << server.message();
    server_ = std::move(server).value();
    ASSERT_TRUE(Run(server::WaitUntilReady(*server_, kTimeout, &transcript_)).ok());
    auto admin =
        Run(server::Admin::Connect(server_->host(), server_->port(), &transcript_, kTimeout));
    ASSERT_TRUE(admin.ok()) << admin.message();
    admin_ = std::move(admin).value();
  }

  // The all-types dataset and workload, as a client writes them.
  void Fill(size_t keys, size_t commands) {
    workload::DatasetOptions dataset;
    dataset.seed = 5;
    dataset.keys = keys;
    dataset.databases = {0, 7};
    dataset.expire = true;
    dataset.profile = workload::Profile::kAllTypes;
    Status loaded = Run(Write(&admin_->client(), workload::GenerateDataset(dataset)));
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    keyspace::Keyspace now;
    ASSERT_TRUE(Run(ReadServerKeyspace(admin_->client(), &now)).ok());
    workload::WorkloadOptions options;
    options.seed = 6;
    options.commands = commands;
    options.databases = {0, 7};
    options.multi = true;
    options.expire = true;
    options.profile = workload::Profile::kAllTypes;
    auto written = workload::GenerateWorkload(options, now);
    written.push_back({"SELECT", "0"});
    Status wrote = Run(Write(&admin_->client(), std::move(written)));
    ASSERT_TRUE(wrote.ok()) << wrote.message();
  }

  int64_t SyncFull() {
    auto info = Run(admin_->Info("stats"));
    EXPECT_TRUE(info.ok());
    return info.ok() ? info->GetInt("sync_full").value_or(-1) : -1;
  }

  CaptureOptions Options() {
    CaptureOptions options;
    options.timeout = kTimeout;
    return options;
  }

  asio::io_context io_;
  Transcript transcript_;
  server::ProcessRegistry registry_;
  std::unique_ptr<server::ServerProcess> server_;
  std::unique_ptr<server::Admin> admin_;
};

std::string Differences(const keyspace::Keyspace& a, const keyspace::Keyspace& b) {
  std::string text;
  for (const auto& d : keyspace::Keyspace::Diff(a, b, 5, 0)) text += d.ToString() + "\n";
  return text;
}

TEST_F(SnapshotCapture, ReadsWhatScanAndDumpRead) {
  Start();
  Fill(480, 2000);
  keyspace::Keyspace scanned;
  ASSERT_TRUE(Run(ReadServerKeyspace(admin_->client(), &scanned)).ok());
  keyspace::Keyspace captured;
  auto summary =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_GT(scanned.size(), 500u);
  EXPECT_EQ(captured.size(), scanned.size());
  EXPECT_EQ(Differences(scanned, captured), "");  // expiries exact: both absolute
  EXPECT_EQ(summary->keys, captured.size());
  EXPECT_EQ(summary->rdb_version, 10);  // Redis 7.0
}

// A diskless master that waits for more replicas gets no capa eof: a disk snapshot, at once.
TEST_F(SnapshotCapture, TakesADiskSnapshotFromAMasterThatWouldWait) {
  Start({{"repl-diskless-sync", "yes"}, {"repl-diskless-sync-delay", "5"}});
  Fill(60, 100);
  keyspace::Keyspace captured;
  const auto start = std::chrono::steady_clock::now();
  auto summary =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_EQ(summary->framing, Framing::kLength);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(SnapshotCapture, AsksForRdbOnlyAndMovesSyncFullByOne) {
  Start({{"repl-diskless-sync", "no"}});
  Fill(60, 100);
  const int64_t before = SyncFull();
  keyspace::Keyspace captured;
  auto summary =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_TRUE(summary->rdb_only);
  EXPECT_EQ(summary->framing, Framing::kLength);
  EXPECT_EQ(SyncFull(), before + 1);
  // Plain SYNC, closed by the harness after the payload.
  CaptureOptions plain = Options();
  plain.rdb_only = false;
  keyspace::Keyspace again;
  auto second = Run(CaptureKeyspace(server_->host(), server_->port(), &again, plain, &transcript_));
  ASSERT_TRUE(second.ok()) << second.message();
  EXPECT_FALSE(second->rdb_only);
  EXPECT_EQ(SyncFull(), before + 2);
  EXPECT_EQ(Differences(captured, again), "");
}

TEST_F(SnapshotCapture, StreamsByEofMarkFromADisklessMasterWithoutDelay) {
  Start({{"repl-diskless-sync", "yes"}, {"repl-diskless-sync-delay", "0"}});
  Fill(60, 100);
  keyspace::Keyspace captured;
  auto summary =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_EQ(summary->framing, Framing::kEofMark);
  keyspace::Keyspace scanned;
  ASSERT_TRUE(Run(ReadServerKeyspace(admin_->client(), &scanned)).ok());
  EXPECT_EQ(Differences(scanned, captured), "");
}

TEST_F(SnapshotCapture, AuthenticatesWithThePassword) {
  Start({{"requirepass", "sesame"}});
  ASSERT_TRUE(Run(admin_->Auth(std::nullopt, "sesame")).ok());
  Fill(30, 50);
  keyspace::Keyspace captured;
  auto refused =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.message(), HasSubstr("NOAUTH"));
  CaptureOptions options = Options();
  options.password = "sesame";
  auto summary =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, options, &transcript_));
  ASSERT_TRUE(summary.ok()) << summary.message();
  EXPECT_GT(captured.size(), 30u);
  EXPECT_THAT(transcript_.Render(), ::testing::Not(HasSubstr("sesame")));
}

TEST_F(SnapshotCapture, ReportsTheRefusalOfAReplicaWithoutItsMaster) {
  Start();
  // A master that is not there: the replica's link stays down.
  ASSERT_TRUE(Run(admin_->ReplicaOf("127.0.0.1", 1)).ok());
  keyspace::Keyspace captured;
  auto refused =
      Run(CaptureKeyspace(server_->host(), server_->port(), &captured, Options(), &transcript_));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.message(), HasSubstr("NOMASTERLINK"));
}

}  // namespace
}  // namespace conformance::oracle
