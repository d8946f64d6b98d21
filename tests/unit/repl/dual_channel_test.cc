#include "harness/repl/dual_channel.h"

#include <gtest/gtest.h>

#include "harness/repl/sync_reply.h"

namespace conformance::repl {
namespace {

const std::string kReplid = "8b9a3ec7f4b44a4d5d1e3b0f8c3e2a1b9d0c7e6f";

TEST(DualChannelTest, TheEndOffsetLineRoundTrips) {
  const EndOffset sent{1234, kReplid, 3, 17};
  const std::string line = EndOffsetLine(sent);
  EXPECT_EQ(line, "$ENDOFF:1234 " + kReplid + " 3 17\r\n");
  auto parsed = ParseEndOffset(line.substr(0, line.size() - 2));
  ASSERT_TRUE(parsed.ok()) << parsed.message();
  EXPECT_EQ(parsed->offset, 1234);
  EXPECT_EQ(parsed->replid, kReplid);
  EXPECT_EQ(parsed->dbid, 3);
  EXPECT_EQ(parsed->client_id, 17u);
}

TEST(DualChannelTest, AMalformedEndOffsetNamesWhatIsWrong) {
  for (const std::string& line :
       {std::string("$EOF:") + kReplid, "$ENDOFF:x " + kReplid + " 0 1", std::string("$ENDOFF:5 abc 0 1"),
        "$ENDOFF:5 " + kReplid + " -1 1", "$ENDOFF:5 " + kReplid + " 0", "$ENDOFF:5 " + kReplid + " 0 1 2",
        "$ENDOFF:5 " + kReplid + " 0 -1", std::string("$ENDOFF:")}) {
    auto parsed = ParseEndOffset(line);
    ASSERT_FALSE(parsed.ok()) << line;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kProtocol);
    EXPECT_NE(parsed.message().find("$ENDOFF"), std::string::npos);
  }
}

TEST(DualChannelTest, TheRdbChannelAnnouncesItselfInOneReplconf) {
  EXPECT_EQ(RdbChannelReplconf(6380), (std::vector<std::string>{"REPLCONF", "capa", "eof", "rdb-only", "1",
                                                                "rdb-channel", "1", "listening-port", "6380"}));
  EXPECT_EQ(SetRdbClientId(9), (std::vector<std::string>{"REPLCONF", "set-rdb-client-id", "9"}));
}

TEST(DualChannelTest, DualChannelSyncIsAReplyOfItsOwn) {
  auto reply = ParseSyncReply("+DUALCHANNELSYNC");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->kind, SyncReply::Kind::kDualChannel);
  EXPECT_FALSE(ParseSyncReply("+DUALCHANNELSYNCX").ok());
}

}  // namespace
}  // namespace conformance::repl
