// Named negative cases: every malformed input is an error value naming the offset and what
// was expected; never a crash, never an allocation sized by a hostile length.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

#include "harness/rdb/listpack.h"
#include "harness/rdb/reader.h"
#include "harness/rdb/writer.h"
#include "harness/rdb/ziplist.h"
#include "harness/rdb/zipmap.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string Byte(int b) { return std::string(1, static_cast<char>(b)); }

// Key "k" of type `type` with the given value bytes, in an RDB 12 file.
std::string OneKey(int type, const std::string& value_bytes, int version = 12) {
  return WrapRdb(version, Byte(0xFE) + Len(0) + Byte(type) + Str("k") + value_bytes);
}

struct NegativeCase {
  std::string name;
  std::string bytes;
  std::vector<std::string> error_parts;
  ReaderLimits limits = {};
  bool chunked_only = false;  // the limit bounds buffering, so it needs partial input
};

std::vector<NegativeCase> Cases() {
  std::vector<NegativeCase> c;
  c.push_back({"BadMagic", "RIDES0009\xff", {"RDB offset 0", "bad magic \"RIDES0009\""}});
  c.push_back({"BadVersionDigits", "REDIS00x9\xff", {"bad version digits"}});
  c.push_back({"VersionTooNew", WrapRdb(13, ""), {"unsupported RDB version 13", "1..12"}});
  c.push_back({"VersionZero", "REDIS0000\xff", {"unsupported RDB version 0"}});
  c.push_back({"ValkeyVersion81", "VALKEY081\xff", {"unsupported RDB version 81", "Valkey 80"}});
  // The unknown type byte sits at offset 11 (magic 9 + FE 00).
  c.push_back({"UnknownValueType",
               OneKey(99, Str("v")),
               {"RDB offset 11: unknown value type 99 for key \"k\""}});
  c.push_back({"UnknownOpcodeNoKey",
               WrapRdb(12, Byte(0x27) + Byte(0xC5)),
               {"RDB offset 9: unknown opcode or value type 39"}});
  c.push_back({"SlotImportIsUnknownForRedis",
               WrapRdb(12, Byte(0xF3) + Str("job") + Len(0)),
               {"RDB offset 9: unknown value type 243 for key \"job\""}});
  c.push_back({"DragonflyTaggedChunk",
               WrapRdb(9, Byte(0xE0) + LE(1, 4) + LE(1, 4) + "x"),
               {"RDB offset 9: unsupported Dragonfly opcode 224", "tagged-chunk"}});
  c.push_back({"DragonflyZstdBlob",
               WrapRdb(9, Byte(0xC9) + Str("zstd")),
               {"unsupported Dragonfly opcode 201"}});
  c.push_back({"DragonflySbf",
               OneKey(33, Str("x"), 9),
               {"unsupported Dragonfly value type 33", "key \"k\""}});
  c.push_back({"ModulePreGa", OneKey(6, Len(1)), {"cannot be skipped"}});
  c.push_back({"ModuleUnknownOpcode",
               OneKey(7, Len(77) + Len(9)),
               {"RDB offset 16: unknown module opcode 9", "key \"k\""}});
  c.push_back(
      {"BadLengthByte", OneKey(1, Byte(0x82)), {"RDB offset 14: bad length encoding byte 0x82"}});
  c.push_back({"CountIsAString", OneKey(1, Byte(0xC0) + Byte(1)), {"expected a length"}});
  c.push_back({"UnknownStringEncoding", OneKey(0, Byte(0xC4)), {"unknown string encoding 0xc4"}});
  c.push_back({"NanScore", OneKey(3, Len(1) + Str("m") + Byte(253)), {"zset score is NaN"}});
  c.push_back({"BadTextScore",
               OneKey(3, Len(1) + Str("m") + Byte(3) + "1x5"),
               {"bad double text \"1x5\""}});
  c.push_back({"DuplicateSetMember",
               OneKey(2, Len(2) + Str("a") + Str("a")),
               {"duplicate set member", "key \"k\""}});
  c.push_back({"DuplicateHashField",
               OneKey(4, Len(2) + Str("f") + Str("1") + Str("f") + Str("2")),
               {"duplicate hash field"}});
  c.push_back({"DuplicateZsetMember",
               OneKey(5, Len(2) + Str("m") + LE(0, 8) + Str("m") + LE(0, 8)),
               {"duplicate zset member \"m\""}});
  // The same repeats in compact encodings, which a packing handler sorts and checks itself.
  for (const auto& [name, type, items, error] :
       std::vector<std::tuple<std::string, int, std::vector<std::string>, std::string>>{
           {"DuplicateSetMemberListpack", 20, {"a", "b", "a"}, "duplicate set member"},
           {"DuplicateHashFieldListpack", 16, {"f", "1", "f", "2"}, "duplicate hash field"},
           {"DuplicateZsetMemberListpack", 17, {"m", "1", "m", "2"}, "duplicate zset member \"m\""},
           {"BadZsetScoreListpack", 17, {"m", "x1"}, "bad zset score \"x1\""}}) {
    ListpackBuilder lp;
    for (const std::string& item : items) lp.Append(item);
    c.push_back({name, OneKey(type, Str(lp.Finish())), {error, "key \"k\""}});
  }
  c.push_back({"QuicklistBadContainer",
               OneKey(18, Len(1) + Len(3) + Str("x")),
               {"bad quicklist container 3"}});
  c.push_back(
      {"QuicklistEmptyNode", OneKey(18, Len(1) + Len(1) + Str("")), {"empty quicklist node"}});
  c.push_back({"ListpackCorrupt", OneKey(16, Str("garbage-listpack")), {"corrupt listpack"}});
  c.push_back({"ZiplistCorrupt", OneKey(13, Str("garbage-ziplist")), {"corrupt ziplist"}});
  c.push_back({"IntsetCorrupt", OneKey(11, Str("\x05\0\0\0")), {"corrupt intset"}});
  c.push_back({"ZipmapCorrupt", OneKey(9, Str("\x01\x09zz")), {"corrupt zipmap"}});
  {
    ListpackBuilder lp;
    lp.Append("f");
    lp.Append("v");
    lp.Append("odd");
    c.push_back({"HashListpackOddCount",
                 OneKey(16, Str(lp.Finish())),
                 {"3 elements is not a multiple of 2"}});
  }
  {
    ListpackBuilder lp;
    lp.Append("f");
    lp.Append("v");
    lp.AppendInt(-5);
    c.push_back(
        {"ListpackExBadTtl", OneKey(25, LE(1, 8) + Str(lp.Finish())), {"bad field expiry \"-5\""}});
  }
  c.push_back({"FieldTtlBeyond48Bits",
               OneKey(22, Len(1) + Len(uint64_t{1} << 50) + Str("f") + Str("v")),
               {"beyond 2^48-1"}});
  // Seconds that overflow as milliseconds; found by tests/fuzz/dump_payload.cc.
  c.push_back({"DragonflyElementTtlOverflowsMs",
               OneKey(31, Len(1) + Str("f") + Str("v") + Str("9223372036854776"), 9),
               {"bad element TTL \"9223372036854776\""}});
  c.push_back({"StreamNodeKeyWrongSize",
               OneKey(21, Len(1) + Str("short") + Str("lp")),
               {"stream node key has 5 bytes"}});
  {
    // A stream whose consumer PEL names an ID that is not in the group PEL.
    // No nodes; length, last ID, first ID, max deleted ID, entries added; one group.
    std::string v = Len(0) + Len(0) + Len(0) + Len(0) + Len(0) + Len(0) + Len(0) + Len(0) + Len(0) +
                    Len(1) + Str("g") + Len(0) + Len(0) + Len(0) + Len(0) + Len(1) + Str("c") +
                    LE(0, 8) + LE(0, 8) + Len(1) + std::string(16, '\x01');
    c.push_back({"ConsumerPelNotInGroupPel", OneKey(21, v), {"is not in the group's PEL"}});
  }
  c.push_back({"StreamLengthMismatch",
               OneKey(21, Len(0) + Len(5) + std::string(20, '\0')),
               {"stream length 5 but its listpacks hold 0 entries"}});
  // LZF with lengths that do not match the data.
  c.push_back({"LzfWrongUncompressedLength",
               OneKey(0, Byte(0xC3) + Len(3) + Len(10) +
                             "\x02"
                             "abc"),
               {"LZF"}});
  c.push_back({"LzfZeroLength",
               OneKey(0, Byte(0xC3) + Len(0) + Len(10)),
               {"LZF string value with a zero length"}});
  c.push_back({"LzfCorrupt",
               OneKey(0, Byte(0xC3) + Len(4) + Len(100) + "\xff\xff\xff\xff"),
               {"corrupt LZF data"}});
  // Limits, each crossed.
  {
    ReaderLimits l;
    l.max_string_length = 100;
    c.push_back({"StringBeyondLimit",
                 OneKey(0, Str(std::string(101, 's'))),
                 {"RDB offset 14", "101 bytes long, more than the limit of 100"},
                 l});
  }
  {
    ReaderLimits l;
    l.max_string_length = 100;
    c.push_back({"LzfBeyondLimit",
                 OneKey(0, Byte(0xC3) + Len(3) + Len(5000) + "xyz"),
                 {"exceeds the limit of 100"},
                 l});
  }
  {
    ReaderLimits l;
    l.max_elements = 3;
    c.push_back({"CountBeyondLimit", OneKey(1, Len(4)), {"more than the limit of 3 elements"}, l});
    ListpackBuilder lp;
    for (int i = 0; i < 5; ++i) lp.Append("e");
    c.push_back({"ListpackItemsBeyondLimit",
                 OneKey(20, Str(lp.Finish())),
                 {"listpack has more than 3 elements"},
                 l});
    std::string nodes = Len(3);
    for (int i = 0; i < 3; ++i) {
      ListpackBuilder node;
      node.Append("a");
      node.Append("b");
      nodes += Len(2) + Str(node.Finish());
    }
    c.push_back({"QuicklistTotalBeyondLimit", OneKey(18, nodes), {"more than 3 elements"}, l});
  }
  {
    ReaderLimits l;
    l.max_record_size = 1000;
    c.push_back(
        {"RecordBeyondLimit",
         OneKey(0, Str(std::string(5000, 'r'))),
         {"RDB offset 14: a single record needs 5002 bytes, more than max_record_size 1000"},
         l,
         true});
  }
  {
    ReaderLimits l;
    l.max_module_value_size = 10;
    c.push_back({"ModuleValueBeyondLimit",
                 OneKey(7, Len(1) + Len(5) + Str(std::string(20, 'm')) + Len(0)),
                 {"module data longer than the limit of 10 bytes"},
                 l});
  }
  // Hostile lengths under default limits: rejected before anything is allocated.
  c.push_back({"HostileStringLength",
               OneKey(0, Byte(0x80) + LE(0xffffffff, 4)),
               {"4294967295 bytes long, more than the limit"}});
  c.push_back({"HostileCount",
               OneKey(1, Byte(0x81) + std::string("\x00\x00\x01\x00\x00\x00\x00\x00", 8)),
               {"more than the limit of 4294967296 elements"}});
  c.push_back({"HostileIntsetLength",
               OneKey(11, Str(std::string("\x08\0\0\0\xff\xff\xff\x7f", 8))),
               {"corrupt intset"}});
  return c;
}

