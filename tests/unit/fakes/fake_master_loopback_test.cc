// The fake master against the fake replica over loopback: full sync by $len and $EOF, the
// stream with SELECT, MULTI/EXEC, ACKs and GETACK, +CONTINUE after a cut, M11 (nothing after
// the EOF mark before the first ACK), handshake strictness and a few MasterBugs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "fakes/fake_master.h"
#include "fakes/fake_replica.h"
#include "harness/rules/ids.h"
#include "tests/unit/fakes/test_support.h"

namespace conformance::fakes {
namespace {

using ::testing::HasSubstr;
using testing::RunBoth;
using testing::StringEntry;
using Framing = repl::RdbTransfer::Framing;

constexpr Duration kTimeout{3000};
constexpr Duration kShort{300};

// The master side of a sync: accept, answer the handshake, act on PSYNC as Redis decides.
Awaitable<Result<repl::PsyncDecision>> ServeSync(FakeMaster* master, RdbSendOptions options) {
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await master->Accept());
  auto request = co_await master->AnswerHandshake();
  if (!request.ok()) co_return request.error();
  co_return co_await master->AnswerSync(*request, options);
}

// The replica side of a first full sync.
Awaitable<Result<RdbSummary>> FullSync(FakeReplica* replica) {
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await replica->Connect());
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await replica->Handshake());
  auto reply = co_await replica->Psync("?", -1);
  if (!reply.ok()) co_return reply.error();
  if (reply->kind != repl::SyncReply::Kind::kFullResync) {
    co_return Error{"expected +FULLRESYNC, got " + reply->line};
  }
  co_return co_await replica->ReceiveRdb();
}

// The replica side of a reconnection: PSYNC <replid> <offset + 1>.
Awaitable<Result<repl::SyncReply>> Resume(FakeReplica* replica) {
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await replica->Connect());
  CONFORMANCE_CO_RETURN_IF_ERROR(co_await replica->Handshake());
  co_return co_await replica->PsyncResume();
}

class FakeMasterLoopback : public ::testing::Test {
 protected:
  void SetUp() override { StartMaster({}); }

  void StartMaster(MasterBugs bugs) {
    FakeMasterOptions options;
    options.timeout = kTimeout;
    options.seed = 42;
    options.bugs = std::move(bugs);
    master_ = std::make_unique<FakeMaster>(std::move(options), &transcript_);
    ASSERT_TRUE(master_->Listen(io_.get_executor()).ok());
    // Some history before any replica: the snapshot is not at offset 0.
    master_->model().Set(0, "a", StringEntry("1"));
    master_->model().Set(2, "b", StringEntry("2", 4102444800000));
    ASSERT_TRUE(Run(master_->Propagate({"SET", "c", "3"})).ok());
  }

  std::unique_ptr<FakeReplica> MakeReplica(FakeReplicaOptions options = {}) {
    options.port = master_->port();
    options.timeout = kTimeout;
    return std::make_unique<FakeReplica>(std::move(options), &transcript_);
  }

  template <typename T>
  T Run(asio::awaitable<T> operation) {
    return testing::Run(io_, std::move(operation));
  }

  // Full sync of `replica` with `framing`; checks both sides.
  void SyncReplica(FakeReplica* replica, Framing framing) {
    RdbSendOptions options;
    options.framing = framing;
    auto [served, received] = RunBoth(io_, ServeSync(master_.get(), options), FullSync(replica));
    ASSERT_TRUE(served.ok()) << served.message() << "\n" << transcript_.Tail(20);
    ASSERT_TRUE(received.ok()) << received.message() << "\n" << transcript_.Tail(20);
    EXPECT_EQ(served->kind, repl::PsyncDecision::Kind::kFullResync);
    EXPECT_EQ(received->framing, framing);
    EXPECT_EQ(received->keys, 3u);
    EXPECT_EQ(replica->replid(), master_->replid());
    EXPECT_EQ(replica->offset(), master_->offset());
  }

  void ExpectSameKeyspace(const FakeReplica& replica) {
    EXPECT_EQ(master_->model().ComputeDigest(),
              const_cast<FakeReplica&>(replica).model().ComputeDigest())
        << transcript_.Tail(30);
  }

