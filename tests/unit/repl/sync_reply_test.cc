#include "harness/repl/sync_reply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::repl {
namespace {

const std::string kId = "0123456789abcdef0123456789abcdef01234567";

TEST(SyncReply, FullResync) {
  auto reply = ParseSyncReply("+FULLRESYNC " + kId + " 1234");
  ASSERT_TRUE(reply.ok()) << reply.message();
  EXPECT_EQ(reply->kind, SyncReply::Kind::kFullResync);
  EXPECT_EQ(reply->replid, kId);
  EXPECT_EQ(reply->offset, 1234);
}

TEST(SyncReply, ContinueWithAndWithoutNewId) {
  auto bare = ParseSyncReply("+CONTINUE");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->kind, SyncReply::Kind::kContinue);
  EXPECT_TRUE(bare->replid.empty());
  auto with_id = ParseSyncReply("+CONTINUE " + kId);
  ASSERT_TRUE(with_id.ok());
  EXPECT_EQ(with_id->replid, kId);
}

TEST(SyncReply, RetryLaterAndFallbackErrors) {
  EXPECT_EQ(ParseSyncReply("-NOMASTERLINK Can't SYNC").value().kind, SyncReply::Kind::kRetryLater);
  EXPECT_EQ(ParseSyncReply("-LOADING loading").value().kind, SyncReply::Kind::kRetryLater);
  EXPECT_EQ(ParseSyncReply("-ERR unknown command").value().kind, SyncReply::Kind::kError);
}

TEST(SyncReply, MalformedRepliesNameTheLine) {
  for (const std::string& line : std::vector<std::string>{"+FULLRESYNC", "+FULLRESYNC " + kId, "+FULLRESYNC short 1",
                                 "+FULLRESYNC " + kId + " x", "+CONTINUE zz", "+OK", "$5"}) {
    auto reply = ParseSyncReply(line);
    ASSERT_FALSE(reply.ok()) << line;
    EXPECT_THAT(reply.message(), testing::HasSubstr("malformed PSYNC reply")) << line;
  }
}

}  // namespace
}  // namespace conformance::repl
