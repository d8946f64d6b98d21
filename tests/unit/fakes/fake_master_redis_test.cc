// The fake master against a real redis-server replica (/usr/bin/redis-server, skipped when
// missing): the exact handshake, full sync by $len and $EOF (disk and diskless load), the
// stream and its offsets (REPLCONF ACK, INFO slave_repl_offset), +CONTINUE after a cut, the
// fallback to SYNC, masterauth, and the replica's reaction to inline garbage (O11).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "fakes/fake_master.h"
#include "harness/net/timeout.h"
#include "harness/server/admin.h"
#include "harness/server/launcher.h"
#include "harness/server/readiness.h"
#include "tests/unit/fakes/test_support.h"

namespace conformance::fakes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Framing = repl::RdbTransfer::Framing;

constexpr const char* kRedisServer = "/usr/bin/redis-server";
constexpr Duration kTimeout{10000};
constexpr Duration kPollInterval{20};
constexpr int64_t kExpireAt = 4102444800000;  // 2100-01-01

Awaitable<Result<repl::SyncRequest>> AcceptAndHandshake(FakeMaster* master) {
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await master->Accept());
  co_return co_await master->AnswerHandshake();
}

// Polls INFO until `field` equals `expected`; the error names the last value seen.
Awaitable<Status> WaitForInfo(server::Admin* admin, std::string field, std::string expected,
                              Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "(never read)";
  while (true) {
    auto info = co_await admin->Info("replication");
    if (!info.ok()) co_return info.error();
    last = info->Get(field).value_or("(absent)");
    if (last == expected) co_return OkStatus();
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return Error{"INFO " + field + ": Expected: " + expected + ", received: " + last,
                      ErrorKind::kTimeout};
    }
    co_await net::Pause(kPollInterval);  // pacing between polls; the deadline bounds the wait
  }
}

// GET key in db, as a string ("(nil)" when absent, "(error) ..." on an error reply).
Awaitable<std::string> GetIn(server::Admin* admin, int db, std::string key) {
  // Named vectors: GCC 12 rejects a braced list inside a co_await expression.
  std::vector<std::string> select = {"SELECT", std::to_string(db)};
  std::vector<std::string> get = {"GET", std::move(key)};
  auto selected = co_await admin->Call(std::move(select));
  if (!selected.ok()) co_return "(failed) " + selected.message();
  auto value = co_await admin->Call(std::move(get));
  if (!value.ok()) co_return "(failed) " + value.message();
  if (value->IsError()) co_return "(error) " + value->str;
  if (value->is_null) co_return "(nil)";
  co_return value->str;
}

// Polls GET until it returns `expected` or the deadline passes; returns the last value.
Awaitable<std::string> WaitForValue(server::Admin* admin, int db, std::string key,
                                    std::string expected, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::string value = co_await GetIn(admin, db, key);
    if (value == expected || std::chrono::steady_clock::now() >= deadline) co_return value;
    co_await net::Pause(kPollInterval);
  }
}

