// Files and DUMP payloads written by a real redis-server 7.0.15 (see
// tests/data/rdb/make_fixtures.sh), with their exact expected contents.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <sstream>

#include "harness/rdb/dump.h"
#include "harness/rdb/reader.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::string Fixture(const std::string& name) {
  std::ifstream f(std::string(CONFORMANCE_RDB_FIXTURE_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(f.good()) << "missing fixture " << name;
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const data::Value& ValueOf(const Loaded& l, const std::string& key, uint64_t db = 0) {
  const LoadedKey* k = l.Find(key, db);
  EXPECT_NE(k, nullptr) << key;
  static const data::Value kMissing = data::String("<missing>");
  return k ? k->entry.value : kMissing;
}

// Loads a fixture in one chunk, byte by byte and in random chunks; all must agree.
Loaded LoadFixture(const std::string& name) {
  const std::string rdb = Fixture(name);
  auto whole = ReadChunked(rdb, 0);
  EXPECT_TRUE(whole.ok()) << name << ": " << whole.message();
  if (!whole.ok()) return {};
  auto bytewise = ReadChunked(rdb, 1);
  EXPECT_TRUE(bytewise.ok()) << bytewise.message();
  if (bytewise.ok()) {
    EXPECT_TRUE(LoadsEqual(*whole, *bytewise));
  }
  auto random = ReadRandomChunks(rdb, 42, 300);
  EXPECT_TRUE(random.ok()) << random.message();
  if (random.ok()) {
    EXPECT_TRUE(LoadsEqual(*whole, *random));
  }
  return std::move(whole).value();
}

// Keys both server fixtures hold (make_fixtures.sh common_keys).
void ExpectCommonKeys(const Loaded& l) {
  EXPECT_EQ(l.version, 10);
  EXPECT_EQ(l.Aux("redis-ver"), "7.0.15");
  EXPECT_EQ(l.Aux("redis-bits"), "64");
  EXPECT_EQ(l.Aux("aof-base"), "0");
  EXPECT_TRUE(l.Aux("ctime").has_value());
  EXPECT_TRUE(l.Aux("used-mem").has_value());
  EXPECT_THAT(l.selected_dbs, ElementsAre(0u, 1u, 3u));
  EXPECT_EQ(l.end_checksum, true);
  const std::vector<std::pair<std::string, std::string>> strings = {
      {"str:raw", "hello world"},
      {"str:int8", "12"},
      {"str:int16", "-1234"},
      {"str:int32", "123456789"},
      {"str:int64", "12345678901234"},
      {"str:notint", "007"},
      {"str:empty", ""},
      {"str:binary", std::string("\x00\x01\xff\r\n", 5)},
      {"str:lzf", std::string(188, 'a')},
      {"str:expire", "v"}};
  for (const auto& [key, value] : strings) {
    EXPECT_TRUE(ValuesEqual(data::String(value), ValueOf(l, key))) << key;
    EXPECT_EQ(l.Find(key)->meta.type_byte, 0) << key;
  }
  EXPECT_EQ(l.Find("str:expire")->entry.expire_at_ms, 4102444800123);
  EXPECT_EQ(l.Find("str:raw")->entry.expire_at_ms, data::Entry::kNoExpiry);
  EXPECT_TRUE(ValuesEqual(data::String("db1value"), ValueOf(l, "db1:key", 1)));
  EXPECT_TRUE(ValuesEqual(MakeHash({{"f", "v"}}), ValueOf(l, "db1:hash", 1)));
  EXPECT_TRUE(ValuesEqual(data::String("db3value"), ValueOf(l, "db3:key", 3)));
  EXPECT_EQ(l.Find("db3:key", 3)->entry.expire_at_ms, 4102444800000);

  // The stream: 1-2 was deleted (a tombstone in the listpack), g1 has a PEL of two entries.
  const auto& s = std::get<data::Stream>(ValueOf(l, "stream"));
  EXPECT_EQ(l.Find("stream")->meta.type_byte, 19);
  std::map<data::StreamId, data::StreamFields> entries;
  entries[{1, 1}] = {{"name", "alice"}, {"age", "30"}};
  entries[{2, 0}] = {{"other", "field"}};
  entries[{3, 0}] = {{"name", "carol"}, {"age", "40"}};
  EXPECT_EQ(s.entries, entries);
  EXPECT_EQ(s.last_id, (data::StreamId{3, 0}));
  EXPECT_EQ(s.first_id, (data::StreamId{1, 1}));
  EXPECT_EQ(s.max_deleted_id, (data::StreamId{1, 2}));
  EXPECT_EQ(s.entries_added, 4u);
  ASSERT_EQ(s.groups.size(), 2u);
  const data::StreamGroup& g1 = s.groups[0];
  EXPECT_EQ(g1.name, "g1");
  EXPECT_EQ(g1.last_delivered, (data::StreamId{3, 0}));
  EXPECT_EQ(g1.entries_read, 4);
  ASSERT_EQ(g1.pending.size(), 2u);
  EXPECT_EQ(g1.pending[0].id, (data::StreamId{1, 1}));
  EXPECT_EQ(g1.pending[0].consumer, "c1");
  EXPECT_EQ(g1.pending[0].delivery_count, 1u);
  EXPECT_GT(g1.pending[0].delivery_time_ms, 1600000000000);
  EXPECT_EQ(g1.pending[1].id, (data::StreamId{3, 0}));
  EXPECT_EQ(g1.pending[1].consumer, "c2");
  ASSERT_EQ(g1.consumers.size(), 2u);
  EXPECT_EQ(g1.consumers[0].name, "c1");
  EXPECT_EQ(g1.consumers[1].name, "c2");
  EXPECT_GT(g1.consumers[0].seen_time_ms, 1600000000000);
  EXPECT_EQ(g1.consumers[0].active_time_ms, -1);  // RDB 10 has no active time
  const data::StreamGroup& g2 = s.groups[1];
  EXPECT_EQ(g2.name, "g2");
  EXPECT_EQ(g2.last_delivered, (data::StreamId{3, 0}));
  EXPECT_EQ(g2.entries_read, -1);
  EXPECT_TRUE(g2.pending.empty());
  ASSERT_EQ(g2.consumers.size(), 1u);
  EXPECT_EQ(g2.consumers[0].name, "idle");
}

TEST(Fixtures, Redis70CompactEncodings) {
  const Loaded l = LoadFixture("redis-7.0-compact.rdb");
  ExpectCommonKeys(l);
  EXPECT_EQ(l.keys.size(), 23u);
  EXPECT_THAT(l.resizes, ElementsAre(Pair(20u, 1u), Pair(2u, 0u), Pair(1u, 1u)));
  EXPECT_THAT(l.functions,
              ElementsAre("#!lua name=mylib\nredis.register_function('myfunc', function(keys, "
                          "args) return 1 end)"));
  struct TypedValue {
    std::string key;
    uint8_t type;
    data::Value value;
  };
  data::List big;
  for (int i = 1; i <= 300; ++i) big.push_back(fmt::format("element-number-{}", i));
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<TypedValue> typed = {
      {"list:small", 18, data::List{"a", "b", "1", "2", "-3", "hello world"}},
      {"list:big", 18, big},
      {"list:plainnode", 18, data::List{"x", std::string(150, 'p'), "y"}},
      {"set:intset", 11, data::Set{"1", "2", "3", "-5", "100000"}},
      {"set:intset64", 11, data::Set{"1", "5000000000"}},
      {"set:strings", 2, data::Set{"a", "b", "c"}},
      {"zset:small", 17, MakeZSet({{"a", 1}, {"b", 2.5}, {"c", -inf}, {"d", 1e100}})},
      {"hash:small", 16, MakeHash({{"f1", "v1"}, {"f2", "2"}, {"f3", "-100"}})},
  };
  for (const TypedValue& t : typed) {
    const LoadedKey* k = l.Find(t.key);
    ASSERT_NE(k, nullptr) << t.key;
    EXPECT_EQ(k->meta.type_byte, t.type) << t.key;
    EXPECT_TRUE(ValuesEqual(t.value, k->entry.value)) << t.key;
    EXPECT_GE(k->meta.lru_idle_seconds, 0) << "maxmemory-policy allkeys-lru writes IDLE";
    EXPECT_EQ(k->meta.lfu_freq, -1);
  }
  const auto& sbig = std::get<data::Stream>(ValueOf(l, "stream:big"));
  ASSERT_EQ(sbig.entries.size(), 250u);  // several listpack nodes (100 entries each)
  EXPECT_EQ(sbig.entries.at({250, 0}), (data::StreamFields{{"field-1", "value-250"}}));
  EXPECT_EQ(sbig.last_id, (data::StreamId{250, 0}));
  EXPECT_EQ(sbig.entries_added, 250u);
}

TEST(Fixtures, Redis70PlainEncodings) {
  const Loaded l = LoadFixture("redis-7.0-plain.rdb");
  ExpectCommonKeys(l);
  EXPECT_EQ(l.keys.size(), 19u);
  EXPECT_TRUE(l.functions.empty());
  data::List compressed;
  for (int i = 1; i <= 40; ++i) {
    compressed.push_back(fmt::format("compressible-element-aaaaaaaaaaaaaaaaaaaaaaaa-{}", i));
  }
  const double inf = std::numeric_limits<double>::infinity();
  struct TypedValue {
    std::string key;
    uint8_t type;
    data::Value value;
  };
  const std::vector<TypedValue> typed = {
      {"list:compressed", 18, compressed},  // 10 listpack nodes, LZF-compressed inside
      {"set:ints", 2, data::Set{"1", "2", "3", "-5", "100000"}},
      {"set:strings", 2, data::Set{"a", "b", "c"}},
      {"zset:skiplist", 5, MakeZSet({{"a", 1}, {"b", 2.5}, {"c", -inf}, {"d", 1e100}})},
      {"hash:ht", 4, MakeHash({{"f1", "v1"}, {"f2", "2"}, {"f3", "-100"}})},
      {"db1:hash", 4, MakeHash({{"f", "v"}})},
  };
  for (const TypedValue& t : typed) {
    const LoadedKey* k = l.Find(t.key, t.key == "db1:hash" ? 1 : 0);
    ASSERT_NE(k, nullptr) << t.key;
    EXPECT_EQ(k->meta.type_byte, t.type) << t.key;
    EXPECT_TRUE(ValuesEqual(t.value, k->entry.value)) << t.key;
    EXPECT_GE(k->meta.lfu_freq, 0) << "maxmemory-policy allkeys-lfu writes FREQ";
    EXPECT_EQ(k->meta.lru_idle_seconds, -1);
  }
}

TEST(Fixtures, Redis70ChecksumDisabled) {
  const Loaded l = LoadFixture("redis-7.0-nochecksum.rdb");
  EXPECT_EQ(l.end_checksum, false);
  ASSERT_EQ(l.keys.size(), 1u);
  EXPECT_TRUE(ValuesEqual(data::String("v"), l.keys[0].entry.value));
}

TEST(Fixtures, Redis70DumpPayloads) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, data::Value>> dumps = {
      {"dump-7.0-hash-listpack.bin", MakeHash({{"f1", "v1"}, {"f2", "2"}, {"f3", "-100"}})},
      {"dump-7.0-hash-ht.bin", MakeHash({{"f1", "v1"}, {"f2", "2"}, {"f3", "-100"}})},
      {"dump-7.0-list-quicklist2.bin", data::List{"a", "b", "1", "2", "-3", "hello world"}},
      {"dump-7.0-set-intset.bin", data::Set{"1", "2", "3", "-5", "100000"}},
      {"dump-7.0-string-int.bin", data::String("-1234")},
      {"dump-7.0-zset-skiplist.bin", MakeZSet({{"a", 1}, {"b", 2.5}, {"c", -inf}, {"d", 1e100}})},
  };
  for (const auto& [file, value] : dumps) {
    auto entry = DecodeDumpPayload(Fixture(file));
    ASSERT_TRUE(entry.ok()) << file << ": " << entry.message();
    EXPECT_TRUE(ValuesEqual(value, entry->value)) << file;
  }
  auto stream = DecodeDumpPayload(Fixture("dump-7.0-stream.bin"));
  ASSERT_TRUE(stream.ok()) << stream.message();
  const Loaded l = LoadFixture("redis-7.0-compact.rdb");
  EXPECT_TRUE(ValuesEqual(ValueOf(l, "stream"), stream->value));
}

// Where the encoding is deterministic, EncodeDumpPayload writes the server's exact bytes.
TEST(Fixtures, EncodeDumpPayloadMatchesTheServerByteForByte) {
  const std::vector<std::pair<std::string, data::Value>> exact = {
      {"dump-7.0-string-int.bin", data::String("-1234")},
      {"dump-7.0-list-quicklist2.bin", data::List{"a", "b", "1", "2", "-3", "hello world"}},
      {"dump-7.0-set-intset.bin", data::Set{"1", "2", "3", "-5", "100000"}},
  };
  for (const auto& [file, value] : exact) {
    auto payload = EncodeDumpPayload(value, 10);
    ASSERT_TRUE(payload.ok()) << payload.message();
    EXPECT_EQ(*payload, Fixture(file)) << file;
  }
}

}  // namespace
}  // namespace conformance::rdb::testing
