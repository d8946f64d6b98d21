#include "harness/repl/dragonfly_journal.h"

#include <gtest/gtest.h>

namespace conformance::repl::dragonfly {
namespace {

// SET foo bar in db 0, txid 5: the worked example of one stable-sync record.
const std::string kSetFooBar("\x06\x00\x0a\x05\x01\x03\x09\x03SET\x03" "foo\x03" "bar", 19);

TEST(DragonflyJournalTest, ACommandEncodesAsAFreshWriterDoes) {
  EXPECT_EQ(EncodeCommand(0, 5, {"SET", "foo", "bar"}), kSetFooBar);
  EXPECT_EQ(EncodePing(), std::string("\x0d", 1));
  EXPECT_EQ(EncodeLsn(1000), std::string("\x0f\x43\xe8", 3));  // 1000 packed in two bytes
  EXPECT_EQ(EncodeLsn(16384), std::string("\x0f\x80\x00\x00\x40\x00", 6));
}

TEST(DragonflyJournalTest, RecordsReadWhateverPiecesTheyArriveIn) {
  const std::string stream = kSetFooBar + EncodePing() + EncodeCommand(3, 6, {"DEL", "k"}) + EncodeLsn(3);
  for (size_t split = 0; split <= stream.size(); ++split) {
    JournalReader reader;
    std::vector<JournalRecord> records;
    for (const std::string_view piece : {std::string_view(stream).substr(0, split), std::string_view(stream).substr(split)}) {
      reader.Feed(piece);
      while (true) {
        auto next = reader.Next();
        ASSERT_TRUE(next.ok()) << next.message();
        if (!*next) break;
        records.push_back(std::move(**next));
      }
    }
    ASSERT_EQ(records.size(), 4u) << "split at " << split;
    EXPECT_EQ(records[0].op, JournalOp::kCommand);
    EXPECT_EQ(records[0].argv, (std::vector<std::string>{"SET", "foo", "bar"}));
    EXPECT_EQ(records[0].txid, 5u);
    EXPECT_EQ(records[0].size, 19u);
    EXPECT_EQ(records[1].op, JournalOp::kPing);
    EXPECT_EQ(records[1].db, 0u);
    EXPECT_EQ(records[2].db, 3u);  // the SELECT before it, folded in
    EXPECT_EQ(records[3].op, JournalOp::kLsn);
    EXPECT_EQ(records[3].lsn, 3u);
    EXPECT_EQ(records[3].db, 3u);  // the database persists
    EXPECT_EQ(reader.consumed(), stream.size());
  }
}

TEST(DragonflyJournalTest, EveryPackedFormAndTheLegacyOpcodesRead) {
  // 11xxxxxx reads as x; a 4-byte form for a small txid; EXEC has no payload.
  const std::string stream = std::string("\xc6\x02\x0a\x80\x00\x00\x00\x07\x01\x01\x04\x04PING\x0c", 17);
  JournalReader reader;
  reader.Feed(stream);
  auto command = reader.Next();
  ASSERT_TRUE(command.ok() && *command) << command.message();
  EXPECT_EQ((*command)->db, 2u);
  EXPECT_EQ((*command)->txid, 7u);
  auto exec = reader.Next();
  ASSERT_TRUE(exec.ok() && *exec);
  EXPECT_EQ((*exec)->op, JournalOp::kExec);
  EXPECT_FALSE((*exec)->TakesLsn());
}

TEST(DragonflyJournalTest, MalformedRecordsStopTheStreamNamingWhy) {
  JournalReader unknown;
  unknown.Feed(std::string("\x07", 1));
  auto bad = unknown.Next();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("unknown journal opcode 7"), std::string::npos);
  EXPECT_FALSE(unknown.Next().ok());  // sticky

  // A string longer than the command's announced total.
  JournalReader oversized;
  oversized.Feed(std::string("\x0a\x01\x01\x01\x02\x03SET", 8));
  auto too_long = oversized.Next();
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.message().find("remain"), std::string::npos);
}

TEST(DragonflyJournalTest, AFlowCountsCommandsAndPingsAndChecksLsnRecords) {
  FlowLsn flow(10);  // JOURNAL_OFFSET
  JournalReader reader;
  reader.Feed(kSetFooBar + EncodePing() + EncodeLsn(11) + EncodeCommand(0, 9, {"DEL", "x"}) + EncodeLsn(11));
  std::vector<Status> statuses;
  while (true) {
    auto next = reader.Next();
    ASSERT_TRUE(next.ok());
    if (!*next) break;
    statuses.push_back(flow.OnRecord(**next));
  }
  ASSERT_EQ(statuses.size(), 5u);
  EXPECT_TRUE(statuses[2].ok()) << statuses[2].message();  // LSN 11: the PING's
  EXPECT_FALSE(statuses[4].ok());                          // the DEL took LSN 12
  EXPECT_EQ(flow.next(), 13u);
  JournalRecord failed;
  failed.op = JournalOp::kCommand;
  EXPECT_TRUE(flow.OnRecord(failed, /*executed=*/false).ok());
  EXPECT_EQ(flow.next(), 13u);  // a failed execution takes no LSN on the replica
}

}  // namespace
}  // namespace conformance::repl::dragonfly
