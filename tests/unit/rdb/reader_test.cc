// Reader on hand-made bytes: encodings real servers no longer write (checked against the
// formats documented in Redis's rdb.c / ziplist.c / zipmap.c / intset.c), every opcode, the
// 7.4 RC and GA hash field expiry types, Valkey 9 and Dragonfly extensions; incremental
// feeding details.
#include "harness/rdb/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

#include "harness/rdb/crc64.h"
#include "harness/rdb/listpack.h"
#include "harness/rdb/writer.h"
#include "harness/rdb/ziplist.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string Byte(int b) { return std::string(1, static_cast<char>(b)); }

// Reads `rdb` in one chunk and byte by byte; both must agree.
Loaded MustRead(const std::string& rdb) {
  auto whole = ReadChunked(rdb, 0);
  EXPECT_TRUE(whole.ok()) << whole.message();
  if (!whole.ok()) return {};
  auto bytewise = ReadChunked(rdb, 1);
  EXPECT_TRUE(bytewise.ok()) << bytewise.message();
  if (bytewise.ok()) {
    EXPECT_TRUE(LoadsEqual(*whole, *bytewise));
  }
  return std::move(whole).value();
}

TEST(ReaderOldEncodings, Version1PlainTypesAndSecondExpiry) {
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(0xFD) + LE(2000000000, 4) + Byte(0) + Str("s") + Str("v");
  body += Byte(1) + Str("l") + Len(2) + Str("a") + Str("b");
  body += Byte(2) + Str("set") + Len(2) + Str("x") + Str("y");
  // Type 3 scores are length-prefixed text, with 253/254/255 for nan/+inf/-inf.
  body += Byte(3) + Str("z") + Len(3) + Str("m1") + Byte(3) + "1.5" + Str("m2") + Byte(254) +
          Str("m3") + Byte(255);
  body += Byte(4) + Str("h") + Len(1) + Str("f") + Str("v");
  const Loaded l = MustRead(WrapRdb(1, body));
  ASSERT_EQ(l.keys.size(), 5u);
  EXPECT_EQ(l.keys[0].entry.expire_at_ms, 2000000000000);
  EXPECT_TRUE(ValuesEqual(data::String("v"), l.keys[0].entry.value));
  EXPECT_TRUE(ValuesEqual(data::List{"a", "b"}, l.keys[1].entry.value));
  EXPECT_TRUE(ValuesEqual(data::Set{"x", "y"}, l.keys[2].entry.value));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(
      ValuesEqual(MakeZSet({{"m1", 1.5}, {"m2", inf}, {"m3", -inf}}), l.keys[3].entry.value));
  EXPECT_TRUE(ValuesEqual(MakeHash({{"f", "v"}}), l.keys[4].entry.value));
  EXPECT_EQ(l.end_checksum, false);  // no checksum before RDB 5
}

TEST(ReaderOldEncodings, Version3ZipmapZiplistIntset) {
  // zipmap.c's documented example.
  const std::string zipmap(
      "\x02\x03"
      "foo"
      "\x03\x00"
      "bar"
      "\x05"
      "hello"
      "\x05\x00"
      "world\xff",
      24);
  ZiplistBuilder zl;
  for (const char* e : {"a", "7", "-300", "70000", "5000000000", "x"}) zl.Append(e);
  // intset.c: encoding 2, length 3, values 1 2 300 (LE int16).
  const std::string intset("\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x2c\x01", 14);
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(9) + Str("zm") + Str(zipmap);
  body += Byte(10) + Str("zl") + Str(zl.Finish());
  body += Byte(11) + Str("is") + Str(intset);
  const Loaded l = MustRead(WrapRdb(3, body));
  ASSERT_EQ(l.keys.size(), 3u);
  EXPECT_TRUE(ValuesEqual(MakeHash({{"foo", "bar"}, {"hello", "world"}}), l.keys[0].entry.value));
  EXPECT_TRUE(
      ValuesEqual(data::List{"a", "7", "-300", "70000", "5000000000", "x"}, l.keys[1].entry.value));
  EXPECT_TRUE(ValuesEqual(data::Set{"1", "2", "300"}, l.keys[2].entry.value));
}

