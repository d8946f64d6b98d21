#include "harness/repl/rdb_transfer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::repl {
namespace {

struct Fed {
  std::string payload;
  std::string rest;  // bytes after the transfer
  bool done = false;
};

// Feeds `wire` split at the given points and collects payload and leftovers.
Fed FeedSplit(RdbTransfer& transfer, const std::string& wire, std::vector<size_t> cuts) {
  Fed fed;
  cuts.push_back(wire.size());
  size_t start = 0;
  for (size_t cut : cuts) {
    std::string_view chunk(wire.data() + start, cut - start);
    start = cut;
    if (fed.done) {
      fed.rest += chunk;
      continue;
    }
    auto used = transfer.Feed(chunk, [&](std::string_view p) {
      fed.payload += p;
      return OkStatus();
    });
    EXPECT_TRUE(used.ok()) << used.message();
    if (!used.ok()) return fed;
    if (transfer.done()) {
      fed.done = true;
      fed.rest += chunk.substr(*used);
    }
  }
  return fed;
}

const std::string kMark(40, 'M');

TEST(RdbTransfer, LengthFramingAtEverySplitPoint) {
  const std::string wire = "\n\n$11\r\nREDIS0010xyz*1\r\n$4\r\nPING\r\n";
  for (size_t split = 0; split <= wire.size(); ++split) {
    RdbTransfer transfer;
    Fed fed = FeedSplit(transfer, wire, {split});
    ASSERT_TRUE(fed.done) << "split " << split;
    EXPECT_EQ(fed.payload, "REDIS0010xy");
    EXPECT_EQ(fed.rest, "z*1\r\n$4\r\nPING\r\n");
    EXPECT_EQ(transfer.framing(), RdbTransfer::Framing::kLength);
    EXPECT_EQ(transfer.keepalives(), 2u);
  }
}

TEST(RdbTransfer, EofMarkFramingAtEverySplitPointAndByteByByte) {
  const std::string body = "REDIS0010" + std::string(100, 'p');
  const std::string wire = "$EOF:" + kMark + "\r\n" + body + kMark + "*1\r\n";
  for (size_t split = 0; split <= wire.size(); ++split) {
    RdbTransfer transfer;
    Fed fed = FeedSplit(transfer, wire, {split});
    ASSERT_TRUE(fed.done) << "split " << split;
    EXPECT_EQ(fed.payload, body);
    EXPECT_EQ(fed.rest, "*1\r\n");
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < wire.size(); ++i) every.push_back(i);
  RdbTransfer transfer;
  Fed fed = FeedSplit(transfer, wire, every);
  EXPECT_TRUE(fed.done);
  EXPECT_EQ(fed.payload, body);
  EXPECT_EQ(transfer.framing(), RdbTransfer::Framing::kEofMark);
}

TEST(RdbTransfer, ZeroLengthPayloadIsComplete) {
  RdbTransfer transfer;
  Fed fed = FeedSplit(transfer, "$0\r\nrest", {});
  EXPECT_TRUE(fed.done);
  EXPECT_EQ(fed.rest, "rest");
}

TEST(RdbTransfer, FullResyncLineInsteadOfPayloadIsAnError) {
  RdbTransfer transfer;
  auto used = transfer.Feed("+FULLRESYNC abc 0\r\n", [](std::string_view) { return OkStatus(); });
  ASSERT_FALSE(used.ok());
  EXPECT_THAT(used.message(), testing::HasSubstr("+FULLRESYNC"));
}

TEST(RdbTransfer, ShortEofMarkIsAnError) {
  RdbTransfer transfer;
  auto used = transfer.Feed("$EOF:short\r\n", [](std::string_view) { return OkStatus(); });
  ASSERT_FALSE(used.ok());
  EXPECT_THAT(used.message(), testing::HasSubstr("40 bytes"));
}

TEST(RdbTransfer, PreambleLineLimitIsEnforced) {
  RdbTransfer transfer(16);
  auto used = transfer.Feed(std::string(17, '$'), [](std::string_view) { return OkStatus(); });
  ASSERT_FALSE(used.ok());
  EXPECT_THAT(used.message(), testing::HasSubstr("longer than 16"));
}

TEST(RdbTransfer, SinkErrorStopsTheTransfer) {
  RdbTransfer transfer;
  auto used = transfer.Feed("$3\r\nabc", [](std::string_view) { return Status(Error{"bad rdb"}); });
  ASSERT_FALSE(used.ok());
  EXPECT_EQ(used.message(), "bad rdb");
}

}  // namespace
}  // namespace conformance::repl