class FakeMasterWithRedisReplica : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kRedisServer, X_OK) != 0) GTEST_SKIP() << kRedisServer << " not installed";
  }

  void TearDown() override {
    master_.reset();
    admin_.reset();
    if (server_ && HasFailure()) {
      std::cerr << "replica log tail:\n"
                << server_->LogTail(30) << "\ntranscript tail:\n"
                << transcript_.Tail(40) << "\n";
    }
    server_.reset();
  }

  template <typename T>
  T Run(asio::awaitable<T> operation) {
    return testing::Run(io_, std::move(operation));
  }

  // Starts redis-server. With `of_fake_master`, it starts as a replica of the fake master
  // (which must listen already), so it has no history of its own to offer in PSYNC.
  void StartReplica(std::vector<std::pair<std::string, std::string>> config = {},
                    bool of_fake_master = false) {
    server::LaunchSpec spec;
    spec.binary = kRedisServer;
    spec.config = std::move(config);
    if (of_fake_master) spec.replica_of = std::make_pair(std::string("127.0.0.1"), master_->port());
    configured_replica_ = of_fake_master;
    auto server = server::ServerProcess::Spawn(spec, &registry_);
    ASSERT_TRUE(server.ok()) << server.message();
    server_ = std::move(server).value();
    Status ready = Run(server::WaitUntilReady(*server_, kTimeout, &transcript_));
    ASSERT_TRUE(ready.ok()) << ready.message();
    auto admin = Run(server::Admin::Connect(server_->host(), server_->port(), &transcript_));
    ASSERT_TRUE(admin.ok()) << admin.message();
    admin_ = std::move(admin).value();
  }

  void StartMaster(FakeMasterOptions options = {}) {
    options.timeout = kTimeout;
    master_ = std::make_unique<FakeMaster>(std::move(options), &transcript_);
    ASSERT_TRUE(master_->Listen(io_.get_executor()).ok());
    master_->model().Set(0, "a", testing::StringEntry("1"));
    master_->model().Set(2, "b", testing::StringEntry("2", kExpireAt));
  }

  // REPLICAOF the fake master (unless configured so), and the handshake up to the PSYNC.
  repl::SyncRequest Attach() {
    if (!configured_replica_) {
      Status attached = Run(admin_->ReplicaOf("127.0.0.1", master_->port()));
      EXPECT_TRUE(attached.ok()) << attached.message();
      configured_replica_ = true;
    }
    auto request = Run(AcceptAndHandshake(master_.get()));
    EXPECT_TRUE(request.ok()) << request.message();
    return request.ok() ? *request : repl::SyncRequest{};
  }

  // Streams a few commands across databases, then checks the replica's ACK and INFO offsets.
  void StreamAndCheckOffsets() {
    ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
    ASSERT_TRUE(Run(master_->Propagate({"SELECT", "3"})).ok());
    ASSERT_TRUE(Run(master_->Propagate({"RPUSH", "list", "x", "y"})).ok());
    ASSERT_TRUE(Run(master_->Transaction({{"INCR", "n"}, {"INCR", "n"}})).ok());
    ASSERT_TRUE(Run(master_->SendPing()).ok());
    ExpectCaughtUp();
    EXPECT_EQ(Run(GetIn(admin_.get(), 0, "k")), "v");
    EXPECT_EQ(Run(GetIn(admin_.get(), 3, "n")), "2");
    auto length = Run(admin_->Call({"LLEN", "list"}));  // still in db 3
    ASSERT_TRUE(length.ok());
    EXPECT_EQ(length->integer, 2);
  }

  // The replica's REPLCONF ACK and INFO slave_repl_offset both reach the fake's offset.
  void ExpectCaughtUp() {
    auto ack = Run(master_->WaitForAck(master_->offset(), kTimeout));
    ASSERT_TRUE(ack.ok()) << ack.message();
    EXPECT_EQ(*ack, master_->offset());
    Status info = Run(WaitForInfo(admin_.get(), "slave_repl_offset",
                                  std::to_string(master_->offset()), kTimeout));
    EXPECT_TRUE(info.ok()) << info.message();
  }

  void ExpectSnapshotLoaded() {
    EXPECT_EQ(Run(GetIn(admin_.get(), 0, "a")), "1");
    EXPECT_EQ(Run(GetIn(admin_.get(), 2, "b")), "2");
    auto expire = Run(admin_->Call({"PEXPIRETIME", "b"}));  // db 2 is selected
    ASSERT_TRUE(expire.ok());
    EXPECT_EQ(expire->integer, kExpireAt);
  }

  std::vector<std::string> ReceivedCommands() const {
    std::vector<std::string> out;
    for (const auto& command : master_->received()) out.push_back(command.Describe());
    return out;
  }

  asio::io_context io_;
  Transcript transcript_;
  server::ProcessRegistry registry_;
  std::unique_ptr<server::ServerProcess> server_;
  std::unique_ptr<server::Admin> admin_;
  std::unique_ptr<FakeMaster> master_;
  bool configured_replica_ = false;
};

struct FullSyncCase {
  const char* name;
  Framing framing;
  const char* diskless_load;  // the replica's repl-diskless-load
};

void PrintTo(const FullSyncCase& c, std::ostream* os) { *os << c.name; }

class FullSync : public FakeMasterWithRedisReplica,
                 public ::testing::WithParamInterface<FullSyncCase> {};