  asio::io_context io_;
  Transcript transcript_;
  std::unique_ptr<FakeMaster> master_;
};

TEST_F(FakeMasterLoopback, FullSyncByLengthThenStream) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  EXPECT_EQ(master_->last_sync_request()->replid, "?");
  EXPECT_TRUE(master_->announce().HasCapability("psync2"));

  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  ASSERT_TRUE(Run(master_->Propagate({"SELECT", "3"})).ok());
  ASSERT_TRUE(Run(master_->Propagate({"RPUSH", "list", "x", "y"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  EXPECT_EQ(replica->offset(), master_->offset());
  // A SELECT after the full sync (O2), and one for db 3.
  EXPECT_EQ(replica->stats().selects, 2u);
  EXPECT_TRUE(replica->stats().violations.empty());
  ExpectSameKeyspace(*replica);

  ASSERT_TRUE(Run(replica->SendAck()).ok());
  auto ack = Run(master_->WaitForAck(master_->offset()));
  ASSERT_TRUE(ack.ok()) << ack.message();
  EXPECT_EQ(*ack, master_->offset());
  EXPECT_EQ(master_->acks().back().offset, master_->offset());
}

TEST_F(FakeMasterLoopback, FullSyncByEofMarkStreamsOnlyAfterTheFirstAck) {
  FakeReplicaOptions options;
  options.ack_after_eof_load = false;
  auto replica = MakeReplica(options);
  SyncReplica(replica.get(), Framing::kEofMark);
  const uint64_t snapshot = master_->offset();

  // M11: the master holds the stream until the first ACK, so Propagate times out...
  auto held = Run(master_->Propagate({"SET", "k", "v"}));
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.error().kind, ErrorKind::kTimeout) << held.message();
  ASSERT_TRUE(Run(replica->ReadStreamUntilQuiet(kShort)).ok());
  EXPECT_EQ(replica->offset(), snapshot);  // ...and nothing reached the replica.
  EXPECT_TRUE(replica->stats().violations.empty());

  // The first ACK releases what was held.
  ASSERT_TRUE(Run(replica->SendAck()).ok());
  ASSERT_TRUE(Run(master_->WaitForAck(0)).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  ExpectSameKeyspace(*replica);
}

TEST_F(FakeMasterLoopback, EofMarkWithImmediateAck) {
  auto replica = MakeReplica();  // ACKs right after the load, as Redis does
  SyncReplica(replica.get(), Framing::kEofMark);
  ASSERT_TRUE(Run(master_->Propagate({"INCR", "counter"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  EXPECT_TRUE(replica->stats().violations.empty());
  ExpectSameKeyspace(*replica);
}

TEST_F(FakeMasterLoopback, KeepalivesBeforeTheStreamAreNotCounted) {
  auto replica = MakeReplica();
  auto serve = [](FakeMaster* m) -> Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->Accept());
    auto request = co_await m->AnswerHandshake();
    if (!request.ok()) co_return request.error();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->SendKeepalives(3, Duration{5}));  // rule H7
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->SendFullResync());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->SendKeepalives(2));
    co_return co_await m->SendRdb();
  };
  const uint64_t before = master_->offset();
  auto [served, received] = RunBoth(io_, serve(master_.get()), FullSync(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_TRUE(received.ok()) << received.message();
  EXPECT_EQ(replica->stats().keepalives_before_rdb, 5u);
  EXPECT_EQ(master_->stats().keepalives_sent, 5u);
  EXPECT_EQ(master_->offset(), before);
  EXPECT_EQ(replica->offset(), master_->offset());
}

TEST_F(FakeMasterLoopback, TransactionPingAndGetAck) {
  FakeReplicaOptions options;
  options.ack_policy = AckPolicy::kOnGetAck;
  auto replica = MakeReplica(options);
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(master_->Transaction({{"SET", "t1", "a"}, {"SET", "t2", "b"}})).ok());
  ASSERT_TRUE(Run(master_->SendPing()).ok());
  const uint64_t before_getack = master_->offset();
  ASSERT_TRUE(Run(master_->SendGetAck()).ok());
  EXPECT_EQ(master_->offset(), before_getack + repl::kStreamGetAck.size());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  EXPECT_EQ(replica->stats().pings, 1u);
  EXPECT_EQ(replica->stats().getacks, 1u);
  ExpectSameKeyspace(*replica);
  // The GETACK answer reports the offset before the GETACK itself (O6).
  auto ack = Run(master_->WaitForAck(before_getack));
  ASSERT_TRUE(ack.ok()) << ack.message();
  EXPECT_EQ(*ack, before_getack);
}

TEST_F(FakeMasterLoopback, ContinueAfterACut) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(master_->Propagate({"SET", "before", "1"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok());

  master_->Disconnect();
  replica->Disconnect();
  // Written while the replica is away: only the backlog has it.
  ASSERT_TRUE(Run(master_->Propagate({"SET", "while-away", "2"})).ok());
  const uint64_t wanted = replica->offset() + 1;

  auto [served, resumed] = RunBoth(io_, ServeSync(master_.get(), {}), Resume(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message() << "\n" << transcript_.Tail(20);
  ASSERT_TRUE(resumed.ok()) << resumed.message();
  EXPECT_EQ(served->kind, repl::PsyncDecision::Kind::kContinue) << served->message;
  EXPECT_EQ(resumed->kind, repl::SyncReply::Kind::kContinue);
  EXPECT_EQ(resumed->replid, master_->replid());
  EXPECT_EQ(master_->last_sync_request()->offset, static_cast<int64_t>(wanted));
  EXPECT_EQ(master_->stats().partial_syncs, 1);

  ASSERT_TRUE(Run(master_->Propagate({"SET", "after", "3"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  EXPECT_EQ(replica->stats().selects, 1u);  // no SELECT after +CONTINUE (M4)
  ExpectSameKeyspace(*replica);
}

TEST_F(FakeMasterLoopback, ContinueWithANewReplid) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  const std::string old_id = master_->replid();
  master_->Disconnect();
  replica->Disconnect();

  auto resume = [](FakeMaster* master) -> Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await master->Accept());
    auto request = co_await master->AnswerHandshake();
    if (!request.ok()) co_return request.error();
    co_return co_await master->SendContinue(std::string(40, 'f'));
  };
  auto [served, resumed] = RunBoth(io_, resume(master_.get()), Resume(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_TRUE(resumed.ok()) << resumed.message();
  EXPECT_EQ(resumed->replid, std::string(40, 'f'));
  EXPECT_EQ(master_->replid2(), old_id);
  EXPECT_EQ(master_->backlog().second_replid_offset(), static_cast<int64_t>(master_->offset() + 1));
}

TEST_F(FakeMasterLoopback, FullResyncWhenTheBacklogLostTheBytes) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  master_->Disconnect();
  replica->Disconnect();
  // Overflow the backlog while the replica is away.
  master_->backlog().Append(std::string(repl::kDefaultBacklogCapacity + 10, 'x'));
  auto [served, resumed] = RunBoth(io_, ServeSync(master_.get(), {}), Resume(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  EXPECT_EQ(served->reason, repl::PsyncDecision::Reason::kOffsetBeforeBacklog);
  ASSERT_TRUE(resumed.ok()) << resumed.message();
  EXPECT_EQ(resumed->kind, repl::SyncReply::Kind::kFullResync);
}

TEST_F(FakeMasterLoopback, AckBeyondTheMasterOffsetFails) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(replica->SendAck(master_->offset() + 5)).ok());
  auto ack = Run(master_->WaitForAck(0));
  ASSERT_FALSE(ack.ok());
  EXPECT_THAT(ack.message(), HasSubstr("beyond the master's offset"));
}

TEST_F(FakeMasterLoopback, AnythingButAnAckOnTheLinkFails) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(replica->Send({"GET", "a"})).ok());
  auto ack = Run(master_->WaitForAck(0));
  ASSERT_FALSE(ack.ok());
  EXPECT_THAT(ack.message(), HasSubstr("Expected: REPLCONF ACK, received: GET a"));
}

TEST_F(FakeMasterLoopback, HandshakeMustOpenWithPing) {
  auto replica = MakeReplica();
  ASSERT_TRUE(Run(replica->Connect()).ok());
  ASSERT_TRUE(Run(replica->SendRaw("REPLCONF capa eof\r\n")).ok());
  ASSERT_TRUE(Run(master_->Accept()).ok());
  auto request = Run(master_->AnswerHandshake());
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().kind, ErrorKind::kProtocol);
  EXPECT_THAT(request.message(), HasSubstr("Expected: PING, received: REPLCONF capa eof"));
}

TEST_F(FakeMasterLoopback, ExpectCommandNamesWhatArrived) {
  auto replica = MakeReplica();
  ASSERT_TRUE(Run(replica->Connect()).ok());
  ASSERT_TRUE(Run(replica->SendRaw("PING\r\n\nGET k\r\n")).ok());
  ASSERT_TRUE(Run(master_->Accept()).ok());
  auto ping = Run(master_->ExpectCommand("ping"));
  ASSERT_TRUE(ping.ok()) << ping.message();
  ASSERT_TRUE(Run(master_->Reply("+PONG\r\n")).ok());
  auto psync = Run(master_->ExpectCommand("PSYNC"));
  ASSERT_FALSE(psync.ok());
  EXPECT_THAT(psync.message(),
              HasSubstr("Expected: PSYNC, received: GET k (frames seen: PING | GET k)"));
  EXPECT_EQ(master_->stats().keepalives_received, 1u);
  auto nothing = Run(master_->ExpectCommand("PSYNC", kShort));
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().kind, ErrorKind::kTimeout);
}

TEST_F(FakeMasterLoopback, WrongPasswordIsRefused) {
  FakeMasterOptions options;
  options.password = "secret";
  options.timeout = kShort;
  master_ = std::make_unique<FakeMaster>(std::move(options), &transcript_);
  ASSERT_TRUE(master_->Listen(io_.get_executor()).ok());
  FakeReplicaOptions replica_options;
  replica_options.password = "wrong";
  auto replica = MakeReplica(replica_options);

  auto handshake = [](FakeReplica* r) -> Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await r->Connect());
    co_return co_await r->Handshake();
  };
  auto serve = [](FakeMaster* m) -> Awaitable<Result<repl::SyncRequest>> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->Accept());
    co_return co_await m->AnswerHandshake();
  };
  auto [served, shaken] = RunBoth(io_, serve(master_.get()), handshake(replica.get()));
  ASSERT_FALSE(shaken.ok());
  EXPECT_THAT(shaken.message(), HasSubstr("WRONGPASS"));
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.error().kind, ErrorKind::kTimeout);
  EXPECT_THAT(transcript_.Render(), ::testing::Not(HasSubstr("AUTH wrong")));
}