TEST(ReaderNegative, NamedCases) {
  for (const NegativeCase& c : Cases()) {
    for (bool packed : {false, true}) {
      for (size_t chunk : {size_t{0}, size_t{1}}) {
        if (c.chunked_only && chunk == 0) continue;
        const std::string err = ReadError(c.bytes, chunk, c.limits, packed);
        const std::string where =
            c.name + " chunk " + std::to_string(chunk) + (packed ? " packed" : "");
        ASSERT_FALSE(err.empty()) << where << ": no error";
        for (const std::string& part : c.error_parts) EXPECT_THAT(err, HasSubstr(part)) << where;
      }
    }
  }
}

// The per-key path (data::Value) and the packed path (Handler::TakesPacked) decode the same
// bytes: they must fail with the same words at the same offset, in one chunk or byte by byte,
// and also when the value is cut short after the fault.
struct SameErrorCase {
  std::string name;
  std::string value;    // key "k"'s value bytes, after the type byte and key
  int type;
  std::string error;    // the whole message up to the key
};

std::vector<SameErrorCase> SameErrorCases() {
  auto listpack = [](std::vector<std::string> items) {
    ListpackBuilder lp;
    for (const std::string& item : items) lp.Append(item);
    return Str(lp.Finish());
  };
  auto ziplist = [](std::vector<std::string> items) {
    ZiplistBuilder zl;
    for (const std::string& item : items) zl.Append(item);
    return Str(zl.Finish());
  };
  // Offsets: magic 9, FE 00, type byte at 11, key "k" at 12..13, the value from 14.
  return {
      {"PlainSet", Len(3) + Str("a") + Str("b") + Str("a"), 2,
       "RDB offset 19: duplicate set member"},
      {"PlainSetIntegers", Len(3) + Str("7") + Str("300") + Str("7"), 2,
       "RDB offset 21: duplicate set member"},
      {"PlainHash", Len(3) + Str("f") + Str("1") + Str("g") + Str("2") + Str("f") + Str("3"), 4,
       "RDB offset 23: duplicate hash field"},
      {"PlainZSetText", Len(2) + Str("m") + Byte(1) + "1" + Str("m") + Byte(1) + "2", 3,
       "RDB offset 19: duplicate zset member \"m\""},
      {"PlainZSetBinary", Len(3) + Str("z") + LE(0, 8) + Str("a") + LE(0, 8) + Str("z") + LE(0, 8),
       5, "RDB offset 35: duplicate zset member \"z\""},
      // Two repeats: the first in input order is named, not the first in sorted order.
      {"ListpackZSetTwoRepeats", listpack({"z", "1", "a", "2", "z", "3", "a", "4"}), 17,
       "RDB offset 14: duplicate zset member \"z\""},
      {"ListpackSet", listpack({"b", "a", "b"}), 20, "RDB offset 14: duplicate set member"},
      {"ListpackHash", listpack({"f", "1", "f", "2"}), 16, "RDB offset 14: duplicate hash field"},
      {"ZiplistZSet", ziplist({"y", "1", "x", "2", "y", "3"}), 12,
       "RDB offset 14: duplicate zset member \"y\""},
      {"ZiplistHash", ziplist({"f", "1", "f", "2"}), 13, "RDB offset 14: duplicate hash field"},
      {"ZipmapHash", Str(EncodeZipmap({{"f", "1"}, {"f", "2"}})), 9,
       "RDB offset 14: duplicate hash field"},
      // The score is checked before the repeat in each pair, on both paths.
      {"ListpackZSetBadScoreAfterRepeat", listpack({"m", "1", "m", "x"}), 17,
       "RDB offset 14: bad zset score \"x\""},
  };
}