TEST(ReaderOldEncodings, Version6ZiplistZsetAndHash) {
  ZiplistBuilder z;
  for (const char* e : {"a", "1", "b", "2.5", "c", "-inf"}) z.Append(e);
  ZiplistBuilder h;
  for (const char* e : {"f1", "v1", "f2", "12"}) h.Append(e);
  std::string body = Byte(0xFE) + Len(2) + Byte(12) + Str("z") + Str(z.Finish()) + Byte(13) +
                     Str("h") + Str(h.Finish());
  const Loaded l = MustRead(WrapRdb(6, body));
  ASSERT_EQ(l.keys.size(), 2u);
  EXPECT_EQ(l.keys[0].db, 2u);
  EXPECT_TRUE(
      ValuesEqual(MakeZSet({{"a", 1}, {"b", 2.5}, {"c", -std::numeric_limits<double>::infinity()}}),
                  l.keys[0].entry.value));
  EXPECT_TRUE(ValuesEqual(MakeHash({{"f1", "v1"}, {"f2", "12"}}), l.keys[1].entry.value));
  EXPECT_EQ(l.end_checksum, true);
}

TEST(ReaderOldEncodings, Version7QuicklistOfZiplistsWithLzfNode) {
  ZiplistBuilder n1, n2;
  for (const char* e : {"a", "b"}) n1.Append(e);
  for (int i = 0; i < 20; ++i) n2.Append("repeated-element-repeated-element");
  const std::string node2 = n2.Finish();
  // An LZF-compressed node string, as Redis writes compressed quicklist nodes.
  std::string body = Byte(0xFE) + Len(0) + Byte(14) + Str("q") + Len(2) + Str(n1.Finish());
  std::string lzf_node;
  {
    std::string tmp;
    WriterOptions o;
    o.version = 7;
    o.compress_strings = true;
    Writer w(o);
    w.WriteHeader();
    ASSERT_TRUE(w.WriteKey("k", data::Entry{data::String(node2)}).ok());
    // The value string starts after magic(9) + type(1) + key "k"(2).
    lzf_node = w.bytes().substr(12);
    ASSERT_EQ(static_cast<uint8_t>(lzf_node[0]), 0xC3);
  }
  body += lzf_node;
  const Loaded l = MustRead(WrapRdb(7, body));
  ASSERT_EQ(l.keys.size(), 1u);
  const auto& list = std::get<data::List>(l.keys[0].entry.value);
  ASSERT_EQ(list.size(), 22u);
  EXPECT_EQ(list[0], "a");
  EXPECT_EQ(list[21], "repeated-element-repeated-element");
  EXPECT_EQ(l.keys[0].meta.type_byte, 14);
}

TEST(ReaderOldEncodings, Version8BinaryScoresModuleValueLruLfu) {
  double score = -2.25;
  uint64_t raw;
  std::memcpy(&raw, &score, 8);
  const std::string module_ops = Len(2) + Len(7) + Len(1) + Len(3) + Len(5) + Str("blob") + Len(3) +
                                 LE(0x40490fdb, 4) + Len(4) + LE(raw, 8);
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(0xF8) + Len(120) + Byte(5) + Str("z") + Len(1) + Str("m") + LE(raw, 8);
  body += Byte(0xF9) + Byte(33) + Byte(7) + Str("mod") + Len(987654321) + module_ops + Len(0);
  const Loaded l = MustRead(WrapRdb(8, body));
  ASSERT_EQ(l.keys.size(), 2u);
  EXPECT_TRUE(ValuesEqual(MakeZSet({{"m", -2.25}}), l.keys[0].entry.value));
  EXPECT_EQ(l.keys[0].meta.lru_idle_seconds, 120);
  EXPECT_EQ(l.keys[0].meta.lfu_freq, -1);
  EXPECT_EQ(l.keys[1].meta.lfu_freq, 33);
  EXPECT_EQ(l.keys[1].meta.lru_idle_seconds, -1);
  EXPECT_TRUE(ValuesEqual(data::ModuleValue{987654321, module_ops}, l.keys[1].entry.value));
}