TEST_P(FullSync, LoadsTheSnapshotAndFollowsTheStream) {
  StartMaster();
  // History before the replica: the snapshot is not at offset 0.
  ASSERT_TRUE(Run(master_->Propagate({"SET", "c", "3"})).ok());
  StartReplica({{"repl-diskless-load", GetParam().diskless_load}}, /*of_fake_master=*/true);
  const repl::SyncRequest request = Attach();
  ASSERT_FALSE(HasFailure());

  // H1-H5: exactly this, in this order, for a replica without a cached master.
  EXPECT_THAT(ReceivedCommands(),
              ElementsAre("PING", "REPLCONF listening-port " + std::to_string(server_->port()),
                          "REPLCONF capa eof capa psync2", "PSYNC ? -1"));
  EXPECT_EQ(request.replid, "?");
  EXPECT_EQ(request.offset, -1);

  ASSERT_TRUE(Run(master_->SendFullResync()).ok());
  RdbSendOptions options;
  options.framing = GetParam().framing;
  Status sent = Run(master_->SendRdb(options));
  ASSERT_TRUE(sent.ok()) << sent.message();
  StreamAndCheckOffsets();
  ExpectSnapshotLoaded();
  EXPECT_EQ(Run(GetIn(admin_.get(), 0, "c")), "3");

  auto info = Run(admin_->Info("replication"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->Get("master_link_status"), "up");
  EXPECT_EQ(info->Get("master_replid"), master_->replid());
}

INSTANTIATE_TEST_SUITE_P(
    RedisReplica, FullSync,
    ::testing::Values(FullSyncCase{"LengthDiskLoad", Framing::kLength, "disabled"},
                      FullSyncCase{"EofMarkDiskLoad", Framing::kEofMark, "disabled"},
                      FullSyncCase{"LengthDisklessLoad", Framing::kLength, "swapdb"},
                      FullSyncCase{"EofMarkDisklessLoad", Framing::kEofMark, "swapdb"}),
    [](const ::testing::TestParamInfo<FullSyncCase>& info) { return info.param.name; });

TEST_F(FakeMasterWithRedisReplica, DemotedMasterOffersItsOwnHistory) {
  StartMaster();
  StartReplica();
  auto own = Run(admin_->Info("replication"));
  ASSERT_TRUE(own.ok()) << own.message();
  const std::string own_id = own->Get("master_replid").value_or("");
  const int64_t own_offset = own->GetInt("master_repl_offset").value_or(-2);
  const repl::SyncRequest request = Attach();
  ASSERT_FALSE(HasFailure());
  // A master turned replica synthesises a cached master from its own id and offset.
  EXPECT_EQ(request.replid, own_id);
  EXPECT_EQ(request.offset, own_offset + 1);
  auto decision = Run(master_->AnswerSync(request));
  ASSERT_TRUE(decision.ok()) << decision.message();
  EXPECT_EQ(decision->reason, repl::PsyncDecision::Reason::kReplidMismatch);
  ExpectCaughtUp();
  ExpectSnapshotLoaded();
}

TEST_F(FakeMasterWithRedisReplica, PsyncAfterACutContinues) {
  StartReplica();
  StartMaster();
  Attach();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(Run(master_->AnswerSync(*master_->last_sync_request())).ok());
  ASSERT_TRUE(Run(master_->Propagate({"SET", "before", "1"})).ok());
  ExpectCaughtUp();
  const uint64_t cut_at = master_->offset();

  master_->Disconnect();
  // Written while the replica is away: only the backlog has it.
  ASSERT_TRUE(Run(master_->Propagate({"SET", "while-away", "2"})).ok());

  const repl::SyncRequest request = Attach();
  ASSERT_FALSE(HasFailure());
  // The replica asks for the next byte it wants, under the id it synced with (H5).
  EXPECT_EQ(request.replid, master_->replid());
  EXPECT_EQ(request.offset, static_cast<int64_t>(cut_at + 1));
  auto decision = Run(master_->AnswerSync(request));
  ASSERT_TRUE(decision.ok()) << decision.message();
  EXPECT_EQ(decision->kind, repl::PsyncDecision::Kind::kContinue) << decision->message;

  ASSERT_TRUE(Run(master_->Propagate({"SET", "after", "3"})).ok());
  ExpectCaughtUp();
  EXPECT_EQ(Run(GetIn(admin_.get(), 0, "while-away")), "2");
  EXPECT_EQ(Run(GetIn(admin_.get(), 0, "after")), "3");
}

TEST_F(FakeMasterWithRedisReplica, ContinueWithANewReplidIsAdopted) {
  StartReplica();
  StartMaster();
  Attach();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(Run(master_->AnswerSync(*master_->last_sync_request())).ok());
  ExpectCaughtUp();
  const std::string old_id = master_->replid();
  master_->Disconnect();

  Attach();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(Run(master_->SendContinue(std::string(40, 'e'))).ok());
  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  ExpectCaughtUp();
  // H8: the replica keeps the old id as replid2, valid up to the switch.
  auto info = Run(admin_->Info("replication"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->Get("master_replid"), std::string(40, 'e'));
  EXPECT_EQ(info->Get("master_replid2"), old_id);
}

TEST_F(FakeMasterWithRedisReplica, RefusedPsyncFallsBackToInlineSync) {
  StartReplica();
  StartMaster();
  Attach();
  ASSERT_FALSE(HasFailure());
  // H6: an unexpected error to PSYNC makes the replica send SYNC on the same link.
  ASSERT_TRUE(Run(master_->Reply("-ERR unknown command 'PSYNC'\r\n")).ok());
  auto sync = Run(master_->ExpectCommand("SYNC"));
  ASSERT_TRUE(sync.ok()) << sync.message();
  ASSERT_TRUE(Run(master_->SendRdb()).ok());
  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  Status loaded = Run(WaitForInfo(admin_.get(), "master_link_status", "up", kTimeout));
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ExpectSnapshotLoaded();
  // A SYNC replica sends no ACKs; poll the key instead.
  EXPECT_EQ(Run(WaitForValue(admin_.get(), 0, "k", "v", kTimeout)), "v");
}

TEST_F(FakeMasterWithRedisReplica, MasterauthIsSentAndNeverLogged) {
  FakeMasterOptions options;
  options.password = "s3cret-pw";
  StartMaster(options);
  StartReplica({{"masterauth", "s3cret-pw"}}, /*of_fake_master=*/true);
  Attach();
  ASSERT_FALSE(HasFailure());
  EXPECT_THAT(ReceivedCommands(), ElementsAre("PING", "AUTH <redacted>",
                                              ::testing::StartsWith("REPLCONF listening-port"),
                                              "REPLCONF capa eof capa psync2", "PSYNC ? -1"));
  EXPECT_TRUE(Run(master_->AnswerSync(*master_->last_sync_request())).ok());
  ExpectCaughtUp();
  EXPECT_THAT(transcript_.Render(), Not(HasSubstr("s3cret-pw")));
}

TEST_F(FakeMasterWithRedisReplica, WrongEofMarkFailsADisklessLoad) {
  StartMaster();
  StartReplica({{"repl-diskless-load", "swapdb"}}, /*of_fake_master=*/true);
  Attach();
  ASSERT_FALSE(HasFailure());
  master_->bugs().wrong_eof_mark = true;
  ASSERT_TRUE(Run(master_->SendFullResync()).ok());
  RdbSendOptions eof;
  eof.framing = Framing::kEofMark;
  ASSERT_TRUE(Run(master_->SendRdb(eof)).ok());
  // R3: the replica checks the trailing mark, drops the load and the link, then starts over.
  Status closed = Run(master_->ExpectClose(kTimeout));
  ASSERT_TRUE(closed.ok()) << closed.message();
  EXPECT_THAT(server_->LogTail(20), HasSubstr("EOF marker is broken"));
  EXPECT_EQ(Run(GetIn(admin_.get(), 0, "a")), "(nil)");

  master_->bugs().wrong_eof_mark = false;
  auto request = Run(AcceptAndHandshake(master_.get()));
  ASSERT_TRUE(request.ok()) << request.message();
  EXPECT_EQ(request->replid, "?");
  ASSERT_TRUE(Run(master_->AnswerSync(*request, eof)).ok());
  ExpectCaughtUp();
  ExpectSnapshotLoaded();
}

TEST_F(FakeMasterWithRedisReplica, InlineGarbageDropsTheLinkAndTheCachedMaster) {
  StartReplica();
  StartMaster();
  Attach();
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(Run(master_->AnswerSync(*master_->last_sync_request())).ok());
  ExpectCaughtUp();

  master_->bugs().inline_garbage_after_command = "garbage\r\n";
  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  Status closed = Run(master_->ExpectClose(kTimeout));
  ASSERT_TRUE(closed.ok()) << closed.message();
  // O11: the cached master is discarded, so the next attempt is a full sync.
  auto request = Run(AcceptAndHandshake(master_.get()));
  ASSERT_TRUE(request.ok()) << request.message();
  EXPECT_EQ(request->replid, "?");
  EXPECT_EQ(request->offset, -1);
}

}  // namespace
}  // namespace conformance::fakes