TEST(ReaderNegative, PerKeyAndPackedPathsReportTheSameErrorAtTheSameOffset) {
  for (const SameErrorCase& c : SameErrorCases()) {
    const std::string head = Byte(0xFE) + Len(0) + Byte(c.type) + Str("k");
    const std::string whole = WrapRdb(12, head + c.value);
    // Cut right after the value: the file ends there (no EOF opcode, no checksum).
    const std::string truncated = whole.substr(0, 9 + head.size() + c.value.size());
    using Form = std::pair<std::string, std::string>;
    for (const auto& [form, bytes] : {Form{"whole", whole}, Form{"truncated", truncated}}) {
      for (size_t chunk : {size_t{0}, size_t{1}}) {
        const std::string where = fmt::format("{} {} chunk {}", c.name, form, chunk);
        const std::string per_key = ReadError(bytes, chunk, {}, /*packed=*/false);
        const std::string packed = ReadError(bytes, chunk, {}, /*packed=*/true);
        EXPECT_THAT(per_key, HasSubstr(c.error + " (value of type")) << where;
        EXPECT_EQ(packed, per_key) << where;
      }
    }
  }
}

std::string SmallValidRdb() {
  WriterOptions o;
  o.version = 11;
  Writer w(o);
  w.WriteHeader();
  w.WriteAux("redis-ver", "7.2.0");
  w.WriteSelectDb(0);
  EXPECT_TRUE(w.WriteKey("key", {data::String("value-abcdef")}).ok());
  EXPECT_TRUE(w.WriteKey("list", {data::List{"a", "b", "c"}}).ok());
  EXPECT_TRUE(w.WriteKey("hash", {MakeHash({{"f", "v"}})}).ok());
  w.WriteEnd();
  return w.TakeBytes();
}

