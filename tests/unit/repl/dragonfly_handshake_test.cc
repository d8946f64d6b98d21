#include "harness/repl/dragonfly_handshake.h"

#include <gtest/gtest.h>

#include "harness/resp/decoder.h"

namespace conformance::repl::dragonfly {
namespace {

const std::string kReplid(40, 'a');

resp::Value Decode(const std::string& bytes) {
  resp::Decoder decoder;
  decoder.Feed(bytes);
  resp::Value value;
  EXPECT_EQ(decoder.Next(&value), resp::DecodeStatus::kValue) << bytes;
  return value;
}

TEST(DragonflyHandshakeTest, CapaRepliesOfEveryEraRoundTrip) {
  CapaReply old_master{kReplid, SyncId(1), 4, std::nullopt, std::nullopt};      // 1.3 and older
  CapaReply middle{kReplid, SyncId(2), 8, 3, std::nullopt};                      // 1.4 to 1.39
  CapaReply current{kReplid, SyncId(3), 2, 5, std::string(40, 'b')};            // 1.40
  for (const CapaReply& sent : {old_master, middle, current}) {
    auto parsed = ParseCapaReply(Decode(EncodeCapaReply(sent)));
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    EXPECT_EQ(parsed->replid, sent.replid);
    EXPECT_EQ(parsed->sync_id, sent.sync_id);
    EXPECT_EQ(parsed->flows, sent.flows);
    EXPECT_EQ(parsed->version, sent.version);
    EXPECT_EQ(parsed->lineage, sent.lineage);
  }
  EXPECT_EQ(EncodeCapaReply(current), "*5\r\n+" + kReplid + "\r\n+SYNC3\r\n:2\r\n:5\r\n+" + std::string(40, 'b') + "\r\n");
}

TEST(DragonflyHandshakeTest, ACapaReplyIsReadAsStrictlyAsAReplicaReadsIt) {
  EXPECT_NE(ParseCapaReply(Decode("*1\r\n+OK\r\n")).message().find("Redis-protocol master"), std::string::npos);
  EXPECT_FALSE(ParseCapaReply(Decode("*2\r\n+" + kReplid + "\r\n+SYNC1\r\n")).ok());
  EXPECT_FALSE(ParseCapaReply(Decode("*3\r\n+" + kReplid + "\r\n+SYNC1\r\n+4\r\n")).ok());  // not :4
  EXPECT_FALSE(ParseCapaReply(Decode("*3\r\n+abc\r\n+SYNC1\r\n:4\r\n")).ok());
  EXPECT_FALSE(ParseCapaReply(Decode("*3\r\n+" + kReplid + "\r\n+SYNC1\r\n:0\r\n")).ok());
  EXPECT_FALSE(ParseCapaReply(Decode("*3\r\n+" + kReplid + "\r\n+SYNC1\r\n:1025\r\n")).ok());
  EXPECT_TRUE(ParseCapaReply(Decode("*3\r\n$40\r\n" + kReplid + "\r\n$5\r\nSYNC1\r\n:1024\r\n")).ok());
  EXPECT_FALSE(ParseCapaReply(Decode("*4\r\n+" + kReplid + "\r\n+SYNC1\r\n:4\r\n+5\r\n")).ok());
}

TEST(DragonflyHandshakeTest, FlowCommandsOfTheThreeFormsRoundTrip) {
  FlowRequest plain{kReplid, SyncId(7), 3, std::nullopt, std::nullopt, {}};
  FlowRequest reconnect{kReplid, SyncId(7), 0, 42, std::nullopt, {}};
  FlowRequest failover{kReplid, SyncId(7), 1, std::nullopt, std::string(40, 'c'), {5, 9, 12}};
  EXPECT_EQ(FlowCommand(plain), (std::vector<std::string>{"DFLY", "FLOW", kReplid, "SYNC7", "3"}));
  EXPECT_EQ(FlowCommand(failover).back(), "5-9-12");
  for (const FlowRequest& sent : {plain, reconnect, failover}) {
    auto parsed = ParseFlowCommand(FlowCommand(sent));
    ASSERT_TRUE(parsed.ok()) << parsed.message();
    EXPECT_EQ(parsed->flow, sent.flow);
    EXPECT_EQ(parsed->lsn, sent.lsn);
    EXPECT_EQ(parsed->last_master_id, sent.last_master_id);
    EXPECT_EQ(parsed->lsns, sent.lsns);
  }
  EXPECT_FALSE(ParseFlowCommand({"DFLY", "FLOW", kReplid, "SYNCx", "0"}).ok());
  EXPECT_FALSE(ParseFlowCommand({"DFLY", "FLOW", kReplid, "SYNC1"}).ok());
  EXPECT_FALSE(ParseFlowCommand({"DFLY", "FLOW", kReplid, "SYNC1", "0", "a", "1-2", "x"}).ok());
  EXPECT_FALSE(ParseFlowCommand({"DFLY", "FLOW", kReplid, "SYNC1", "0", "a", "1--2"}).ok());
}

TEST(DragonflyHandshakeTest, FlowRepliesAreFullOrPartialWithAToken) {
  const FlowReply full{true, std::string(40, 'f')};
  auto parsed = ParseFlowReply(Decode(EncodeFlowReply(full)));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->full);
  EXPECT_FALSE(ParseFlowReply(Decode("*2\r\n+HALF\r\n+" + std::string(40, 'f') + "\r\n")).ok());
  EXPECT_FALSE(ParseFlowReply(Decode("-ERR bad master id\r\n")).ok());
  EXPECT_FALSE(ParseFlowReply(Decode("*2\r\n+FULL\r\n+short\r\n")).ok());
}

}  // namespace
}  // namespace conformance::repl::dragonfly
