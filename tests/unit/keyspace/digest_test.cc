// ComputeDigest: equal for equal content whatever the insertion order, different for any single
// change (type, value, member, score, expiry, db, key).
#include <algorithm>
#include <ctime>

#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using testing::kNow;

// One of everything, written by commands in the given order.
std::vector<testing::Argv> Dataset() {
  return {
      {"SET", "str", "hello", "PXAT", "1800000000000"},
      {"RPUSH", "list", "a", "b", "c"},
      {"SADD", "set", "x", "y", "z", "w"},
      {"ZADD", "zset", "1", "a", "2", "b", "-0.5", "c"},
      {"HSET", "hash", "f1", "v1", "f2", "v2"},
      {"HPEXPIREAT", "hash", "1800000000000", "FIELDS", "1", "f1"},
      {"XADD", "stream", "1-0", "f", "v"},
      {"XADD", "stream", "2-0", "g", "w"},
      {"XGROUP", "CREATE", "stream", "grp", "0"},
      {"XCLAIM", "stream", "grp", "alice", "0", "1-0", "TIME", "1600000000000", "RETRYCOUNT", "2",
       "FORCE", "JUSTID"},
      {"SELECT", "5"},
      {"SET", "str", "in db 5"},
      {"SELECT", "0"},
  };
}

Keyspace Build(const std::vector<testing::Argv>& commands, const int64_t* now) {
  Keyspace model = testing::MakeModel(now);
  for (const auto& argv : commands)
    EXPECT_THAT(model.Apply(argv), IsApplied()) << ::testing::PrintToString(argv);
  return model;
}

TEST(Digest, EmptyIsZero) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  EXPECT_EQ(model.ComputeDigest().ToHex(), std::string(32, '0'));
  ASSERT_THAT(model.Apply({"SET", "k", "v"}), IsApplied());
  ASSERT_THAT(model.Apply({"DEL", "k"}), IsApplied());
  EXPECT_EQ(model.ComputeDigest().ToHex(), std::string(32, '0'));
}

TEST(Digest, IndependentOfInsertionOrder) {
  int64_t now = kNow;
  const Keyspace a = Build(Dataset(), &now);
  // The same content with every container filled in another order and keys created in another
  // order (and loaded with Set instead of commands for one of them).
  Keyspace b = Build(
      {
          {"SELECT", "5"},
          {"SET", "str", "in db 5"},
          {"SELECT", "0"},
          {"HSET", "hash", "f2", "v2", "f1", "v1"},
          {"HPEXPIREAT", "hash", "1800000000000", "FIELDS", "1", "f1"},
          {"ZADD", "zset", "-0.5", "c", "2", "b", "1", "a"},
          {"SADD", "set", "w", "z"},
          {"SADD", "set", "y", "x"},
          {"XADD", "stream", "1-0", "f", "v"},
          {"XADD", "stream", "2-0", "g", "w"},
          {"XGROUP", "CREATE", "stream", "grp", "0"},
          {"XCLAIM", "stream", "grp", "alice", "0", "1-0", "TIME", "1600000000000", "RETRYCOUNT",
           "2", "FORCE", "JUSTID"},
          {"RPUSH", "list", "a", "b", "c"},
      },
      &now);
  b.Set(0, "str", data::Entry{data::String("hello"), 1'800'000'000'000});
  EXPECT_EQ(a.ComputeDigest(), b.ComputeDigest());
  EXPECT_EQ(a.ComputeDigest().per_db, b.ComputeDigest().per_db);
  // A set rebuilt with a different bucket count iterates in another order.
  data::Set big;
  data::Set reversed;
  std::vector<std::string> members;
  for (int i = 0; i < 500; ++i) members.push_back("m" + std::to_string(i));
  for (const auto& m : members) big.insert(m);
  reversed.reserve(4096);
  for (auto it = members.rbegin(); it != members.rend(); ++it) reversed.insert(*it);
  Keyspace c = testing::MakeModel(&now);
  Keyspace d = testing::MakeModel(&now);
  c.Set(0, "s", data::Entry{big});
  d.Set(0, "s", data::Entry{reversed});
  EXPECT_EQ(c.ComputeDigest(), d.ComputeDigest());
}

TEST(Digest, ConsumerTimesAreExcluded) {
  int64_t now = kNow;
  const Keyspace a = Build(Dataset(), &now);
  now += 60'000;  // the consumer "alice" is created with another seen time
  const Keyspace b = Build(Dataset(), &now);
  EXPECT_EQ(a.ComputeDigest(), b.ComputeDigest());
}