TEST(ReaderNegative, CrcMismatchNamesBothValues) {
  std::string rdb = SmallValidRdb();
  const size_t at = rdb.find("value-abcdef");
  ASSERT_NE(at, std::string::npos);
  rdb[at] = 'V';
  const std::string err = ReadError(rdb);
  EXPECT_THAT(
      err, AllOf(HasSubstr("CRC64 mismatch"), HasSubstr("file says 0x"), HasSubstr("computed 0x"),
                 HasSubstr(fmt::format("RDB offset {}", rdb.size() - 8))));
  // The same file with the checksum zeroed is accepted (checksum disabled).
  std::string disabled = rdb;
  disabled.replace(disabled.size() - 8, 8, std::string(8, '\0'));
  auto loaded = ReadChunked(disabled, 0);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_EQ(loaded->end_checksum, false);
}

TEST(ReaderNegative, TruncatedAtEveryLength) {
  const std::string rdb = SmallValidRdb();
  for (size_t len = 0; len < rdb.size(); ++len) {
    const std::string err = ReadError(rdb.substr(0, len));
    EXPECT_THAT(err, HasSubstr("truncated")) << len;
    EXPECT_THAT(err, HasSubstr(fmt::format("RDB offset {}", len))) << len;
  }
}

TEST(ReaderNegative, TruncatedNamesWhereItStopped) {
  const std::string rdb = SmallValidRdb();
  const size_t in_list = rdb.find("list") + 6;
  EXPECT_THAT(ReadError(rdb.substr(0, in_list)), HasSubstr("inside the value of key \"list\""));
  EXPECT_THAT(ReadError(rdb.substr(0, rdb.size() - 3)), HasSubstr("before the 8-byte checksum"));
  EXPECT_THAT(ReadError(rdb.substr(0, 5)), HasSubstr("before the 9-byte magic"));
}