TEST(ReaderOpcodes, AuxResizeFunctionsModuleAuxSlotInfo) {
  std::string body;
  body += Byte(0xFA) + Str("redis-ver") + Str("7.4.0");
  body += Byte(0xFA) + Str("ctime") + Byte(0xC2) + LE(1700000000, 4);  // int-encoded aux
  body += Byte(0xF7) + Len(12345) + Len(2) + Len(2) + Len(5) + Str("aux!") + Len(0);
  body += Byte(0xF5) + Str("#!lua name=a\nreturn 1");
  // The 7.0 RC format: name, engine, has-description, description, code.
  body += Byte(0xF6) + Str("oldlib") + Str("LUA") + Len(1) + Str("desc") + Str("return 2");
  body += Byte(0xF6) + Str("nodesc") + Str("LUA") + Len(0) + Str("return 3");
  body += Byte(0xFE) + Len(0) + Byte(0xFB) + Len(10) + Len(3);
  body += Byte(0xF4) + Len(1234) + Len(5) + Len(2);
  body += Byte(0) + Str("k") + Str("v");
  const Loaded l = MustRead(WrapRdb(12, body));
  EXPECT_THAT(l.aux, ElementsAre(Pair("redis-ver", "7.4.0"), Pair("ctime", "1700000000")));
  EXPECT_THAT(l.module_aux, ElementsAre(Pair(12345u, Len(2) + Len(2) + Len(5) + Str("aux!"))));
  EXPECT_THAT(l.functions, ElementsAre("#!lua name=a\nreturn 1", "#!LUA name=oldlib\nreturn 2",
                                       "#!LUA name=nodesc\nreturn 3"));
  EXPECT_THAT(l.resizes, ElementsAre(Pair(10u, 3u)));
  ASSERT_EQ(l.slot_infos.size(), 1u);
  EXPECT_THAT(l.slot_infos[0], ElementsAre(1234u, 5u, 2u));
  ASSERT_EQ(l.keys.size(), 1u);
}

TEST(ReaderHashFieldExpiry, Redis74ReleaseCandidateTypes) {
  // 22 (RC): len, then (absolute ttl, field, value); 23 (RC): listpack of (field, value, ttl).
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(22) + Str("h22") + Len(2) + Len(1800000000000) + Str("f") + Str("v") + Len(0) +
          Str("g") + Str("w");
  ListpackBuilder lp;
  lp.Append("f");
  lp.Append("v");
  lp.AppendInt(1800000000001);
  lp.Append("g");
  lp.Append("w");
  lp.AppendInt(0);
  body += Byte(23) + Str("h23") + Str(lp.Finish());
  const Loaded l = MustRead(WrapRdb(12, body));
  ASSERT_EQ(l.keys.size(), 2u);
  data::Hash expect22 = MakeHash({{"f", "v"}, {"g", "w"}});
  expect22["f"].expire_at_ms = 1800000000000;
  EXPECT_TRUE(ValuesEqual(expect22, l.keys[0].entry.value));
  data::Hash expect23 = MakeHash({{"f", "v"}, {"g", "w"}});
  expect23["f"].expire_at_ms = 1800000000001;
  EXPECT_TRUE(ValuesEqual(expect23, l.keys[1].entry.value));
}

