// Valkey's dual-channel sync between the two fakes over loopback: the fake master serves the
// snapshot on an RDB channel and continues the main link at its end, the fake replica loads
// it and follows the stream. Writes made while the snapshot is in flight, the RDB channel cut
// half-way, the main link cut, a master that does not offer it, and a replica that names the
// wrong RDB channel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asio/io_context.hpp>

#include "fakes/dual_channel_master.h"
#include "fakes/dual_channel_replica.h"
#include "harness/rules/ids.h"
#include "tests/unit/fakes/test_support.h"

namespace conformance::fakes {
namespace {

using ::testing::HasSubstr;
using testing::RunBoth;
using testing::StringEntry;

constexpr Duration kTimeout{3000};

bool IsLinkEnd(const Error& error) { return error.kind == ErrorKind::kClosed || error.kind == ErrorKind::kReset; }

class DualChannelLoopback : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeMasterOptions options;
    options.timeout = kTimeout;
    options.seed = 7;
    master_ = std::make_unique<FakeMaster>(std::move(options), &transcript_);
    ASSERT_TRUE(master_->Listen(io_.get_executor()).ok());
    for (int i = 0; i < 2000; ++i) {
      master_->model().Set(i % 3, "key:" + std::to_string(i), StringEntry(std::string(100, 'v') + std::to_string(i)));
    }
    ASSERT_TRUE(Run(master_->Propagate({"SET", "history", "1"})).ok());  // not at offset 0

    FakeReplicaOptions replica;
    replica.port = master_->port();
    replica.timeout = kTimeout;
    replica.capabilities = {"eof", "psync2", "dual-channel"};
    main_ = std::make_unique<FakeReplica>(replica, &transcript_);
    rdb_ = std::make_unique<FakeReplica>(RdbChannelOptions(replica), &transcript_);
  }

  template <typename T>
  T Run(asio::awaitable<T> operation) {
    return testing::Run(io_, std::move(operation));
  }

  // The master's side up to the snapshot, with `writes` propagated while it is in flight.
  Awaitable<Result<DualChannelServe>> Serve(DualChannelSnapshotOptions options, int writes) {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await master_->Accept());
    auto request = co_await master_->AnswerHandshake();
    if (!request.ok()) co_return request.error();
    options.timeout = kTimeout;
    auto serve = co_await ServeDualChannelSnapshot(*master_, options);
    if (!serve.ok()) co_return serve;
    for (int i = 0; i < writes; ++i) {
      std::vector<std::string> write = {"INCR", "during:" + std::to_string(i % 5)};
      CONFORMANCE_CO_RETURN_IF_ERROR(co_await master_->Propagate(std::move(write)));
    }
    co_return serve;
  }

  Awaitable<Result<DualChannelSession>> Start() {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await main_->Connect());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await main_->Handshake());
    co_return co_await StartDualChannelSync(*main_, *rdb_);
  }

  asio::io_context io_;
  Transcript transcript_;
  std::unique_ptr<FakeMaster> master_;
  std::unique_ptr<FakeReplica> main_;
  std::unique_ptr<FakeReplica> rdb_;
};

// The master continues the main link only once it has read PSYNC, so both sides run together.
Awaitable<Result<repl::PsyncDecision>> ServeAndContinue(FakeMaster* master, Awaitable<Result<DualChannelServe>> serving,
                                                        std::optional<DualChannelServe>* kept) {
  auto serve = co_await std::move(serving);
  if (!serve.ok()) co_return serve.error();
  auto decision = co_await ContinueDualChannel(*master, *serve, kTimeout);
  kept->emplace(std::move(serve).value());
  co_return decision;
}

TEST_F(DualChannelLoopback, WritesDuringTheTransferReachTheReplicaInTheStream) {
  std::optional<DualChannelServe> serve;
  auto [continued, started] =
      RunBoth(io_, ServeAndContinue(master_.get(), Serve({}, 50), &serve), Start());
  ASSERT_TRUE(continued.ok()) << continued.message() << "\n" << transcript_.Tail(20);
  ASSERT_TRUE(started.ok()) << started.message() << "\n" << transcript_.Tail(20);
  EXPECT_EQ(continued->kind, repl::PsyncDecision::Kind::kContinue);
  ASSERT_TRUE(started->dual);
  EXPECT_EQ(started->end_offset.replid, master_->replid());
  EXPECT_EQ(started->end_offset.client_id, serve->end_offset.client_id);
  EXPECT_LT(static_cast<uint64_t>(started->end_offset.offset), master_->offset());  // writes came after

  auto loaded = Run(LoadDualChannelSnapshot(*main_, *rdb_, *started));
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_EQ(loaded->keys, 2001u);
  EXPECT_EQ(loaded->framing, repl::RdbTransfer::Framing::kEofMark);
  EXPECT_FALSE(rdb_->connected());  // closed once the snapshot is in
  ASSERT_TRUE(Run(main_->ReadStreamUntil(master_->offset())).ok()) << transcript_.Tail(20);
  EXPECT_EQ(main_->offset(), master_->offset());
  EXPECT_EQ(master_->model().ComputeDigest(), main_->model().ComputeDigest());
  ASSERT_TRUE(Run(main_->SendAck()).ok());
  auto ack = Run(master_->WaitForAck(master_->offset()));
  ASSERT_TRUE(ack.ok()) << ack.message();
}