TEST(ReaderNegative, TrailingGarbage) {
  const std::string rdb = SmallValidRdb();
  EXPECT_THAT(ReadError(rdb + "xyz"), HasSubstr("3 bytes of trailing garbage"));
  // Fed after the end in a separate call.
  CollectingHandler h;
  Reader r(&h);
  ASSERT_TRUE(r.Feed(rdb).ok());
  EXPECT_TRUE(r.done());
  Status st = r.Feed("\n");
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("trailing garbage"));
  EXPECT_FALSE(r.Finish().ok()) << "errors are sticky";
}

TEST(ReaderNegative, HandlerAbortIsStickyAndStopsParsing) {
  const std::string rdb = SmallValidRdb();
  CollectingHandler h;
  h.fail_on_key = "list";
  Reader r(&h);
  Status st = r.Feed(rdb);
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("handler refused key list"));
  EXPECT_EQ(h.loaded.keys.size(), 1u) << "keys after the refused one are not delivered";
  EXPECT_EQ(r.Feed("x").message(), st.message());
  EXPECT_EQ(r.Finish().message(), st.message());
}

// A declared 400 MB string (under the 512 MB limit) that never arrives: the reader waits
// without reserving memory for it, buffering only what was actually fed.
TEST(ReaderNegative, HostileLengthUnderTheLimitDoesNotAllocate) {
  const std::string head = std::string("REDIS0011") + Byte(0) + Str("k") + Byte(0x80) +
                           std::string("\x19\x00\x00\x00", 4);  // 400 MiB, big-endian
  CollectingHandler h;
  Reader r(&h);
  ASSERT_TRUE(r.Feed(head).ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(r.Feed(std::string(1000, 'x')).ok());
  EXPECT_EQ(r.offset(), 12u) << "magic, type and key; the value waits";
  Status st = r.Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("truncated"));
}

// Feeding garbage of every byte value after a valid header never crashes.
TEST(ReaderNegative, FuzzishRandomBodies) {
  uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245 + 12345;
    return static_cast<char>((seed >> 16) & 0xff);
  };
  const std::string valid = SmallValidRdb();
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = valid;
    // Flip a few bytes after the magic.
    for (int k = 0; k < 3; ++k) {
      const size_t at =
          9 + static_cast<size_t>(static_cast<unsigned char>(next())) % (bytes.size() - 9);
      bytes[at] = next();
    }
    (void)ReadError(bytes, round % 7);
  }
}

}  // namespace
}  // namespace conformance::rdb::testing
