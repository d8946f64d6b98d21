// Classifying what a replica sends (RESP arrays and inline lines) and the master's side of the
// handshake: default replies, authentication and the order a Redis replica follows.
#include "harness/repl/master_handshake.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "harness/repl/master_command.h"
#include "harness/resp/decoder.h"
#include "harness/rules/ids.h"

namespace conformance::repl {
namespace {

using Kind = ReplicaCommandKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Decodes every command in `bytes`, as the fake master reads them, and classifies them.
std::vector<ReplicaCommand> Decode(std::string_view bytes) {
  resp::Decoder decoder(resp::DecoderMode::kCommands);
  decoder.Feed(bytes);
  std::vector<ReplicaCommand> commands;
  std::vector<std::string> argv;
  while (decoder.NextArgv(&argv) == resp::DecodeStatus::kValue) {
    commands.push_back(ClassifyReplicaCommand(argv));
  }
  EXPECT_FALSE(decoder.failed()) << decoder.error().message;
  EXPECT_EQ(decoder.buffered(), 0u);
  return commands;
}

ReplicaCommand One(std::string_view bytes) {
  std::vector<ReplicaCommand> commands = Decode(bytes);
  EXPECT_EQ(commands.size(), 1u);
  return commands.empty() ? ReplicaCommand{} : commands.front();
}

struct ClassifyCase {
  const char* name;
  const char* array;  // RESP array form
  const char* inline_form;
  Kind kind;
};

void PrintTo(const ClassifyCase& c, std::ostream* os) { *os << c.name; }

class ClassifyBothForms : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyBothForms, SameKind) {
  const ReplicaCommand from_array = One(GetParam().array);
  const ReplicaCommand from_inline = One(GetParam().inline_form);
  EXPECT_EQ(from_array.kind, GetParam().kind) << ToString(from_array.kind);
  EXPECT_EQ(from_inline.kind, GetParam().kind) << ToString(from_inline.kind);
  EXPECT_EQ(from_array.argv, from_inline.argv);
}

INSTANTIATE_TEST_SUITE_P(
    Commands, ClassifyBothForms,
    ::testing::Values(
        ClassifyCase{"Ping", "*1\r\n$4\r\nPING\r\n", "PING\r\n", Kind::kPing},
        ClassifyCase{"Auth", "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n", "AUTH pw\r\n", Kind::kAuth},
        ClassifyCase{"ListeningPort",
                     "*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6380\r\n",
                     "REPLCONF listening-port 6380\r\n", Kind::kListeningPort},
        ClassifyCase{"IpAddress", "*3\r\n$8\r\nREPLCONF\r\n$10\r\nip-address\r\n$3\r\n1.2\r\n",
                     "REPLCONF ip-address 1.2\n", Kind::kIpAddress},
        ClassifyCase{
            "Capa",
            "*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n",
            "REPLCONF capa eof capa psync2\r\n", Kind::kCapa},
        ClassifyCase{"Version", "*3\r\n$8\r\nREPLCONF\r\n$7\r\nversion\r\n$5\r\n8.0.1\r\n",
                     "REPLCONF version 8.0.1\r\n", Kind::kVersion},
        ClassifyCase{"Ack", "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$3\r\n123\r\n",
                     "REPLCONF ACK 123\r\n", Kind::kAck},
        ClassifyCase{"GetAck", "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n",
                     "REPLCONF GETACK *\r\n", Kind::kGetAck},
        ClassifyCase{"RdbOnly", "*3\r\n$8\r\nREPLCONF\r\n$8\r\nrdb-only\r\n$1\r\n1\r\n",
                     "REPLCONF rdb-only 1\r\n", Kind::kReplconfOther},
        ClassifyCase{"Psync", "*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n", "PSYNC ? -1\r\n",
                     Kind::kPsync},
        ClassifyCase{"Sync", "*1\r\n$4\r\nSYNC\r\n", "SYNC\r\n", Kind::kSync},
        ClassifyCase{"Other", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", "GET k\r\n", Kind::kOther}),
    [](const ::testing::TestParamInfo<ClassifyCase>& info) { return info.param.name; });

TEST(Classify, KeepaliveNewlines) {
  const std::vector<ReplicaCommand> commands = Decode("\n\r\nPING\r\n");
  ASSERT_EQ(commands.size(), 3u);
  EXPECT_EQ(commands[0].kind, Kind::kKeepalive);
  EXPECT_EQ(commands[1].kind, Kind::kKeepalive);
  EXPECT_EQ(commands[2].kind, Kind::kPing);
}

TEST(Classify, ReplconfCollectsEveryPair) {
  const ReplicaCommand command =
      ClassifyReplicaCommand({"REPLCONF", "capa", "eof", "rdb-only", "1", "listening-port", "7"});
  EXPECT_EQ(command.kind, Kind::kCapa);
  EXPECT_THAT(command.capabilities, ElementsAre("eof"));
  EXPECT_EQ(command.listening_port, 7);
  EXPECT_EQ(command.other_options.size(), 1u);
  EXPECT_FALSE(command.error_reply);
}

TEST(Classify, ReplconfErrorsAsRedisReplies) {
  EXPECT_EQ(ClassifyReplicaCommand({"REPLCONF", "capa"}).error_reply, "-ERR syntax error");
  EXPECT_EQ(ClassifyReplicaCommand({"REPLCONF", "listening-port", "x"}).error_reply,
            "-ERR value is not an integer or out of range");
  EXPECT_EQ(ClassifyReplicaCommand({"REPLCONF", "nope", "1"}).error_reply,
            "-ERR Unrecognized REPLCONF option: nope");
  EXPECT_THAT(
      *ClassifyReplicaCommand({"REPLCONF", "ip-address", std::string(300, '1')}).error_reply,
      HasSubstr("too long: 300 bytes"));
}

TEST(Classify, AckWithAndWithoutFack) {
  const ReplicaCommand plain = ClassifyReplicaCommand({"REPLCONF", "ACK", "42"});
  ASSERT_TRUE(plain.ack);
  EXPECT_EQ(plain.ack->offset, 42u);
  EXPECT_FALSE(plain.ack->fack);

  const ReplicaCommand fack = ClassifyReplicaCommand({"replconf", "ack", "42", "FACK", "40"});
  ASSERT_TRUE(fack.ack);
  EXPECT_EQ(fack.ack->offset, 42u);
  EXPECT_EQ(fack.ack->fack, 40u);
}

TEST(Classify, MalformedAckHasNoReplyButIsFlagged) {
  for (const char* bad : {"x", "-1", "+5", "007", ""}) {
    const ReplicaCommand command = ClassifyReplicaCommand({"REPLCONF", "ACK", bad});
    EXPECT_EQ(command.kind, Kind::kAck);
    EXPECT_FALSE(command.ack) << bad;
    EXPECT_FALSE(command.error_reply) << bad;
    EXPECT_TRUE(command.malformed) << bad;
  }
}

TEST(Classify, PsyncRequest) {
  const ReplicaCommand command = ClassifyReplicaCommand({"PSYNC", std::string(40, 'a'), "1001"});
  ASSERT_TRUE(command.sync);
  EXPECT_EQ(command.sync->replid, std::string(40, 'a'));
  EXPECT_EQ(command.sync->offset, 1001);
  EXPECT_FALSE(command.sync->is_sync);
  EXPECT_FALSE(command.sync->failover);

  const ReplicaCommand failover = ClassifyReplicaCommand({"psync", "id", "5", "FAILOVER"});
  ASSERT_TRUE(failover.sync);
  EXPECT_TRUE(failover.sync->failover);

  const ReplicaCommand sync = ClassifyReplicaCommand({"SYNC"});
  ASSERT_TRUE(sync.sync);
  EXPECT_TRUE(sync.sync->is_sync);
}

TEST(Classify, PsyncErrorsAsRedisReplies) {
  // A non-integer offset is an error and no sync.
  const ReplicaCommand bad = ClassifyReplicaCommand({"PSYNC", "id", "offset"});
  EXPECT_EQ(bad.error_reply, "-ERR value is not an integer or out of range");
  EXPECT_FALSE(bad.sync);
  EXPECT_EQ(ClassifyReplicaCommand({"PSYNC", "id"}).error_reply,
            "-ERR wrong number of arguments for 'psync' command");
  EXPECT_EQ(ClassifyReplicaCommand({"SYNC", "x"}).error_reply,
            "-ERR wrong number of arguments for 'sync' command");
}

TEST(Classify, DescribeRedactsAuth) {
  EXPECT_EQ(ClassifyReplicaCommand({"AUTH", "user", "secret"}).Describe(),
            "AUTH <redacted> <redacted>");
  EXPECT_EQ(ClassifyReplicaCommand({"REPLCONF", "capa", "eof"}).Describe(), "REPLCONF capa eof");
}

// Feeds `bytes` to a handshake and returns the concatenated replies.
struct Replay {
  std::string replies;
  std::vector<std::string> violations;
  std::vector<std::string_view> violated_rules;
  bool sync_requested = false;
};

Replay Feed(MasterHandshake& handshake, std::string_view bytes) {
  Replay replay;
  for (const ReplicaCommand& command : Decode(bytes)) {
    const HandshakeStep step = handshake.OnCommand(command);
    if (step.reply) replay.replies += *step.reply;
    if (step.violation) replay.violations.push_back(*step.violation);
    if (step.violation) replay.violated_rules.push_back(step.violated_rule);
    replay.sync_requested = replay.sync_requested || step.sync_requested;
  }
  return replay;
}

TEST(MasterHandshake, RedisSevenSequence) {
  MasterHandshake handshake;
  const Replay replay =
      Feed(handshake,
           "*1\r\n$4\r\nPING\r\n"
           "*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6380\r\n"
           "*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n"
           "*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n");
  EXPECT_EQ(replay.replies, "+PONG\r\n+OK\r\n+OK\r\n");
  EXPECT_TRUE(replay.violations.empty());
  EXPECT_TRUE(replay.sync_requested);
  EXPECT_TRUE(handshake.done());
  EXPECT_EQ(handshake.announce().listening_port, 6380);
  EXPECT_TRUE(handshake.announce().HasCapability("PSYNC2"));
  EXPECT_TRUE(handshake.announce().HasCapability("eof"));
}

TEST(MasterHandshake, InlineLegacySync) {
  MasterHandshakeOptions options;
  options.require_ping_first = false;
  MasterHandshake handshake(options);
  const Replay replay = Feed(handshake, "SYNC\r\n");
  EXPECT_EQ(replay.replies, "");
  EXPECT_TRUE(replay.violations.empty());
  EXPECT_TRUE(replay.sync_requested);
}

TEST(MasterHandshake, PingMustComeFirst) {
  MasterHandshake handshake;
  const Replay replay = Feed(handshake, "REPLCONF listening-port 1\r\n");
  ASSERT_EQ(replay.violations.size(), 1u);
  EXPECT_EQ(replay.violations[0], "Expected: PING, received: REPLCONF listening-port 1");
  EXPECT_THAT(replay.violated_rules, ElementsAre(rules::kHandshakeOpensWithPing));
  EXPECT_EQ(replay.replies, "+OK\r\n");  // still answered as Redis would
}

TEST(MasterHandshake, OutOfOrderNamesWhatWasAllowed) {
  MasterHandshake handshake;
  const Replay replay =
      Feed(handshake, "PING\r\nREPLCONF capa eof\r\nREPLCONF listening-port 1\r\n");
  ASSERT_EQ(replay.violations.size(), 1u);
  EXPECT_THAT(replay.violations[0], HasSubstr("Expected: one of REPLCONF version"));
  EXPECT_THAT(replay.violations[0], HasSubstr("received: REPLCONF listening-port 1"));
  EXPECT_THAT(replay.violated_rules, ElementsAre(rules::kHandshakeAnnounces));
}

TEST(MasterHandshake, RepeatedStepIsAViolation) {
  MasterHandshake handshake;
  EXPECT_EQ(Feed(handshake, "PING\r\nPING\r\n").violations.size(), 1u);
}

TEST(MasterHandshake, OtherReplconfOptionsMayRepeat) {
  MasterHandshake handshake;
  const Replay replay = Feed(
      handshake,
      "PING\r\nREPLCONF capa eof\r\nREPLCONF rdb-only 1\r\nREPLCONF rdb-filter-only x\r\nSYNC\r\n");
  EXPECT_TRUE(replay.violations.empty());
  EXPECT_TRUE(replay.sync_requested);
}

TEST(MasterHandshake, ADragonflyReplicaAsksCapaDragonflyApart) {
  // Answered +OK, as a Redis master would, it goes on by PSYNC; a Redis replica may not repeat
  // its capa.
  MasterHandshakeOptions options;
  options.dialect = repl::HandshakeDialectFor("dragonfly");
  MasterHandshake dragonfly(options);
  const Replay replay = Feed(dragonfly,
                             "PING\r\nREPLCONF listening-port 7000\r\nREPLCONF capa eof capa psync2\r\n"
                             "REPLCONF capa dragonfly\r\nPSYNC ? -1\r\n");
  EXPECT_TRUE(replay.violations.empty()) << replay.violations.front();
  EXPECT_EQ(replay.replies, "+PONG\r\n+OK\r\n+OK\r\n+OK\r\n");
  EXPECT_TRUE(dragonfly.announce().HasCapability("dragonfly"));
  MasterHandshake redis;
  EXPECT_EQ(Feed(redis, "PING\r\nREPLCONF capa eof\r\nREPLCONF capa psync2\r\n").violations.size(), 1u);
}

TEST(MasterHandshake, SyncFallbackAfterARefusedPsync) {
  MasterHandshake handshake;
  const Replay first = Feed(handshake, "PING\r\nPSYNC ? notanumber\r\n");
  EXPECT_EQ(first.replies, "+PONG\r\n-ERR value is not an integer or out of range\r\n");
  EXPECT_FALSE(first.sync_requested);
  const Replay second = Feed(handshake, "SYNC\r\n");
  EXPECT_TRUE(second.violations.empty());
  EXPECT_TRUE(second.sync_requested);
}

TEST(MasterHandshake, AuthRequired) {
  MasterHandshake handshake(MasterHandshakeOptions{"secret", "default", true, {}});
  const Replay replay =
      Feed(handshake, "PING\r\nAUTH secret\r\nREPLCONF capa eof\r\nPSYNC ? -1\r\n");
  EXPECT_EQ(replay.replies, "-NOAUTH Authentication required.\r\n+OK\r\n+OK\r\n");
  EXPECT_TRUE(replay.violations.empty());
  EXPECT_TRUE(replay.sync_requested);
  EXPECT_TRUE(handshake.authenticated());
}

TEST(MasterHandshake, WrongPasswordAndNoAuth) {
  MasterHandshake handshake(MasterHandshakeOptions{"secret", "default", true, {}});
  const Replay replay =
      Feed(handshake, "PING\r\nAUTH wrong\r\nREPLCONF listening-port 1\r\nPSYNC ? -1\r\n");
  EXPECT_EQ(replay.replies,
            "-NOAUTH Authentication required.\r\n"
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
            "-NOAUTH Authentication required.\r\n"
            "-NOAUTH Authentication required.\r\n");
  EXPECT_FALSE(replay.sync_requested);
  EXPECT_FALSE(handshake.authenticated());
}

TEST(MasterHandshake, AclUser) {
  MasterHandshake handshake(MasterHandshakeOptions{"pw", "repl", true, {}});
  EXPECT_EQ(Feed(handshake, "PING\r\nAUTH pw\r\n").replies,
            "-NOAUTH Authentication required.\r\n"
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  MasterHandshake second(MasterHandshakeOptions{"pw", "repl", true, {}});
  EXPECT_EQ(Feed(second, "PING\r\nAUTH repl pw\r\n").replies,
            "-NOAUTH Authentication required.\r\n+OK\r\n");
}

TEST(MasterHandshake, AuthWithoutPasswordConfigured) {
  MasterHandshake handshake;
  EXPECT_THAT(Feed(handshake, "PING\r\nAUTH pw\r\n").replies,
              HasSubstr("-ERR AUTH <password> called without any password configured"));
}

TEST(MasterHandshake, AckAndKeepalivesGetNoReply) {
  MasterHandshake handshake;
  const Replay replay = Feed(handshake, "PING\r\n\n\nREPLCONF ACK 0\r\n");
  EXPECT_EQ(replay.replies, "+PONG\r\n");
  ASSERT_EQ(replay.violations.size(), 1u);  // an ACK is no handshake step
}

TEST(MasterHandshake, PingWithArgumentEchoesIt) {
  MasterHandshake handshake;
  EXPECT_EQ(Feed(handshake, "PING hello\r\n").replies, "$5\r\nhello\r\n");
}

TEST(MasterHandshake, KeyDbDialect) {
  // KeyDB opens with REPLPING and wants the master's uuid back for its own.
  MasterHandshake keydb(MasterHandshakeOptions{std::nullopt, "default", true, KeyDbHandshakeDialect()});
  const Replay replay = Feed(keydb,
                             "REPLPING\r\nREPLCONF listening-port 7000\r\n"
                             "REPLCONF capa eof capa psync2 capa activeExpire\r\n"
                             "REPLCONF uuid 1b4e28ba-2fa1-11d2-883f-0016d3cca427\r\nPSYNC ? -1\r\n");
  EXPECT_EQ(replay.replies, "+PONG\r\n+OK\r\n+OK\r\n+00000000-0000-4000-8000-00000000c0de\r\n");
  EXPECT_TRUE(replay.violations.empty());
  EXPECT_TRUE(keydb.done());

  // The Redis dialect refuses both, as a Redis master does.
  MasterHandshake redis;
  EXPECT_THAT(Feed(redis, "REPLPING\r\n").replies, HasSubstr("-ERR unknown command"));
}

}  // namespace
}  // namespace conformance::repl
