// The compact encodings on their own: round trips at every size and integer-width boundary,
// exact bytes for known inputs, and named corruptions.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/intset.h"
#include "harness/rdb/listpack.h"
#include "harness/rdb/lzf_codec.h"
#include "harness/rdb/stream_listpack.h"
#include "harness/rdb/ziplist.h"
#include "harness/rdb/zipmap.h"

namespace conformance::rdb {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> BoundaryStrings() {
  std::vector<std::string> out = {"", "a", "hello", "-", "+1", "01", "-0", "1.5", " 1"};
  for (size_t n :
       {62u, 63u, 64u, 127u, 128u, 253u, 254u, 255u, 4095u, 4096u, 16383u, 16384u, 70000u}) {
    out.push_back(std::string(n, 'x'));
  }
  for (int64_t v : std::initializer_list<int64_t>{
           0LL,           1LL,        12LL,       13LL,         127LL,        128LL,
           -1LL,          -128LL,     -129LL,     4095LL,       4096LL,       -4096LL,
           -4097LL,       32767LL,    32768LL,    -32768LL,     -32769LL,     8388607LL,
           8388608LL,     -8388608LL, -8388609LL, 2147483647LL, 2147483648LL, -2147483648LL,
           -2147483649LL, INT64_MAX,  INT64_MIN}) {
    out.push_back(Int64ToString(v));
  }
  out.push_back("9223372036854775808");  // one past INT64_MAX: stays a string
  return out;
}

std::vector<std::string> ToStrings(const std::vector<CompactItem>& items) {
  std::vector<std::string> out;
  for (const auto& it : items) out.push_back(it.ToString());
  return out;
}

TEST(StrictInt, FollowsRedisString2ll) {
  int64_t v;
  EXPECT_TRUE(ParseStrictInt64("0", &v));
  EXPECT_TRUE(ParseStrictInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_TRUE(ParseStrictInt64("9223372036854775807", &v));
  for (const char* bad : {"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1a", "9223372036854775808",
                          "-9223372036854775809", "123456789012345678901"}) {
    EXPECT_FALSE(ParseStrictInt64(bad, &v)) << bad;
  }
}

TEST(Listpack, RoundTripsEveryBoundary) {
  ListpackBuilder b;
  const auto strings = BoundaryStrings();
  for (const auto& s : strings) b.Append(s);
  const std::string lp = b.Finish();
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeListpack(lp, &items, 1000).ok());
  EXPECT_EQ(ToStrings(items), strings);
}

// The listpack Redis 7.0 wrote for HSET h f1 v1 f2 2 f3 -100 (from dump-7.0-hash-listpack).
TEST(Listpack, DecodesRedisBytes) {
  const std::string lp(
      "\x1c\x00\x00\x00\x06\x00\x82\x66\x33\x03\xdf\x9c\x02\x82\x66\x32\x03\x02\x01\x82\x66\x31"
      "\x03\x82\x76\x31\x03\xff",
      28);
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeListpack(lp, &items, 100).ok());
  EXPECT_THAT(ToStrings(items), ::testing::ElementsAre("f3", "-100", "f2", "2", "f1", "v1"));
  EXPECT_TRUE(items[1].is_int);
  // Our builder produces the same bytes for the same elements.
  ListpackBuilder b;
  for (const char* s : {"f3", "-100", "f2", "2", "f1", "v1"}) b.Append(s);
  EXPECT_EQ(b.Finish(), lp);
}

