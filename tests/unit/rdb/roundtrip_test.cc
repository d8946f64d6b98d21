// Writer -> Reader round trips: every RDB version x both encodings x LZF on/off, read in one
// chunk, byte by byte and in random chunks; a small file split at every point.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "harness/rdb/opcodes.h"
#include "harness/rdb/reader.h"
#include "harness/rdb/writer.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

struct RoundTripCase {
  int version;
  Encoding encoding;
  bool compress;
  std::string Name() const {
    return fmt::format("v{}_{}{}", version, ToString(encoding), compress ? "_lzf" : "");
  }
};

std::vector<RoundTripCase> AllCases() {
  std::vector<RoundTripCase> cases;
  std::vector<int> versions;
  for (int v = 1; v <= kMaxRedisVersion; ++v) versions.push_back(v);
  versions.push_back(kValkeyVersion);
  for (int v : versions) {
    for (Encoding e : {Encoding::kCompact, Encoding::kPlain}) {
      for (bool compress : {false, true}) cases.push_back({v, e, compress});
    }
  }
  return cases;
}

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {
 protected:
  WriterOptions Options() const {
    WriterOptions o;
    o.version = GetParam().version;
    o.encoding = GetParam().encoding;
    o.compress_strings = GetParam().compress;
    return o;
  }
};

TEST_P(RoundTrip, OneChunk) {
  const WriterOptions o = Options();
  const std::string rdb = BuildSampleRdb(o);
  auto loaded = ReadChunked(rdb, 0);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded));
}

TEST_P(RoundTrip, ByteByByte) {
  const WriterOptions o = Options();
  const std::string rdb = BuildSampleRdb(o);
  auto loaded = ReadChunked(rdb, 1);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded));
}

TEST_P(RoundTrip, RandomChunks) {
  const WriterOptions o = Options();
  const std::string rdb = BuildSampleRdb(o);
  for (uint32_t seed : {1u, 2u, 3u}) {
    auto loaded = ReadRandomChunks(rdb, seed, 700);
    ASSERT_TRUE(loaded.ok()) << "seed " << seed << ": " << loaded.message();
    EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded)) << "seed " << seed;
  }
}

// The same files read by a handler that takes packed values: what arrives packed unpacks to
// the same values, in one chunk, byte by byte and in random chunks.
TEST_P(RoundTrip, PackedValuesUnpackToTheSame) {
  const WriterOptions o = Options();
  const std::string rdb = BuildSampleRdb(o);
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    auto loaded = ReadChunked(rdb, chunk, {}, /*packed=*/true);
    ASSERT_TRUE(loaded.ok()) << "chunk " << chunk << ": " << loaded.message();
    EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded)) << "chunk " << chunk;
  }
  auto loaded = ReadRandomChunks(rdb, 7, 700, {}, /*packed=*/true);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded));
  if (o.encoding == Encoding::kCompact && o.version >= 2) {
    size_t packed = 0;
    for (const LoadedKey& key : loaded->keys) packed += key.packed ? 1 : 0;
    EXPECT_GT(packed, loaded->keys.size() / 2) << "most sample values have a packed form";
  }
}

TEST_P(RoundTrip, NoChecksumWritesZeros) {
  WriterOptions o = Options();
  o.write_checksum = false;
  const std::string rdb = BuildSampleRdb(o);
  auto loaded = ReadChunked(rdb, 0);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(LoadsEqual(ExpectedSampleLoad(o), *loaded));
  if (o.version >= 5) {
    EXPECT_EQ(rdb.substr(rdb.size() - 8), std::string(8, '\0'));
  }
}

INSTANTIATE_TEST_SUITE_P(AllVersions, RoundTrip, ::testing::ValuesIn(AllCases()),
                         [](const auto& info) { return info.param.Name(); });

// The type byte each version/encoding writes, as the Redis of that version would.
TEST(RoundTripEncodings, TypeBytesFollowTheVersion) {
  struct Expect {
    int version;
    Encoding encoding;
    std::map<std::string, uint8_t> types;
  };
  const std::vector<Expect> table = {
      {12,
       Encoding::kCompact,
       {{"list:small", 18},
        {"list:big", 18},
        {"set:int64", 11},
        {"set:strings", 20},
        {"set:big", 2},
        {"zset:small", 17},
        {"zset:big", 5},
        {"hash:small", 16},
        {"hash:big", 4},
        {"hash:ttl", 25},
        {"hash:bigttl", 24},
        {"stream:small", 21},
        {"module:value", 7},
        {"str:int8", 0}}},
      {12,
       Encoding::kPlain,
       {{"list:small", 1},
        {"set:int64", 2},
        {"zset:small", 5},
        {"hash:small", 4},
        {"hash:ttl", 24}}},
      {kValkeyVersion,
       Encoding::kCompact,
       {{"hash:ttl", 22}, {"hash:bigttl", 22}, {"set:strings", 20}, {"stream:small", 21}}},
      {11, Encoding::kCompact, {{"set:strings", 20}, {"stream:small", 21}}},
      {10,
       Encoding::kCompact,
       {{"list:small", 18},
        {"set:strings", 2},
        {"zset:small", 17},
        {"hash:small", 16},
        {"stream:small", 19}}},
      {9,
       Encoding::kCompact,
       {{"list:small", 14},
        {"list:big", 14},
        {"zset:small", 12},
        {"hash:small", 13},
        {"stream:small", 15}}},
      {7, Encoding::kCompact, {{"list:small", 14}, {"zset:big", 3}}},
      {6,
       Encoding::kCompact,
       {{"list:small", 10},
        {"list:big", 1},
        {"set:int16", 11},
        {"zset:small", 12},
        {"hash:small", 13}}},
      {3, Encoding::kCompact, {{"hash:small", 9}, {"zset:small", 3}, {"list:small", 10}}},
      {1, Encoding::kCompact, {{"hash:small", 4}, {"list:small", 1}, {"set:int16", 2}}},
  };
  for (const Expect& e : table) {
    WriterOptions o;
    o.version = e.version;
    o.encoding = e.encoding;
    auto loaded = ReadChunked(BuildSampleRdb(o), 0);
    ASSERT_TRUE(loaded.ok()) << loaded.message();
    for (const auto& [key, type] : e.types) {
      const LoadedKey* k = loaded->Find(key);
      ASSERT_NE(k, nullptr) << key;
      EXPECT_EQ(k->meta.type_byte, type)
          << "v" << e.version << " " << ToString(e.encoding) << " " << key;
    }
  }
}