TEST_F(DualChannelLoopback, AnRdbChannelCutHalfWayEndsTheLoadOnALinkError) {
  DualChannelSnapshotOptions options;
  options.cut_at = 0.5;
  std::optional<DualChannelServe> serve;
  auto [continued, started] =
      RunBoth(io_, ServeAndContinue(master_.get(), Serve(options, 5), &serve), Start());
  ASSERT_TRUE(continued.ok()) << continued.message();
  ASSERT_TRUE(started.ok()) << started.message();
  EXPECT_TRUE(serve->cut);
  auto loaded = Run(LoadDualChannelSnapshot(*main_, *rdb_, *started));
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(IsLinkEnd(loaded.error())) << loaded.message();
  EXPECT_EQ(main_->model().size(), 0u);  // nothing half-loaded reaches the main link
}

TEST_F(DualChannelLoopback, AMainLinkCutBeforeTheContinueEndsTheReplicasSession) {
  auto cut_main = [this]() -> Awaitable<Result<DualChannelServe>> {
    auto serve = co_await Serve({}, 0);
    master_->Disconnect();
    co_return serve;
  };
  auto [served, started] = RunBoth(io_, cut_main(), Start());
  ASSERT_TRUE(served.ok()) << served.message();
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(IsLinkEnd(started.error())) << started.message();
}

TEST_F(DualChannelLoopback, AMasterThatDoesNotOfferItSyncsOnTheOneLink) {
  auto full = [this]() -> Awaitable<Result<repl::PsyncDecision>> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await master_->Accept());
    auto request = co_await master_->AnswerHandshake();
    if (!request.ok()) co_return request.error();
    co_return co_await master_->AnswerSync(*request);
  };
  auto [answered, started] = RunBoth(io_, full(), Start());
  ASSERT_TRUE(answered.ok()) << answered.message();
  ASSERT_TRUE(started.ok()) << started.message();
  EXPECT_FALSE(started->dual);
  auto loaded = Run(LoadDualChannelSnapshot(*main_, *rdb_, *started));
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_FALSE(rdb_->connected());  // never opened
  ASSERT_TRUE(Run(master_->Propagate({"SET", "after", "1"})).ok());
  ASSERT_TRUE(Run(main_->ReadStreamUntil(master_->offset())).ok());
  EXPECT_EQ(master_->model().ComputeDigest(), main_->model().ComputeDigest());
}

TEST_F(DualChannelLoopback, AReplicaThatNamesAnotherRdbChannelBreaksH9) {
  // The replica's half, by hand: the right RDB channel, then the wrong client id.
  auto wrong = [this]() -> Awaitable<Status> {
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await main_->Connect());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await main_->Handshake());
    auto reply = co_await main_->Psync("?", -1);
    if (!reply.ok()) co_return reply.error();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_->Connect());
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_->Send(repl::RdbChannelReplconf(6380)));
    (void)co_await rdb_->ReadReply();
    CONFORMANCE_CO_RETURN_IF_ERROR(co_await rdb_->SendRaw("SYNC\r\n"));
    (void)co_await rdb_->ReadLine("$ENDOFF");
    co_return co_await main_->Send(repl::SetRdbClientId(999));
  };
  std::optional<DualChannelServe> serve;
  auto [continued, sent] = RunBoth(io_, ServeAndContinue(master_.get(), Serve({}, 0), &serve), wrong());
  ASSERT_TRUE(sent.ok()) << sent.message();
  ASSERT_FALSE(continued.ok());
  EXPECT_EQ(continued.error().kind, ErrorKind::kProtocol);
  EXPECT_THAT(continued.message(), HasSubstr("set-rdb-client-id"));
  EXPECT_THAT(continued.message(), HasSubstr(std::string(rules::kDualChannelReplica)));
}

}  // namespace
}  // namespace conformance::fakes