TEST(Listpack, Corruptions) {
  ListpackBuilder b;
  b.Append("abc");
  b.Append("12345");
  const std::string good = b.Finish();
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeListpack(good, &items, 10).ok());
  struct Case {
    std::string name;
    std::string bytes;
    std::string error;
  };
  std::vector<Case> cases;
  {
    std::string s = good;
    s[4 + 2 + 4] ^= 0x01;  // back-length of "abc" (entry = 1 + 3 bytes, back-length at +4)
    cases.push_back({"BadBackLength", s, "bad back-length"});
  }
  {
    std::string s = good;
    s[0] = static_cast<char>(s.size() + 1);
    cases.push_back({"TotalBytesMismatch", s, "header says"});
  }
  {
    std::string s = good;
    s.back() = '\x00';
    cases.push_back({"NoTerminator", s, "terminator"});
  }
  {
    std::string s = good;
    s[4] = 5;  // count 5, holds 2
    cases.push_back({"CountMismatch", s, "header count 5"});
  }
  {
    std::string s = good;
    s[6] = static_cast<char>(0x80 | 60);  // 6-bit string of 60 bytes: past the end
    cases.push_back({"StringOverflow", s, "runs past the end"});
  }
  {
    std::string s = good;
    s[6] = static_cast<char>(0xF0);  // 32-bit string length from the next 4 bytes
    cases.push_back({"Huge32BitLength", s, "runs past the end"});
  }
  {
    std::string s = good;
    s[6] = static_cast<char>(0xF7);
    cases.push_back({"BadEncodingByte", s, "bad encoding byte 0xf7"});
  }
  cases.push_back({"TooShort", std::string("\x06\x00\x00\x00\x00\x00", 6), "shorter"});
  for (const auto& c : cases) {
    Status st = DecodeListpack(c.bytes, &items, 10);
    ASSERT_FALSE(st.ok()) << c.name;
    EXPECT_THAT(st.message(), HasSubstr(c.error)) << c.name;
  }
  Status limit = DecodeListpack(good, &items, 1);
  ASSERT_FALSE(limit.ok());
  EXPECT_THAT(limit.message(), HasSubstr("more than 1 elements"));
}

TEST(Ziplist, RoundTripsEveryBoundary) {
  ZiplistBuilder b;
  const auto strings = BoundaryStrings();
  for (const auto& s : strings) b.Append(s);
  const std::string zl = b.Finish();
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeZiplist(zl, &items, 1000).ok());
  EXPECT_EQ(ToStrings(items), strings);
}

TEST(Ziplist, EmptyRoundTrips) {
  ZiplistBuilder b;
  const std::string zl = b.Finish();
  EXPECT_EQ(zl, std::string("\x0b\x00\x00\x00\x0a\x00\x00\x00\x00\x00\xff", 11));
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeZiplist(zl, &items, 10).ok());
  EXPECT_TRUE(items.empty());
}

// Hand-made per ziplist.c: ["a", 5 (immediate), 300 (int16)].
TEST(Ziplist, DecodesHandMadeBytes) {
  std::string zl("\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00", 10);
  zl += std::string(
      "\x00\x01"
      "a",
      3);                                    // prevlen 0, 6-bit string of 1
  zl += std::string("\x03\xf6", 2);          // prevlen 3, immediate 5
  zl += std::string("\x02\xc0\x2c\x01", 4);  // prevlen 2, int16 300
  zl += '\xff';
  zl[0] = static_cast<char>(zl.size());
  zl[4] = 15;  // zltail: offset of the last entry
  std::vector<CompactItem> items;
  Status st = DecodeZiplist(zl, &items, 10);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_THAT(ToStrings(items), ::testing::ElementsAre("a", "5", "300"));
}

TEST(Ziplist, Corruptions) {
  ZiplistBuilder b;
  b.Append("abc");
  b.Append("def");
  b.Append(std::string(300, 'z'));
  b.Append("x");  // prevlen 5 bytes: previous entry > 253
  const std::string good = b.Finish();
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeZiplist(good, &items, 10).ok());
  ASSERT_EQ(items.size(), 4u);
  struct Case {
    std::string name;
    std::string bytes;
    std::string error;
  };
  std::vector<Case> cases;
  {
    std::string s = good;
    s[10 + 5] = 7;  // prevlen of "def" (second entry) should be 5
    cases.push_back({"BadPrevlen", s, "bad prevlen"});
  }
  {
    std::string s = good;
    s[4] = static_cast<char>(s[4] + 1);
    cases.push_back({"BadTail", s, "zltail"});
  }
  {
    std::string s = good;
    s[8] = 9;
    cases.push_back({"CountMismatch", s, "header count 9"});
  }
  {
    std::string s = good;
    s[11] = 0x7f;  // "abc" claims 16383 bytes (14-bit length)
    s[12] = static_cast<char>(0xff);
    cases.push_back({"Overflow", s, "runs past the end"});
  }
  {
    std::string s = good;
    s[11] = static_cast<char>(0xC5);
    cases.push_back({"BadEncoding", s, "bad encoding byte 0xc5"});
  }
  {
    std::string s = good;
    s[0] = 1;
    cases.push_back({"BytesMismatch", s, "header says 257 bytes"});
  }
  for (const auto& c : cases) {
    Status st = DecodeZiplist(c.bytes, &items, 10);
    ASSERT_FALSE(st.ok()) << c.name;
    EXPECT_THAT(st.message(), HasSubstr(c.error)) << c.name;
  }
}