TEST_F(FakeMasterLoopback, LegacySyncGetsNoFullResyncLine) {
  auto replica = MakeReplica();
  auto sync = [](FakeReplica* r, uint64_t start) -> Awaitable<Result<RdbSummary>> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await r->Connect());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await r->Handshake());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await r->Sync(start));
    co_return co_await r->ReceiveRdb();
  };
  auto [served, received] =
      RunBoth(io_, ServeSync(master_.get(), {}), sync(replica.get(), master_->offset()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_TRUE(received.ok()) << received.message() << "\n" << transcript_.Tail(20);
  EXPECT_TRUE(master_->last_sync_request()->is_sync);
  EXPECT_EQ(received->keys, 3u);
  ExpectSameKeyspace(*replica);
}

// --- MasterBugs ---

TEST_F(FakeMasterLoopback, BugGlueStreamToMark) {
  MasterBugs bugs;
  bugs.glue_stream_to_mark = true;
  StartMaster(bugs);
  auto replica = MakeReplica();
  auto serve = [](FakeMaster* m) -> Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->Accept());
    auto request = co_await m->AnswerHandshake();
    if (!request.ok()) co_return request.error();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->SendFullResync());
    RdbSendOptions options;
    options.framing = Framing::kEofMark;
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await m->SendRdb(options));
    std::vector<std::string> set = {"SET", "glued", "1"};  // GCC 12: no braced list in co_await
    co_return co_await m->Propagate(std::move(set));
  };
  auto [served, received] = RunBoth(io_, serve(master_.get()), FullSync(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_TRUE(received.ok()) << received.message() << "\n" << transcript_.Tail(20);
  ASSERT_EQ(replica->stats().violations.size(), 1u);
  EXPECT_EQ(replica->stats().violations[0].rule, rules::kEofStreamAfterFirstAck);
  EXPECT_THAT(replica->stats().violations[0].what,
              HasSubstr("after the EOF mark before the replica's first ACK"));
}

TEST_F(FakeMasterLoopback, BugInlineGarbageIsNotCounted) {
  MasterBugs bugs;
  bugs.inline_garbage_after_command = "garbage\r\n";
  StartMaster(bugs);
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntilQuiet(kShort)).ok());
  ASSERT_FALSE(replica->stats().violations.empty());
  EXPECT_EQ(replica->stats().violations[0].rule, rules::kNoInlineFromMaster);
  EXPECT_THAT(replica->stats().violations[0].what, HasSubstr("inline text"));
  // The replica counted the garbage; the master did not.
  EXPECT_EQ(replica->offset(), master_->offset() + 9);
}

