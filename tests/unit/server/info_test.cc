#include "harness/server/info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace conformance::server {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;
using ::testing::Pair;

// Servers end INFO lines with \r\n; the fixtures are written with \n for readability.
std::string Crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Captured from redis-server 7.0.15, master with one online replica.
constexpr std::string_view kRedis7Master = R"(# Replication
role:master
connected_slaves:1
slave0:ip=127.0.0.1,port=17002,state=online,offset=112,lag=0
master_failover_state:no-failover
master_replid:316b8ee5012773aa1bdfc75eee766f662df8fe92
master_replid2:0000000000000000000000000000000000000000
master_repl_offset:112
second_repl_offset:-1
repl_backlog_active:1
repl_backlog_size:1048576
repl_backlog_first_byte_offset:1
repl_backlog_histlen:112
)";

// Captured from redis-server 7.0.15, replica right after its master went away.
constexpr std::string_view kRedis7ReplicaLinkDown = R"(# Replication
role:slave
master_host:127.0.0.1
master_port:17001
master_link_status:down
master_last_io_seconds_ago:-1
master_sync_in_progress:0
slave_read_repl_offset:112
slave_repl_offset:112
master_link_down_since_seconds:1
slave_priority:100
slave_read_only:1
replica_announced:1
connected_slaves:0
master_failover_state:no-failover
master_replid:316b8ee5012773aa1bdfc75eee766f662df8fe92
master_replid2:0000000000000000000000000000000000000000
master_repl_offset:112
second_repl_offset:-1
repl_backlog_active:1
repl_backlog_size:1048576
repl_backlog_first_byte_offset:1
repl_backlog_histlen:112
)";

// Captured from redis-server 7.0.15 (INFO keyspace).
constexpr std::string_view kRedis7Keyspace = R"(# Keyspace
db0:keys=2,expires=1,avg_ttl=99745
)";

// Valkey 8 during a dual-channel sync: two entries for one replica, each with type=.
constexpr std::string_view kValkeyDualChannel = R"(# Replication
role:master
connected_slaves:3
slave0:ip=127.0.0.1,port=6380,state=wait_bgsave,offset=0,lag=0,type=rdb-channel
slave1:ip=127.0.0.1,port=6380,state=bg_transfer,offset=0,lag=0,type=main-channel
slave2:ip=::1,port=0,state=online,offset=1234,lag=1,type=replica
replicas_waiting_psync:1
master_repl_offset:1234
)";

// Redis 2.6: no offsets, and the replica line is "ip,port,state".
constexpr std::string_view kRedis26Master = R"(# Replication
role:master
connected_slaves:1
slave0:127.0.0.1,18101,online
)";

TEST(Info, ParsesSectionsAndFields) {
  const Info info = Info::Parse(Crlf(kRedis7Master));
  ASSERT_EQ(info.sections().size(), 1u);
  EXPECT_EQ(info.sections()[0].name, "Replication");
  EXPECT_THAT(info.Get("role"), Optional(std::string("master")));
  EXPECT_THAT(info.Get("master_replid"),
              Optional(std::string("316b8ee5012773aa1bdfc75eee766f662df8fe92")));
  EXPECT_THAT(info.GetInt("master_repl_offset"), Optional(int64_t{112}));
  EXPECT_THAT(info.GetInt("second_repl_offset"), Optional(int64_t{-1}));
  EXPECT_EQ(info.Get("master_host"), std::nullopt);
  EXPECT_FALSE(info.Has("master_host"));
  EXPECT_TRUE(info.unparsed().empty());
  ASSERT_NE(info.Section("replication"), nullptr);
  EXPECT_EQ(info.Section("keyspace"), nullptr);
}

TEST(Info, GetIntRejectsNonIntegers) {
  const Info info = Info::Parse("# X\na:12abc\nb:\nc:1.5\nd:-7\ne:99999999999999999999\n");
  EXPECT_EQ(info.GetInt("a"), std::nullopt);
  EXPECT_EQ(info.GetInt("b"), std::nullopt);
  EXPECT_EQ(info.GetInt("c"), std::nullopt);
  EXPECT_THAT(info.GetInt("d"), Optional(int64_t{-7}));
  EXPECT_EQ(info.GetInt("e"), std::nullopt);
  EXPECT_EQ(info.GetInt("missing"), std::nullopt);
}

TEST(Info, ValueKeepsEverythingAfterTheFirstColon) {
  const Info info = Info::Parse("master_host:::1\r\nexecutable:/opt/a:b/redis-server\r\n");
  EXPECT_THAT(info.Get("master_host"), Optional(std::string("::1")));
  EXPECT_THAT(info.Get("executable"), Optional(std::string("/opt/a:b/redis-server")));
}

TEST(Info, KeepsLinesItCannotParse) {
  const Info info = Info::Parse("# Server\nredis_version:7.0.15\ngarbage line\n:novalue\n");
  EXPECT_THAT(info.unparsed(), ElementsAre("garbage line", ":novalue"));
  EXPECT_THAT(info.Get("redis_version"), Optional(std::string("7.0.15")));
}

TEST(Info, ReplicaFieldsOfARedis7Replica) {
  const Info info = Info::Parse(Crlf(kRedis7ReplicaLinkDown));
  EXPECT_THAT(info.Get("role"), Optional(std::string("slave")));
  EXPECT_THAT(info.Get("master_link_status"), Optional(std::string("down")));
  EXPECT_THAT(info.GetInt("master_last_io_seconds_ago"), Optional(int64_t{-1}));
  EXPECT_THAT(info.GetInt("slave_repl_offset"), Optional(int64_t{112}));
  EXPECT_THAT(info.GetInt("master_port"), Optional(int64_t{17001}));
  // "slave_repl_offset", "slave_priority" ... are not slaveN lines.
  EXPECT_TRUE(info.Replicas().empty());
}