TEST(ReaderHashFieldExpiry, Redis74GaTypesUseRelativeTtls) {
  // 24: min expire, len, then (ttl relative to min, +1; 0 = none).
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(24) + Str("h24") + LE(1800000000000, 8) + Len(3) + Len(1) + Str("a") + Str("1") +
          Len(5001) + Str("b") + Str("2") + Len(0) + Str("c") + Str("3");
  ListpackBuilder lp;
  lp.Append("x");
  lp.Append("y");
  lp.AppendInt(1800000000007);
  body += Byte(25) + Str("h25") + LE(1800000000007, 8) + Str(lp.Finish());
  const Loaded l = MustRead(WrapRdb(12, body));
  ASSERT_EQ(l.keys.size(), 2u);
  data::Hash expect24 = MakeHash({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  expect24["a"].expire_at_ms = 1800000000000;
  expect24["b"].expire_at_ms = 1800000005000;
  EXPECT_TRUE(ValuesEqual(expect24, l.keys[0].entry.value));
  data::Hash expect25 = MakeHash({{"x", "y"}});
  expect25["x"].expire_at_ms = 1800000000007;
  EXPECT_TRUE(ValuesEqual(expect25, l.keys[1].entry.value));
}

TEST(ReaderValkey, Valkey9MagicHash2AndSlotImport) {
  std::string body = Byte(0xFA) + Str("valkey-ver") + Str("9.0.0");
  body += Byte(0xF3) + Str("job-1") + Len(2) + Len(0) + Len(100) + Len(200) + Len(300);
  body += Byte(0xFE) + Len(0);
  body += Byte(22) + Str("h") + Len(2) + Str("f") + Str("v") + LE(1800000000000, 8) + Str("g") +
          Str("w") + LE(static_cast<uint64_t>(-1), 8);
  const std::string rdb = WrapRdb(80, body, "VALKEY080");
  const Loaded l = MustRead(rdb);
  EXPECT_EQ(l.version, 80);
  ASSERT_EQ(l.slot_imports.size(), 1u);
  EXPECT_EQ(l.slot_imports[0].first, "job-1");
  EXPECT_THAT(l.slot_imports[0].second, ElementsAre(Pair(0u, 100u), Pair(200u, 300u)));
  ASSERT_EQ(l.keys.size(), 1u);
  data::Hash expect = MakeHash({{"f", "v"}, {"g", "w"}});
  expect["f"].expire_at_ms = 1800000000000;
  EXPECT_TRUE(ValuesEqual(expect, l.keys[0].entry.value));
  // The writer produces the same dialect.
  WriterOptions o;
  o.version = 80;
  Writer w(o);
  w.WriteHeader();
  ASSERT_TRUE(w.WriteKey("h", {expect}).ok());
  w.WriteEnd();
  EXPECT_EQ(w.bytes().substr(0, 9), "VALKEY080");
  const Loaded back = MustRead(w.bytes());
  ASSERT_EQ(back.keys.size(), 1u);
  EXPECT_TRUE(ValuesEqual(expect, back.keys[0].entry.value));
  // "REDIS0080" is read as Valkey too.
  EXPECT_EQ(MustRead(WrapRdb(80, body)).keys.size(), 1u);
}

TEST(ReaderDragonfly, ExtensionOpcodesAndTypes) {
  std::string body = Byte(0xFE) + Len(0);
  body += Byte(0xDC) + LE(3, 4) + LE(77, 4);  // DF_MASK sticky | memcached flags 77
  body += Byte(0) + Str("mc") + Str("v");
  body += Byte(30) + Str("json") + Str("{\"a\":1}");
  body += Byte(31) + Str("hx") + Len(2) + Str("f") + Str("v") + Str("1800000000") + Str("g") +
          Str("w") + Str("-1");
  body += Byte(32) + Str("sx") + Len(2) + Str("m1") + Str("-1") + Str("m2") + Str("1800000000");
  body += Byte(0xD2) + Len(1) + Str("journal-bytes");
  body += Byte(0xC8) + std::string(8, '\0');
  body += Byte(0xD3) + LE(424242, 8);
  const Loaded l = MustRead(WrapRdb(9, body));
  ASSERT_EQ(l.keys.size(), 4u);
  EXPECT_EQ(l.keys[0].meta.dragonfly_mask, 3u);
  EXPECT_EQ(l.keys[0].meta.memcached_flags, 77u);
  EXPECT_EQ(l.keys[1].meta.dragonfly_mask, 0u);
  EXPECT_TRUE(
      ValuesEqual(data::ModuleValue{kDragonflyJsonModuleId, "{\"a\":1}"}, l.keys[1].entry.value));
  data::Hash hx = MakeHash({{"f", "v"}, {"g", "w"}});
  hx["f"].expire_at_ms = 1800000000000;
  EXPECT_TRUE(ValuesEqual(hx, l.keys[2].entry.value));
  EXPECT_TRUE(ValuesEqual(data::Set{"m1", "m2"}, l.keys[3].entry.value));
  EXPECT_THAT(l.journal_blobs, ElementsAre(Pair(1u, "journal-bytes")));
  EXPECT_EQ(l.dragonfly_fullsync_ends, 1);
  EXPECT_THAT(l.journal_offsets, ElementsAre(424242u));
}

TEST(ReaderDragonfly, Type20BeforeRdb10IsJson) {
  const Loaded l = MustRead(WrapRdb(9, Byte(20) + Str("j") + Str("[1,2]")));
  ASSERT_EQ(l.keys.size(), 1u);
  EXPECT_TRUE(
      ValuesEqual(data::ModuleValue{kDragonflyJsonModuleId, "[1,2]"}, l.keys[0].entry.value));
}

TEST(ReaderIncremental, OffsetDoneVersionAndTailOnly) {
  WriterOptions o;
  o.version = 10;
  Writer w(o);
  w.WriteHeader();
  ASSERT_TRUE(w.WriteKey("big", {data::String(std::string(100000, 'b'))}).ok());
  w.WriteEnd();
  const std::string rdb = w.TakeBytes();
  CollectingHandler h;
  Reader r(&h);
  EXPECT_EQ(r.version(), 0);
  ASSERT_TRUE(r.Feed(rdb.substr(0, 20)).ok());
  EXPECT_EQ(r.version(), 10);
  EXPECT_EQ(r.offset(), 14u);  // magic, type and key "big"; the value waits for its bytes
  EXPECT_TRUE(h.loaded.keys.empty());
  ASSERT_TRUE(r.Feed(rdb.substr(20, rdb.size() - 25)).ok());
  EXPECT_FALSE(r.done());  // the checksum is incomplete
  EXPECT_EQ(h.loaded.keys.size(), 1u);
  EXPECT_EQ(r.offset(), rdb.size() - 8);  // everything up to the partial checksum

  ASSERT_TRUE(r.Feed(rdb.substr(rdb.size() - 5)).ok());
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.offset(), rdb.size());
  EXPECT_TRUE(r.Finish().ok());
  ASSERT_EQ(h.loaded.keys.size(), 1u);
  EXPECT_EQ(h.loaded.end_checksum, true);
}

TEST(ReaderIncremental, EmptyFeedsAreHarmless) {
  const std::string rdb = WrapRdb(10, Byte(0) + Str("k") + Str("v"));
  CollectingHandler h;
  Reader r(&h);
  for (char ch : rdb) {
    ASSERT_TRUE(r.Feed("").ok());
    ASSERT_TRUE(r.Feed(std::string_view(&ch, 1)).ok());
  }
  EXPECT_TRUE(r.Finish().ok());
  EXPECT_EQ(h.loaded.keys.size(), 1u);
}

TEST(ReaderFile, ReadFileAndModuleTypeName) {
  const std::string rdb = WrapRdb(10, Byte(0) + Str("k") + Str("v"));
  const std::string path = ::testing::TempDir() + "/reader_file_test.rdb";
  {
    std::ofstream f(path, std::ios::binary);
    f << rdb;
  }
  CollectingHandler h;
  ASSERT_TRUE(ReadFile(path, &h).ok());
  EXPECT_EQ(h.loaded.keys.size(), 1u);
  std::remove(path.c_str());
  EXPECT_THAT(ReadFile(path, &h).message(), HasSubstr("cannot open"));
  // "ReJSON-RL" encver 3: each character is 6 bits of the id, then 10 bits of encver.
  const std::string charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t id = 0;
  for (char ch : std::string("ReJSON-RL")) id = (id << 6) | charset.find(ch);
  EXPECT_EQ(ModuleTypeName(id << 10 | 3), "ReJSON-RL/3");
}

}  // namespace
}  // namespace conformance::rdb::testing