TEST_F(FakeMasterLoopback, BugSkipSelectAfterFullSyncReliesOnReplStreamDb) {
  MasterBugs bugs;
  bugs.skip_select_after_full_sync = true;
  StartMaster(bugs);
  ASSERT_TRUE(Run(master_->Propagate({"SELECT", "4"})).ok());
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  ASSERT_TRUE(Run(master_->Propagate({"SET", "in4", "v"})).ok());
  ASSERT_TRUE(Run(replica->ReadStreamUntil(master_->offset())).ok());
  EXPECT_EQ(replica->stats().selects, 0u);
  ExpectSameKeyspace(*replica);  // the replica honoured repl-stream-db 4
  EXPECT_NE(replica->model().Find(4, "in4"), nullptr);
}

TEST_F(FakeMasterLoopback, BugFullResyncOverride) {
  MasterBugs bugs;
  bugs.fullresync_override = "+FULLRESYNC notanid 0";
  StartMaster(bugs);
  auto replica = MakeReplica();
  auto [served, received] = RunBoth(io_, ServeSync(master_.get(), {}), FullSync(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_FALSE(received.ok());
  EXPECT_THAT(received.message(), HasSubstr("notanid"));
}

TEST_F(FakeMasterLoopback, BugHandshakeReplyOverride) {
  MasterBugs bugs;
  bugs.handshake_reply_overrides["PING"] = "-ERR nope\r\n";
  StartMaster(bugs);
  auto replica = MakeReplica();
  auto [served, received] = RunBoth(io_, ServeSync(master_.get(), {}), FullSync(replica.get()));
  ASSERT_FALSE(received.ok());
  EXPECT_THAT(received.message(), HasSubstr("-ERR nope"));
  ASSERT_FALSE(served.ok());
}

// Sends +FULLRESYNC and an RDB shaped by the bugs; returns the replica's view of it.
struct BrokenRdbCase {
  const char* name;
  MasterBugs bugs;
  Framing framing;
  const char* error;  // a substring of the fake replica's error
};

void PrintTo(const BrokenRdbCase& c, std::ostream* os) { *os << c.name; }

class BrokenRdb : public FakeMasterLoopback, public ::testing::WithParamInterface<BrokenRdbCase> {};

TEST_P(BrokenRdb, TheReplicaNoticesIt) {
  StartMaster(GetParam().bugs);
  FakeReplicaOptions options;
  auto replica = MakeReplica(options);
  replica->mutable_options().timeout = kShort;
  RdbSendOptions send;
  send.framing = GetParam().framing;
  auto [served, received] = RunBoth(io_, ServeSync(master_.get(), send), FullSync(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_FALSE(received.ok()) << transcript_.Tail(20);
  EXPECT_THAT(received.message(), HasSubstr(GetParam().error));
}

MasterBugs Bugs(void (*set)(MasterBugs*)) {
  MasterBugs bugs;
  set(&bugs);
  return bugs;
}

INSTANTIATE_TEST_SUITE_P(
    FakeMasterLoopback, BrokenRdb,
    ::testing::Values(
        BrokenRdbCase{"FlippedChecksumByte", Bugs([](MasterBugs* b) { b->flip_rdb_byte_at = 189; }),
                      Framing::kLength, "CRC64 mismatch"},
        BrokenRdbCase{"TruncatedLength", Bugs([](MasterBugs* b) { b->truncate_rdb_at = 100; }),
                      Framing::kLength, "timed out"},
        BrokenRdbCase{"TruncatedEofMark", Bugs([](MasterBugs* b) { b->truncate_rdb_at = 100; }),
                      Framing::kEofMark, ""},
        BrokenRdbCase{"WrongEofMark", Bugs([](MasterBugs* b) { b->wrong_eof_mark = true; }),
                      Framing::kEofMark, ""},
        BrokenRdbCase{"ShortLength", Bugs([](MasterBugs* b) { b->rdb_length_delta = -9; }),
                      Framing::kLength, ""},
        BrokenRdbCase{"PayloadOverride",
                      Bugs([](MasterBugs* b) { b->rdb_payload_override = "REDIS0010garbage"; }),
                      Framing::kLength, ""},
        BrokenRdbCase{"NoFullResyncLine",
                      Bugs([](MasterBugs* b) { b->skip_fullresync_line = true; }), Framing::kLength,
                      "$"}),
    [](const ::testing::TestParamInfo<BrokenRdbCase>& info) { return info.param.name; });

// A fake master answering +CONTINUE with `line`, and a replica announcing `capabilities`
// that syncs, loses the link and resumes: what the replica made of the reply.
struct ContinueCase {
  std::string line;
  std::vector<std::string> capabilities;
};

TEST_F(FakeMasterLoopback, ContinueFormFollowsTheReplicasCapabilities) {
  const ContinueCase cases[] = {
      {"+CONTINUE", {"eof", "psync2"}},                // bare to psync2: rule M4
      {"+CONTINUE " + std::string(40, 'a'), {"eof"}},  // replid to psync1: rule M4
      {"+CONTINUE", {"eof"}},                          // bare to psync1: fine
  };
  for (const ContinueCase& c : cases) {
    SCOPED_TRACE(c.line);
    MasterBugs bugs;
    bugs.continue_override = c.line;
    StartMaster(bugs);
    auto replica = MakeReplica();
    replica->mutable_options().capabilities = c.capabilities;
    SyncReplica(replica.get(), Framing::kLength);
    const std::string replid = master_->replid();
    master_->Disconnect();
    replica->Disconnect();
    auto [served, resumed] = RunBoth(io_, ServeSync(master_.get(), {}), Resume(replica.get()));
    ASSERT_TRUE(served.ok()) << served.message();
    ASSERT_TRUE(resumed.ok()) << resumed.message();
    EXPECT_EQ(resumed->kind, repl::SyncReply::Kind::kContinue);
    const bool psync2 = c.capabilities.size() == 2;
    const bool bare = c.line == "+CONTINUE";
    if (bare) {
      EXPECT_EQ(replica->replid(), replid);  // kept
    }
    if (psync2 == bare) {
      ASSERT_EQ(replica->stats().violations.size(), 1u);
      EXPECT_EQ(replica->stats().violations[0].rule, rules::kContinueReply);
    } else {
      EXPECT_TRUE(replica->stats().violations.empty());
    }
  }
}

TEST_F(FakeMasterLoopback, ExpectSilenceHoldsUntilTheMasterWrites) {
  auto replica = MakeReplica();
  SyncReplica(replica.get(), Framing::kLength);
  EXPECT_TRUE(Run(replica->ExpectSilence(kShort)).ok());
  ASSERT_TRUE(Run(master_->Propagate({"SET", "k", "v"})).ok());
  Status heard = Run(replica->ExpectSilence(kShort));
  ASSERT_FALSE(heard.ok());
  EXPECT_THAT(heard.message(), HasSubstr("SET"));
}

TEST_F(FakeMasterLoopback, CutMidRdbByTheFaultPlan) {
  auto replica = MakeReplica();
  RdbSendOptions options;
  options.cut = RdbSendCut{0.5, net::CutAction::kReset};
  auto [served, received] =
      RunBoth(io_, ServeSync(master_.get(), options), FullSync(replica.get()));
  ASSERT_TRUE(served.ok()) << served.message();
  EXPECT_FALSE(master_->connected());
  ASSERT_FALSE(received.ok());
}

}  // namespace
}  // namespace conformance::fakes