// A small file split into two pieces at every possible point.
TEST(RoundTripSplits, EverySplitPointOfASmallFile) {
  WriterOptions o;
  o.version = 11;
  o.compress_strings = true;
  Writer w(o);
  w.WriteHeader();
  w.WriteAux("redis-ver", "7.2.0");
  w.WriteSelectDb(0);
  w.WriteResizeDb(5, 1);
  ASSERT_TRUE(w.WriteKey("s", {data::String(std::string(40, 'a')), 1700000000000}).ok());
  ASSERT_TRUE(w.WriteKey("l", {data::List{"a", "1", std::string(100, 'b')}}).ok());
  ASSERT_TRUE(w.WriteKey("z", {MakeZSet({{"m", 1.5}, {"n", -2}})}).ok());
  ASSERT_TRUE(w.WriteKey("h", {MakeHash({{"f", "v"}})}).ok());
  data::Stream s;
  s.entries[{1, 1}] = {{"a", "b"}};
  s.last_id = {1, 1};
  s.first_id = {1, 1};
  s.entries_added = 1;
  s.groups.push_back({"g", {1, 1}, 1, {{{1, 1}, "c", 5, 1}}, {{"c", 5, 6}}});
  ASSERT_TRUE(w.WriteKey("x", {s}).ok());
  w.WriteEnd();
  const std::string rdb = w.TakeBytes();
  auto whole = ReadChunked(rdb, 0);
  ASSERT_TRUE(whole.ok()) << whole.message();
  ASSERT_EQ(whole->keys.size(), 5u);
  for (size_t split = 0; split <= rdb.size(); ++split) {
    auto loaded = ReadSplit(rdb, split);
    ASSERT_TRUE(loaded.ok()) << "split " << split << ": " << loaded.message();
    ASSERT_TRUE(LoadsEqual(*whole, *loaded)) << "split " << split;
  }
}

TEST(RoundTripErrors, VersionCannotHoldValue) {
  struct Case {
    int version;
    data::Value value;
    std::string error;
  };
  data::Hash ttl = MakeHash({{"f", "v"}});
  ttl["f"].expire_at_ms = 1800000000000;
  const std::vector<Case> cases = {
      {8, data::Stream{}, "streams need RDB 9"},
      {7, data::ModuleValue{1, ""}, "module values need RDB 8"},
      {11, ttl, "hash field TTLs need RDB 12"},
  };
  for (const Case& c : cases) {
    WriterOptions o;
    o.version = c.version;
    Writer w(o);
    w.WriteHeader();
    const size_t before = w.bytes().size();
    Status st = w.WriteKey("k", {c.value});
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find(c.error), std::string::npos) << st.message();
    EXPECT_EQ(w.bytes().size(), before) << "nothing written on error";
  }
}

// Parsing must stay linear however the bytes are chunked: a ~6 MB value fed in 64-byte
// chunks (100k Feed calls) would take minutes if each call re-parsed the value.
TEST(RoundTripPerformance, LargeValueInSmallChunksIsLinear) {
  WriterOptions o;
  o.version = 10;
  o.encoding = Encoding::kPlain;
  data::List list;
  for (int i = 0; i < 200000; ++i) list.push_back(fmt::format("element-{:08d}", i));
  data::Hash hash;
  for (int i = 0; i < 100000; ++i) hash[fmt::format("f{}", i)] = {std::to_string(i)};
  Writer w(o);
  w.WriteHeader();
  ASSERT_TRUE(w.WriteKey("list", {list}).ok());
  ASSERT_TRUE(w.WriteKey("hash", {hash}).ok());
  ASSERT_TRUE(w.WriteKey("big", {data::String(std::string(2 << 20, 'q'))}).ok());
  w.WriteEnd();
  const std::string rdb = w.TakeBytes();
  const auto start = std::chrono::steady_clock::now();
  auto loaded = ReadChunked(rdb, 64);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  ASSERT_EQ(loaded->keys.size(), 3u);
  EXPECT_TRUE(ValuesEqual(list, loaded->keys[0].entry.value));
  EXPECT_TRUE(ValuesEqual(hash, loaded->keys[1].entry.value));
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 20);
}

}  // namespace
}  // namespace conformance::rdb::testing
