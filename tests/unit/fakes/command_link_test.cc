// The link under a fake master: several links from one listener at once, each with its own
// decoder, evidence and channel; keepalives counted apart; a close expected but data sent.
#include "fakes/command_link.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <asio/io_context.hpp>

#include "tests/unit/fakes/test_support.h"

namespace conformance::fakes {
namespace {

using ::testing::HasSubstr;
using testing::RunBoth;

constexpr net::Duration kTimeout{3000};

class CommandLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto listener = net::Listener::Bind(io_.get_executor());
    ASSERT_TRUE(listener.ok()) << listener.message();
    listener_ = std::move(listener).value();
  }

  // Connects a client and accepts it as a link named `channel`.
  std::pair<std::unique_ptr<net::Connection>, std::unique_ptr<CommandLink>> Pair(const std::string& channel) {
    auto [client, link] = RunBoth(
        io_, net::Connection::Connect("127.0.0.1", listener_->port(), kTimeout, "client-" + channel, &transcript_),
        CommandLink::Accept(*listener_, kTimeout, channel, &transcript_, {}, kTimeout));
    EXPECT_TRUE(client.ok()) << client.message();
    EXPECT_TRUE(link.ok()) << link.message();
    return {std::move(client).value(), std::move(link).value()};
  }

  asio::io_context io_;
  Transcript transcript_;
  std::unique_ptr<net::Listener> listener_;
};

TEST_F(CommandLinkTest, LinksFromOneListenerKeepTheirOwnEvidence) {
  auto [main_client, main] = Pair("main");
  auto [flow_client, flow] = Pair("flow-0");
  ASSERT_TRUE(testing::Run(io_, flow_client->Write("*2\r\n$4\r\nDFLY\r\n$4\r\nFLOW\r\n", kTimeout)).ok());
  ASSERT_TRUE(testing::Run(io_, main_client->Write("\n*1\r\n$4\r\nPING\r\n*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n5\r\n",
                                          kTimeout))
                  .ok());
  auto keepalive = testing::Run(io_, main->ReadCommand(main->StartWait(kTimeout)));
  ASSERT_TRUE(keepalive.ok()) << keepalive.message();
  EXPECT_EQ(keepalive->kind, repl::ReplicaCommandKind::kKeepalive);
  auto ping = testing::Run(io_, main->ReadCommand(main->StartWait(kTimeout)));
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->kind, repl::ReplicaCommandKind::kPing);
  auto ack = testing::Run(io_, main->ReadCommand(main->StartWait(kTimeout)));
  ASSERT_TRUE(ack.ok());
  ASSERT_TRUE(ack->ack);
  EXPECT_EQ(ack->ack->offset, 5u);
  auto dfly = testing::Run(io_, flow->ReadCommand(flow->StartWait(kTimeout)));
  ASSERT_TRUE(dfly.ok());
  EXPECT_EQ(dfly->argv, (std::vector<std::string>{"DFLY", "FLOW"}));

  EXPECT_EQ(main->received().size(), 2u);  // the keepalive is counted, not kept
  EXPECT_EQ(main->keepalives_received(), 1u);
  EXPECT_EQ(flow->received().size(), 1u);
  EXPECT_THAT(main->FramesSeen(), HasSubstr("PING"));
  EXPECT_THAT(flow->FramesSeen(), ::testing::Not(HasSubstr("PING")));
  EXPECT_THAT(transcript_.Render(), HasSubstr("flow-0"));
}

TEST_F(CommandLinkTest, AReadEndsAtItsDeadlineAndAClosedLinkKeepsItsEvidence) {
  auto [client, link] = Pair("main");
  ASSERT_TRUE(testing::Run(io_, client->Write("*1\r\n$4\r\nPING\r\n", kTimeout)).ok());
  ASSERT_TRUE(testing::Run(io_, link->ReadCommand(link->StartWait(kTimeout))).ok());
  auto nothing = testing::Run(io_, link->ReadCommand(link->StartWait(net::Duration(50))));
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().kind, ErrorKind::kTimeout);
  link->Close();
  EXPECT_FALSE(link->connected());
  EXPECT_EQ(link->received().size(), 1u);
  auto closed = testing::Run(io_, link->ReadCommand(link->StartWait(kTimeout)));
  EXPECT_EQ(closed.error().kind, ErrorKind::kClosed);
}

TEST_F(CommandLinkTest, ExpectCloseFailsOnDataAndPassesOnClose) {
  auto [client, link] = Pair("main");
  ASSERT_TRUE(testing::Run(io_, client->Write("*1\r\n$4\r\nPING\r\n", kTimeout)).ok());
  Status refused = testing::Run(io_, link->ExpectClose(net::Duration(500)));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kProtocol);

  auto [other_client, other] = Pair("other");
  other_client->Close();
  EXPECT_TRUE(testing::Run(io_, other->ExpectClose(kTimeout)).ok());
  EXPECT_FALSE(other->connected());
}

TEST_F(CommandLinkTest, BytesThatAreNoCommandAreAProtocolError) {
  auto [client, link] = Pair("main");
  ASSERT_TRUE(testing::Run(io_, client->Write("*1\r\n:5\r\n", kTimeout)).ok());
  auto bad = testing::Run(io_, link->ReadCommand(link->StartWait(kTimeout)));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kProtocol);
  EXPECT_THAT(bad.message(), HasSubstr("no command"));
}

}  // namespace
}  // namespace conformance::fakes
