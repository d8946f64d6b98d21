#include "harness/fuzz/exchange.h"

#include <gtest/gtest.h>

#include "harness/fuzz/mutators.h"
#include "harness/rdb/reader.h"

namespace conformance::fuzz {
namespace {

class CountKeys : public rdb::Handler {
 public:
  Status OnKey(std::string, data::Entry, const rdb::KeyMeta&) override {
    ++keys;
    return OkStatus();
  }
  int keys = 0;
};

TEST(ExchangeTest, TheValidExchangeIsAValidFullSync) {
  for (int version : {6, 9, 10, 11}) {
    ExchangeOptions options;
    options.seed = 7;
    options.keys = 9;
    options.rdb_version = version;
    auto exchange = BuildExchange(options);
    ASSERT_TRUE(exchange.ok()) << exchange.message();
    CountKeys handler;
    rdb::Reader reader(&handler);
    ASSERT_TRUE(reader.Feed(exchange->rdb).ok());
    ASSERT_TRUE(reader.Finish().ok());
    EXPECT_EQ(handler.keys, 9) << "RDB " << version;
    EXPECT_FALSE(RdbChecksumMismatch(*exchange));
    EXPECT_EQ(exchange->preamble, "$" + std::to_string(exchange->rdb.size()) + "\r\n");
    EXPECT_EQ(exchange->sync_reply.rfind("+FULLRESYNC ", 0), 0u);
    EXPECT_EQ(exchange->stream_command_starts.size(), 5u);  // SELECT and four commands
  }
}

TEST(ExchangeTest, EofFramingAnnouncesAndEndsWithTheSameMark) {
  ExchangeOptions options;
  options.eof_framing = true;
  auto exchange = BuildExchange(options);
  ASSERT_TRUE(exchange.ok());
  EXPECT_EQ(exchange->preamble, "$EOF:" + exchange->eof_mark + "\r\n");
  EXPECT_EQ(exchange->trailer, exchange->eof_mark);
  EXPECT_EQ(exchange->eof_mark.size(), 40u);
}

TEST(ExchangeTest, TheLayoutNamesEveryKeyRecord) {
  ExchangeOptions options;
  options.keys = 5;
  auto exchange = BuildExchange(options);
  ASSERT_TRUE(exchange.ok());
  int keys = 0;
  size_t previous_end = 0;
  for (const repl::RdbRecord& record : exchange->rdb_records) {
    EXPECT_EQ(record.begin, previous_end);  // records tile the file
    previous_end = record.end;
    if (record.kind == repl::RdbRecord::Kind::kKey) ++keys;
  }
  EXPECT_EQ(previous_end, exchange->rdb.size());
  EXPECT_EQ(keys, 5);
}

TEST(ExchangeTest, SyncReplicasGetNoFullResyncLine) {
  ExchangeOptions options;
  options.psync = false;
  auto exchange = BuildExchange(options);
  ASSERT_TRUE(exchange.ok());
  EXPECT_TRUE(exchange->sync_reply.empty());
  EXPECT_EQ(exchange->AfterHandshake().rfind("$", 0), 0u);
}

TEST(ExchangeTest, SameOptionsSameBytes) {
  ExchangeOptions options;
  options.seed = 99;
  auto a = BuildExchange(options);
  auto b = BuildExchange(options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->AfterHandshake(), b->AfterHandshake());
}

}  // namespace
}  // namespace conformance::fuzz
