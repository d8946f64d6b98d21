#include "harness/repl/stream_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::repl {
namespace {

using testing::ElementsAre;

std::vector<StreamCommand> Drain(StreamReader& reader) {
  std::vector<StreamCommand> out;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.ok()) << next.message();
    if (!next.ok() || !next->has_value()) return out;
    out.push_back(**next);
  }
}

const std::string kStream =
    "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n"          // 23 bytes
    "*1\r\n$4\r\nPING\r\n"                      // 14 bytes
    "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"  // 37 bytes
    "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nEXEC\r\n";

TEST(StreamReader, CountsEveryByteAndClassifies) {
  StreamReader reader(100);
  reader.Feed(kStream);
  auto commands = Drain(reader);
  ASSERT_EQ(commands.size(), 6u);
  EXPECT_EQ(commands[0].kind, StreamCommand::Kind::kSelect);
  EXPECT_EQ(commands[0].offset, 100u);
  EXPECT_EQ(commands[0].size, 23u);
  EXPECT_EQ(commands[1].kind, StreamCommand::Kind::kPing);
  EXPECT_EQ(commands[1].size, 14u);
  EXPECT_EQ(commands[2].kind, StreamCommand::Kind::kGetAck);
  EXPECT_EQ(commands[2].size, 37u);
  EXPECT_EQ(commands[3].kind, StreamCommand::Kind::kMulti);
  EXPECT_EQ(commands[4].kind, StreamCommand::Kind::kWrite);
  EXPECT_THAT(commands[4].argv, ElementsAre("SET", "k", "v"));
  EXPECT_EQ(commands[5].kind, StreamCommand::Kind::kExec);
  EXPECT_EQ(reader.offset(), 100u + kStream.size());
}

TEST(StreamReader, ByteByByteGivesTheSameOffsets) {
  StreamReader reader(0);
  std::vector<StreamCommand> commands;
  for (char c : kStream) {
    reader.Feed(std::string_view(&c, 1));
    for (auto& command : Drain(reader)) commands.push_back(command);
  }
  ASSERT_EQ(commands.size(), 6u);
  EXPECT_EQ(commands[5].offset + commands[5].size, kStream.size());
}

TEST(StreamReader, InlineTextIsFlaggedAndNewlinesAreKeepalives) {
  StreamReader reader(0);
  reader.Feed("\nhello world\r\n");
  auto commands = Drain(reader);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].kind, StreamCommand::Kind::kKeepalive);
  EXPECT_EQ(commands[0].size, 1u);
  EXPECT_EQ(commands[1].kind, StreamCommand::Kind::kInline);
  EXPECT_EQ(reader.offset(), 14u);
}

TEST(StreamReader, RepliesAreFlaggedNotApplied) {
  StreamReader reader(0);
  reader.Feed("+OK\r\n:1\r\n-ERR x\r\n");
  auto commands = Drain(reader);
  ASSERT_EQ(commands.size(), 3u);
  for (const StreamCommand& command : commands) EXPECT_EQ(command.kind, StreamCommand::Kind::kReply);
  EXPECT_EQ(reader.offset(), 17u);  // counted: the replica received them
}

TEST(StreamReader, NonBulkArgumentIsAProtocolError) {
  StreamReader reader(7);
  reader.Feed("*1\r\n:1\r\n");
  auto next = reader.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_THAT(next.message(), testing::HasSubstr("offset 7"));
}

}  // namespace
}  // namespace conformance::repl