TEST(Info, Redis7ReplicaLine) {
  const auto replicas = Info::Parse(Crlf(kRedis7Master)).Replicas();
  ASSERT_EQ(replicas.size(), 1u);
  EXPECT_EQ(replicas[0].index, 0);
  EXPECT_EQ(replicas[0].ip, "127.0.0.1");
  EXPECT_THAT(replicas[0].port, Optional(int64_t{17002}));
  EXPECT_EQ(replicas[0].state, "online");
  EXPECT_THAT(replicas[0].offset, Optional(int64_t{112}));
  EXPECT_THAT(replicas[0].lag, Optional(int64_t{0}));
  EXPECT_EQ(replicas[0].Get("type"), std::nullopt);
}

TEST(Info, ValkeyReplicaLinesWithType) {
  const Info info = Info::Parse(Crlf(kValkeyDualChannel));
  const auto replicas = info.Replicas();
  ASSERT_EQ(replicas.size(), 3u);
  EXPECT_EQ(replicas[0].state, "wait_bgsave");
  EXPECT_THAT(replicas[0].Get("type"), Optional(std::string("rdb-channel")));
  EXPECT_EQ(replicas[1].state, "bg_transfer");
  EXPECT_THAT(replicas[1].Get("type"), Optional(std::string("main-channel")));
  EXPECT_EQ(replicas[2].ip, "::1");
  EXPECT_THAT(replicas[2].port, Optional(int64_t{0}));  // listening-port never sent
  EXPECT_THAT(replicas[2].offset, Optional(int64_t{1234}));
  EXPECT_THAT(replicas[2].fields,
              ElementsAre(Pair("ip", "::1"), Pair("port", "0"), Pair("state", "online"),
                          Pair("offset", "1234"), Pair("lag", "1"), Pair("type", "replica")));
  EXPECT_THAT(info.GetInt("replicas_waiting_psync"), Optional(int64_t{1}));
}

TEST(Info, Redis26ReplicaLine) {
  const Info info = Info::Parse(Crlf(kRedis26Master));
  const auto replicas = info.Replicas();
  ASSERT_EQ(replicas.size(), 1u);
  EXPECT_EQ(replicas[0].ip, "127.0.0.1");
  EXPECT_THAT(replicas[0].port, Optional(int64_t{18101}));
  EXPECT_EQ(replicas[0].state, "online");
  EXPECT_EQ(replicas[0].offset, std::nullopt);
  EXPECT_EQ(replicas[0].lag, std::nullopt);
  EXPECT_EQ(info.GetInt("master_repl_offset"), std::nullopt);
}

TEST(Info, ReplicasComeInIndexOrder) {
  const auto replicas =
      Info::Parse("slave10:ip=a,port=1,state=online\nslave2:ip=b,port=2,state=online\n").Replicas();
  ASSERT_EQ(replicas.size(), 2u);
  EXPECT_EQ(replicas[0].index, 2);
  EXPECT_EQ(replicas[1].index, 10);
}

TEST(Info, MalformedReplicaLineKeepsWhatItCan) {
  const auto replicas = Info::Parse("slave0:ip=127.0.0.1,port=x,state=online,junk\n").Replicas();
  ASSERT_EQ(replicas.size(), 1u);
  EXPECT_EQ(replicas[0].port, std::nullopt);
  EXPECT_EQ(replicas[0].state, "online");
  EXPECT_THAT(replicas[0].Get("junk"), Optional(std::string("")));
}

TEST(Info, Keyspace) {
  const auto dbs = Info::Parse(Crlf(kRedis7Keyspace)).Keyspace();
  ASSERT_EQ(dbs.size(), 1u);
  EXPECT_EQ(dbs[0].db, 0);
  EXPECT_EQ(dbs[0].keys, 2);
  EXPECT_EQ(dbs[0].expires, 1);
  EXPECT_EQ(dbs[0].avg_ttl, 99745);
}

TEST(Info, KeyspaceWithSeveralDbsAndExtraFields) {
  const auto dbs = Info::Parse(
                       "# Keyspace\ndb9:keys=5,expires=0,avg_ttl=0\n"
                       "db0:keys=1,expires=1,avg_ttl=10,subexpiry=0\n")
                       .Keyspace();
  ASSERT_EQ(dbs.size(), 2u);
  EXPECT_EQ(dbs[0].db, 0);
  EXPECT_THAT(dbs[0].Get("subexpiry"), Optional(std::string("0")));
  EXPECT_EQ(dbs[1].db, 9);
  EXPECT_EQ(dbs[1].keys, 5);
}

TEST(Info, EmptyText) {
  const Info info = Info::Parse("");
  EXPECT_TRUE(info.sections().empty());
  EXPECT_TRUE(info.Replicas().empty());
  EXPECT_TRUE(info.Keyspace().empty());
  EXPECT_EQ(info.Get("role"), std::nullopt);
}

TEST(ParseKeyValueList, SplitsPairs) {
  EXPECT_THAT(ParseKeyValueList("a=1,b=,c"),
              ElementsAre(Pair("a", "1"), Pair("b", ""), Pair("c", "")));
  EXPECT_THAT(ParseKeyValueList("k=v=w"), ElementsAre(Pair("k", "v=w")));
}

}  // namespace
}  // namespace conformance::server