TEST(Digest, AnySingleChangeChangesIt) {
  int64_t now = kNow;
  const Digest base = Build(Dataset(), &now).ComputeDigest();
  const std::vector<std::pair<std::string, std::vector<testing::Argv>>> changes = {
      {"string value", {{"SET", "str", "hellO", "KEEPTTL"}}},
      {"string expiry", {{"PEXPIREAT", "str", "1800000000001"}}},
      {"string persist", {{"PERSIST", "str"}}},
      {"type", {{"DEL", "str"}, {"RPUSH", "str", "hello"}, {"PEXPIREAT", "str", "1800000000000"}}},
      {"key renamed", {{"RENAME", "str", "stR"}}},
      {"list order", {{"LSET", "list", "0", "b"}, {"LSET", "list", "1", "a"}}},
      {"list element", {{"RPUSH", "list", "d"}}},
      {"set member", {{"SREM", "set", "w"}, {"SADD", "set", "W"}}},
      {"zset score", {{"ZADD", "zset", "1.0000001", "a"}}},
      {"zset member", {{"ZREM", "zset", "c"}, {"ZADD", "zset", "-0.5", "C"}}},
      {"hash value", {{"HSET", "hash", "f2", "v3"}}},
      {"hash field expiry", {{"HPERSIST", "hash", "FIELDS", "1", "f1"}}},
      {"stream entry", {{"XADD", "stream", "3-0", "f", "v"}}},
      {"stream last id", {{"XSETID", "stream", "5-0"}}},
      {"stream group", {{"XGROUP", "SETID", "stream", "grp", "2-0"}}},
      {"stream pending", {{"XACK", "stream", "grp", "1-0"}}},
      {"db", {{"MOVE", "str", "1"}}},
      {"db swap", {{"SWAPDB", "0", "5"}}},
  };
  std::vector<Hash128> seen = {base.total};
  for (const auto& [name, commands] : changes) {
    SCOPED_TRACE(name);
    std::vector<testing::Argv> all = Dataset();
    all.insert(all.end(), commands.begin(), commands.end());
    const Digest changed = Build(all, &now).ComputeDigest();
    EXPECT_NE(changed, base);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), changed.total), 0)
        << "collides with another change";
    seen.push_back(changed.total);
  }
}

TEST(Digest, PerDbDigests) {
  int64_t now = kNow;
  const Keyspace model = Build(Dataset(), &now);
  const Digest digest = model.ComputeDigest();
  ASSERT_EQ(digest.per_db.size(), 16u);
  EXPECT_NE(digest.per_db[0], Hash128{});
  EXPECT_NE(digest.per_db[5], Hash128{});
  EXPECT_EQ(digest.per_db[1], Hash128{});
  // The same db content digests the same whatever db it is in.
  Keyspace a = testing::MakeModel(&now);
  Keyspace b = testing::MakeModel(&now);
  a.Set(2, "k", data::Entry{data::String("v")});
  b.Set(7, "k", data::Entry{data::String("v")});
  EXPECT_EQ(a.ComputeDigest().per_db[2], b.ComputeDigest().per_db[7]);
  EXPECT_NE(a.ComputeDigest(), b.ComputeDigest());
}

TEST(Digest, AdjacentStringsDoNotRunTogether) {
  int64_t now = kNow;
  Keyspace a = testing::MakeModel(&now);
  Keyspace b = testing::MakeModel(&now);
  a.Set(0, "k", data::Entry{data::List{"ab", "c"}});
  b.Set(0, "k", data::Entry{data::List{"a", "bc"}});
  EXPECT_NE(a.ComputeDigest(), b.ComputeDigest());
  Keyspace c = testing::MakeModel(&now);
  Keyspace d = testing::MakeModel(&now);
  c.Set(0, "h", data::Entry{data::Hash{{"f", {"v"}}}});
  d.Set(0, "h", data::Entry{data::Set{"f"}});
  EXPECT_NE(c.ComputeDigest(), d.ComputeDigest());
}

TEST(Digest, MillionKeysWellUnderASecond) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  constexpr int kKeys = 1'000'000;
  for (int i = 0; i < kKeys; ++i) {
    model.Set(i % 4, "key:" + std::to_string(i),
              data::Entry{data::String("value:" + std::to_string(i))});
  }
  // CPU time, so that a loaded machine does not fail the test.
  const std::clock_t start = std::clock();
  const Digest digest = model.ComputeDigest();
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  EXPECT_NE(digest.total, Hash128{});
  // Generous for sanitizer builds; an optimized build takes a fraction of this.
  EXPECT_LT(cpu_ms, 3000);
  RecordProperty("digest_cpu_ms_1M_keys", static_cast<int>(cpu_ms));
}

}  // namespace
}  // namespace conformance::keyspace