TEST(Intset, EncodesNarrowestWidthAndRoundTrips) {
  struct Case {
    std::vector<int64_t> values;
    uint32_t width;
  };
  for (const Case& c : std::vector<Case>{{{3, 1, 2}, 2},
                                         {{-32768, 32767}, 2},
                                         {{1, 40000}, 4},
                                         {{INT32_MIN, 5}, 4},
                                         {{1, 5000000000}, 8},
                                         {{INT64_MIN, INT64_MAX}, 8}}) {
    const std::string blob = EncodeIntset(c.values);
    EXPECT_EQ(static_cast<uint8_t>(blob[0]), c.width);
    std::vector<int64_t> back;
    ASSERT_TRUE(DecodeIntset(blob, &back, 100).ok());
    std::vector<int64_t> sorted = c.values;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(back, sorted);
  }
}

TEST(Intset, Corruptions) {
  std::vector<int64_t> out;
  std::string bad_width("\x03\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00", 11);
  EXPECT_THAT(DecodeIntset(bad_width, &out, 10).message(), HasSubstr("encoding 3"));
  std::string unsorted("\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00", 12);
  EXPECT_THAT(DecodeIntset(unsorted, &out, 10).message(), HasSubstr("is not above"));
  std::string dup("\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x05\x00", 12);
  EXPECT_THAT(DecodeIntset(dup, &out, 10).message(), HasSubstr("is not above"));
  std::string short_body("\x02\x00\x00\x00\xff\xff\xff\xff\x05\x00", 10);
  EXPECT_THAT(DecodeIntset(short_body, &out, UINT32_MAX).message(), HasSubstr("need"));
  EXPECT_THAT(DecodeIntset(short_body, &out, 10).message(), HasSubstr("limit"));
}

// The example in zipmap.c's header comment.
TEST(Zipmap, DecodesTheDocumentedExample) {
  const std::string zm(
      "\x02\x03"
      "foo"
      "\x03\x00"
      "bar"
      "\x05"
      "hello"
      "\x05\x00"
      "world\xff",
      24);
  std::vector<CompactItem> items;
  ASSERT_TRUE(DecodeZipmap(zm, &items, 10).ok());
  EXPECT_THAT(ToStrings(items), ::testing::ElementsAre("foo", "bar", "hello", "world"));
  EXPECT_EQ(EncodeZipmap({{"foo", "bar"}, {"hello", "world"}}), zm);
}

TEST(Zipmap, FreeBytesBigLengthsAndCorruptions) {
  // A value with 2 free bytes after it, and a 300-byte key (5-byte length).
  std::string zm(
      "\x02\x01"
      "k"
      "\x01\x02"
      "v??",
      8);
  zm += std::string("\xfe\x2c\x01\x00\x00", 5) + std::string(300, 'K') + std::string("\x00\x00", 2);
  zm += '\xff';
  std::vector<CompactItem> items;
  Status st = DecodeZipmap(zm, &items, 10);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_THAT(ToStrings(items), ::testing::ElementsAre("k", "v", std::string(300, 'K'), ""));
  std::string overflow(
      "\x01\x05"
      "ab\xff",
      5);
  EXPECT_THAT(DecodeZipmap(overflow, &items, 10).message(), HasSubstr("runs past the end"));
  std::string free_overflow(
      "\x01\x01"
      "k"
      "\x01\x09"
      "v\xff",
      7);
  EXPECT_THAT(DecodeZipmap(free_overflow, &items, 10).message(), HasSubstr("runs past the end"));
  std::string no_end(
      "\x01\x01"
      "k"
      "\x01\x00"
      "v",
      6);
  EXPECT_THAT(DecodeZipmap(no_end, &items, 10).message(), HasSubstr("terminator"));
}

TEST(Lzf, RoundTripAndWrongLengths) {
  const std::string raw(1000, 'a');
  auto packed = LzfCompress(raw);
  ASSERT_TRUE(packed.has_value());
  auto back = LzfDecompress(*packed, raw.size());
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(*back, raw);
  EXPECT_THAT(LzfDecompress(*packed, raw.size() - 1).message(), HasSubstr("more than 999"));
  EXPECT_THAT(LzfDecompress(*packed, raw.size() + 5).message(),
              HasSubstr("1000 bytes, expected 1005"));
  EXPECT_THAT(LzfDecompress("\xff\xff\xff", 10).message(), HasSubstr("corrupt LZF"));
  EXPECT_FALSE(LzfCompress("abcdefgh").has_value());  // incompressible: not worth it
}

TEST(StreamListpack, RoundTripAndNodeKey) {
  std::map<data::StreamId, data::StreamFields> entries;
  entries[{10, 0}] = {{"a", "1"}, {"b", "2"}};
  entries[{10, 1}] = {{"a", "3"}, {"b", "4"}};  // same fields as the master
  entries[{12, 0}] = {{"c", "5"}};
  const std::string lp = EncodeStreamListpack(entries.begin(), entries.end());
  std::vector<CompactItem> scratch;
  std::map<data::StreamId, data::StreamFields> back;
  Status st = DecodeStreamListpack(lp, {10, 0}, &scratch, &back, 100);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(back, entries);
  const std::string key = EncodeStreamNodeKey({0x0102030405060708ULL, 9});
  EXPECT_EQ(key, std::string("\x01\x02\x03\x04\x05\x06\x07\x08\0\0\0\0\0\0\0\x09", 16));
  EXPECT_EQ(DecodeStreamNodeKey(key)->seq, 9u);
  EXPECT_FALSE(DecodeStreamNodeKey("short").ok());
  // Duplicate IDs across nodes and the entry limit.
  EXPECT_THAT(DecodeStreamListpack(lp, {10, 0}, &scratch, &back, 100).message(),
              HasSubstr("duplicate stream entry ID 10-0"));
  back.clear();
  EXPECT_THAT(DecodeStreamListpack(lp, {10, 0}, &scratch, &back, 2).message(),
              HasSubstr("more than 2 entries"));
}

TEST(StreamListpack, DeletedEntriesAreSkippedAndCountsChecked) {
  ListpackBuilder b;
  for (int64_t v : {1, 1, 1}) b.AppendInt(v);  // 1 live, 1 deleted, 1 master field
  b.Append("f");
  b.AppendInt(0);
  // A deleted entry with the master's fields, then a live one.
  for (int64_t v : {3, 0, 0}) b.AppendInt(v);  // flags DELETED|SAMEFIELDS, +0-0
  b.Append("gone");
  b.AppendInt(4);
  for (int64_t v : {2, 0, 1}) b.AppendInt(v);
  b.Append("kept");
  b.AppendInt(4);
  const std::string lp = b.Finish();
  std::vector<CompactItem> scratch;
  std::map<data::StreamId, data::StreamFields> out;
  Status st = DecodeStreamListpack(lp, {5, 5}, &scratch, &out, 10);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out.begin()->first, (data::StreamId{5, 6}));
  EXPECT_EQ(out.begin()->second, (data::StreamFields{{"f", "kept"}}));
  // A wrong lp-count is caught.
  ListpackBuilder bad;
  for (int64_t v : {1, 0, 1}) bad.AppendInt(v);
  bad.Append("f");
  bad.AppendInt(0);
  for (int64_t v : {2, 0, 0}) bad.AppendInt(v);
  bad.Append("x");
  bad.AppendInt(9);
  out.clear();
  EXPECT_THAT(DecodeStreamListpack(bad.Finish(), {1, 0}, &scratch, &out, 10).message(),
              HasSubstr("lp-count is not 4"));
}

}  // namespace
}  // namespace conformance::rdb
