// Valid input: every case decodes to the same values and sizes whole, byte by byte and split at
// every point; NextArgv agrees with Next on commands; offsets are byte-exact.
#include "harness/resp/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "harness/resp/matchers.h"
#include "tests/unit/resp/decode_test_util.h"

namespace conformance::resp {
namespace {

using test::ByteByByte;
using test::DecodeChunks;
using test::Decoded;
using test::DecodeWhole;
using test::SplitAt;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct ValidCase {
  const char* name;
  DecoderMode mode;
  std::string wire;
  std::vector<Value> values;
  std::vector<uint64_t> sizes;
};

Value Dbl(double d, std::string text) {
  Value v = Value::Double(d);
  v.str = std::move(text);
  return v;
}

std::vector<ValidCase> ValidCases() {
  const auto R = DecoderMode::kReplies;
  const auto C = DecoderMode::kCommands;
  using V = Value;
  return {
      {"SimpleString", R, "+OK\r\n", {V::SimpleString("OK")}, {5}},
      {"EmptySimpleString", R, "+\r\n", {V::SimpleString("")}, {3}},
      {"SimpleStringWithLoneCR", R, "+a\rb\r\n", {V::SimpleString("a\rb")}, {6}},
      {"Error", R, "-ERR unknown command\r\n", {V::Error("ERR unknown command")}, {22}},
      {"IntegerZero", R, ":0\r\n", {V::Integer(0)}, {4}},
      {"IntegerNegative", R, ":-42\r\n", {V::Integer(-42)}, {6}},
      {"IntegerMax",
       R,
       ":9223372036854775807\r\n",
       {V::Integer(std::numeric_limits<int64_t>::max())},
       {22}},
      {"IntegerMin",
       R,
       ":-9223372036854775808\r\n",
       {V::Integer(std::numeric_limits<int64_t>::min())},
       {23}},
      {"Bulk", R, "$3\r\nfoo\r\n", {V::Bulk("foo")}, {9}},
      {"EmptyBulk", R, "$0\r\n\r\n", {V::Bulk("")}, {6}},
      {"BinaryBulkWithCRLFInside",
       R,
       std::string("$6\r\n\r\n\0\xff\r\n\r\n", 12),
       {V::Bulk(std::string("\r\n\0\xff\r\n", 6))},
       {12}},
      {"NullBulk", R, "$-1\r\n", {V::NullBulk()}, {5}},
      {"NullArray", R, "*-1\r\n", {V::NullArray()}, {5}},
      {"EmptyArray", R, "*0\r\n", {V::Array({})}, {4}},
      {"NestedArray",
       R,
       "*3\r\n*1\r\n:1\r\n$1\r\nx\r\n*0\r\n",
       {V::Array({V::Array({V::Integer(1)}), V::Bulk("x"), V::Array({})})},
       {23}},
      {"ArrayWithNulls",
       R,
       "*2\r\n$-1\r\n*-1\r\n",
       {V::Array({V::NullBulk(), V::NullArray()})},
       {14}},
      {"Resp3Null", R, "_\r\n", {V::Null()}, {3}},
      {"BooleanTrue", R, "#t\r\n", {V::Boolean(true)}, {4}},
      {"BooleanFalse", R, "#f\r\n", {V::Boolean(false)}, {4}},
      {"Double", R, ",1.5\r\n", {Dbl(1.5, "1.5")}, {6}},
      {"DoubleExponent", R, ",-0.5e-3\r\n", {Dbl(-0.5e-3, "-0.5e-3")}, {10}},
      {"DoublePlusSign", R, ",+2\r\n", {Dbl(2, "+2")}, {5}},
      {"DoubleInf", R, ",inf\r\n", {Dbl(INFINITY, "inf")}, {6}},
      {"DoubleMinusInf", R, ",-inf\r\n", {Dbl(-INFINITY, "-inf")}, {7}},
      {"DoubleNan", R, ",nan\r\n", {Dbl(NAN, "nan")}, {6}},
      {"BigNumber",
       R,
       "(3492890328409238509324850943850943825024385\r\n",
       {V::BigNumber("3492890328409238509324850943850943825024385")},
       {46}},
      {"NegativeBigNumber", R, "(-1\r\n", {V::BigNumber("-1")}, {5}},
      {"BulkError",
       R,
       "!21\r\nSYNTAX invalid syntax\r\n",
       {V::BulkError("SYNTAX invalid syntax")},
       {28}},
      {"Verbatim", R, "=15\r\ntxt:Some string\r\n", {V::Verbatim("txt", "Some string")}, {22}},
      {"Map",
       R,
       "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
       {V::Map(
           {V::SimpleString("first"), V::Integer(1), V::SimpleString("second"), V::Integer(2)})},
       {29}},
      {"Set", R, "~2\r\n+a\r\n:1\r\n", {V::Set({V::SimpleString("a"), V::Integer(1)})}, {12}},
      {"Push",
       R,
       ">2\r\n+pubsub\r\n+message\r\n",
       {V::Push({V::SimpleString("pubsub"), V::SimpleString("message")})},
       {23}},
      {"TopLevelAttributeIsItsOwnValue",
       R,
       "|1\r\n+ttl\r\n:3600\r\n*2\r\n:1\r\n:2\r\n",
       {V::Attribute({V::SimpleString("ttl"), V::Integer(3600)}),
        V::Array({V::Integer(1), V::Integer(2)})},
       {17, 12}},
      {"AttributeInsideArrayDoesNotCount",
       R,
       "*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n:2\r\n",
       {V::Array({V::Attribute({V::SimpleString("ttl"), V::Integer(3600)}), V::Integer(1),
                  V::Integer(2)})},
       {29}},
      {"AttributeBeforeLastElement",
       R,
       "*1\r\n|0\r\n:7\r\n",
       {V::Array({V::Attribute({}), V::Integer(7)})},
       {12}},
      {"KeepaliveLF", R, "\n", {V::Inline({})}, {1}},
      {"KeepaliveCRLF", R, "\r\n", {V::Inline({})}, {2}},
      {"KeepalivesThenFullResync",
       R,
       "\n\n+FULLRESYNC 8de1 0\r\n",
       {V::Inline({}), V::Inline({}), V::SimpleString("FULLRESYNC 8de1 0")},
       {1, 1, 20}},
      {"PipelinedReplies",
       R,
       "+OK\r\n:1\r\n$-1\r\n-ERR x\r\n",
       {V::SimpleString("OK"), V::Integer(1), V::NullBulk(), V::Error("ERR x")},
       {5, 4, 5, 8}},
      // kCommands: what a server reads.
      {"Command",
       C,
       "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
       {V::Command({"SET", "k", "v"})},
       {27}},
      {"CommandWithEmptyArgument",
       C,
       "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
       {V::Command({"ECHO", ""})},
       {20}},
      {"EmptyCommandArray", C, "*0\r\n", {V::Array({})}, {4}},
      {"NullCommandArray", C, "*-1\r\n", {V::NullArray()}, {5}},
      {"InlineCRLF", C, "PING\r\n", {V::Inline({"PING"})}, {6}},
      {"InlineLF", C, "PING\n", {V::Inline({"PING"})}, {5}},
      {"InlineExtraSpaces", C, "  SET \t k   v \r\n", {V::Inline({"SET", "k", "v"})}, {16}},
      {"InlineQuotes", C, "SET \"a b\" 'c d'\r\n", {V::Inline({"SET", "a b", "c d"})}, {17}},
      {"InlineEscapes",
       C,
       "SET k \"\\x41\\n\\\"\" 'it\\'s'\r\n",
       {V::Inline({"SET", "k", "A\n\"", "it's"})},
       {26}},
      {"InlineEmptyQuotedWord", C, "ECHO \"\"\r\n", {V::Inline({"ECHO", ""})}, {9}},
      {"InlineKeepaliveLF", C, "\n", {V::Inline({})}, {1}},
      {"InlineKeepaliveCRLF", C, "\r\n", {V::Inline({})}, {2}},
      {"InlineOnlySpaces", C, "   \r\n", {V::Inline({})}, {5}},
      {"DollarLineIsInlineInCommandsMode",
       C,
       "$3\r\nfoo\r\n",
       {V::Inline({"$3"}), V::Inline({"foo"})},
       {4, 5}},
      {"PipelinedCommandsAndKeepalives",
       C,
       "\n\r\nREPLCONF ACK 0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n",
       {V::Inline({}), V::Inline({}), V::Inline({"REPLCONF", "ACK", "0"}), V::Command({"PING"}),
        V::Command({"SELECT", "0"})},
       {1, 2, 16, 14, 23}},
  };
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const ValidCase& c, std::ostream* os) { *os << c.name; }

class ValidInputTest : public ::testing::TestWithParam<ValidCase> {};

void ExpectSame(const ValidCase& c, const Decoded& got, const std::string& how) {
  SCOPED_TRACE(how);
  EXPECT_EQ(got.last, DecodeStatus::kNeedMore);
  EXPECT_FALSE(got.error.has_value()) << got.error->message;
  EXPECT_EQ(got.values, c.values);
  EXPECT_EQ(got.sizes, c.sizes);
  EXPECT_EQ(got.consumed, c.wire.size());
  EXPECT_EQ(got.buffered, 0u);
}

TEST_P(ValidInputTest, Whole) {
  const ValidCase& c = GetParam();
  ExpectSame(c, DecodeWhole(c.wire, c.mode), "whole");
}

TEST_P(ValidInputTest, ByteByByte) {
  const ValidCase& c = GetParam();
  ExpectSame(c, DecodeChunks(ByteByByte(c.wire), c.mode), "byte by byte");
}

TEST_P(ValidInputTest, EverySplitPoint) {
  const ValidCase& c = GetParam();
  for (size_t at = 0; at <= c.wire.size(); ++at) {
    ExpectSame(c, DecodeChunks(SplitAt(c.wire, at), c.mode), "split at " + std::to_string(at));
  }
}

TEST_P(ValidInputTest, NextArgvAgreesOnCommands) {
  const ValidCase& c = GetParam();
  bool commands = true;
  for (const Value& v : c.values) {
    const bool command =
        v.type == Type::kInline ||
        (v.type == Type::kArray && (v.is_null || !v.AsArgv().empty() || v.elements.empty()));
    commands = commands && command;
  }
  if (!commands) GTEST_SKIP() << "not a command stream";
  std::vector<std::vector<std::string>> want;
  for (const Value& v : c.values) want.push_back(v.AsArgv());
  for (size_t at = 0; at <= c.wire.size(); ++at) {
    SCOPED_TRACE("split at " + std::to_string(at));
    const Decoded got = DecodeChunks(SplitAt(c.wire, at), c.mode, {}, /*argv=*/true);
    EXPECT_EQ(got.last, DecodeStatus::kNeedMore);
    EXPECT_EQ(got.argvs, want);
    EXPECT_EQ(got.sizes, c.sizes);
  }
  const Decoded bytes = DecodeChunks(ByteByByte(c.wire), c.mode, {}, /*argv=*/true);
  EXPECT_EQ(bytes.argvs, want);
  EXPECT_EQ(bytes.sizes, c.sizes);
}

INSTANTIATE_TEST_SUITE_P(Decoder, ValidInputTest, ::testing::ValuesIn(ValidCases()),
                         [](const ::testing::TestParamInfo<ValidCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(Decoder, NeedMoreOnEmptyBuffer) {
  Decoder decoder;
  Value value;
  EXPECT_EQ(decoder.Next(&value), DecodeStatus::kNeedMore);
  decoder.Feed("");
  EXPECT_EQ(decoder.Next(&value), DecodeStatus::kNeedMore);
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_FALSE(decoder.failed());
}

TEST(Decoder, ConsumedAndLastSizeAreByteExact) {
  Decoder decoder(DecoderMode::kCommands);
  const std::string select = "*2\r\n$6\r\nSELECT\r\n$1\r\n9\r\n";
  const std::string set = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  decoder.Feed(select + set.substr(0, 10));
  std::vector<std::string> argv;
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
  EXPECT_THAT(argv, ElementsAre("SELECT", "9"));
  EXPECT_EQ(decoder.last_size(), select.size());
  EXPECT_EQ(decoder.consumed(), select.size());
  EXPECT_EQ(decoder.buffered(), 10u);
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kNeedMore);
  EXPECT_EQ(decoder.consumed(), select.size());  // a partial value consumes nothing
  EXPECT_EQ(decoder.buffered(), 10u);
  decoder.Feed(set.substr(10));
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
  EXPECT_THAT(argv, ElementsAre("SET", "key", "value"));
  EXPECT_EQ(decoder.last_size(), set.size());
  EXPECT_EQ(decoder.consumed(), select.size() + set.size());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(Decoder, TakeBufferedAfterLenPreamble) {
  // A fake replica reads +FULLRESYNC, then the RDB arrives as `$len` + raw bytes (no CRLF),
  // followed directly by the command stream.
  Decoder decoder;
  decoder.Feed("+FULLRESYNC 8de1 0\r\n$5\r\nREDIS*1\r\n$4\r\nPING\r\n");
  Value value;
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  EXPECT_THAT(value, IsSimpleString("FULLRESYNC 8de1 0"));
  EXPECT_EQ(decoder.TakeBuffered(), "$5\r\nREDIS*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(decoder.consumed(), 20u);
  // The caller strips the preamble and the RDB and feeds the stream back.
  decoder.Feed("*1\r\n$4\r\nPING\r\n");
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  EXPECT_THAT(value, IsCommand(ElementsAre("PING")));
  EXPECT_EQ(decoder.last_size(), 14u);
  EXPECT_EQ(decoder.consumed(), 34u);
}

TEST(Decoder, TakeBufferedDropsPartialParse) {
  Decoder decoder;
  decoder.Feed("+FULLRESYNC 8de1 0\r\n$5\r\nRE");
  Value value;
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kNeedMore);  // `$5` parsed, payload pending
  EXPECT_EQ(decoder.buffered(), 6u);
  EXPECT_EQ(decoder.TakeBuffered(), "$5\r\nRE");
  decoder.Feed(":1\r\n");
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  EXPECT_THAT(value, IsInteger(1));
  EXPECT_EQ(decoder.last_size(), 4u);
}

TEST(Decoder, TakeBufferedKeepsOffsetsCountingFedBytes) {
  Decoder decoder;
  decoder.Feed("+OK\r\n$3\r\nab");
  Value value;
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  EXPECT_EQ(decoder.TakeBuffered(), "$3\r\nab");  // bytes 5..10
  decoder.Feed("@");                              // byte 11
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kError);
  EXPECT_EQ(decoder.error().offset, 11u);
}

TEST(Decoder, SwitchingBetweenNextAndNextArgvRestartsThePartialValue) {
  Decoder decoder(DecoderMode::kCommands);
  decoder.Feed("*2\r\n$3\r\nGET\r\n$1\r\n");
  Value value;
  std::vector<std::string> argv;
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kNeedMore);
  decoder.Feed("k\r\n");
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
  EXPECT_THAT(argv, ElementsAre("GET", "k"));
  EXPECT_EQ(decoder.last_size(), 20u);
}

TEST(Decoder, NextOverwritesAReusedValue) {
  Decoder decoder;
  decoder.Feed("*2\r\n:1\r\n$-1\r\n+OK\r\n,1.5\r\n*1\r\n$1\r\nx\r\n#t\r\n");
  Value value;
  const std::vector<Value> want = {
      Value::Array({Value::Integer(1), Value::NullBulk()}), Value::SimpleString("OK"),
      Value::Double(1.5), Value::Command({"x"}), Value::Boolean(true)};
  for (const Value& expected : want) {
    ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
    EXPECT_EQ(value, expected);
    EXPECT_EQ(value.ToString(), expected.ToString());  // no stale fields
  }
}

TEST(Decoder, NextArgvReusesCallerStrings) {
  Decoder decoder(DecoderMode::kCommands);
  std::vector<std::string> argv = {"stale", "stale", "stale", "stale"};
  decoder.Feed("*1\r\n$4\r\nPING\r\nPING a\r\n");
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
  EXPECT_THAT(argv, ElementsAre("PING"));
  ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
  EXPECT_THAT(argv, ElementsAre("PING", "a"));
}

TEST(Decoder, LargeBulkAcrossManyFeeds) {
  const std::string payload(1 << 20, 'x');
  const std::string wire = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + std::to_string(payload.size()) +
                           "\r\n" + payload + "\r\n";
  std::vector<std::string_view> chunks;
  for (size_t i = 0; i < wire.size(); i += 1000)
    chunks.push_back(std::string_view(wire).substr(i, 1000));
  const Decoded got = DecodeChunks(chunks, DecoderMode::kCommands, {}, /*argv=*/true);
  ASSERT_EQ(got.argvs.size(), 1u);
  EXPECT_EQ(got.argvs[0][2], payload);
  EXPECT_EQ(got.sizes[0], wire.size());
}

TEST(Decoder, BufferIsCompactedBetweenValues) {
  Decoder decoder(DecoderMode::kCommands);
  const std::string ping = "*1\r\n$4\r\nPING\r\n";
  std::vector<std::string> argv;
  for (int i = 0; i < 10000; ++i) {
    decoder.Feed(ping + ping.substr(0, 7));
    ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
    decoder.Feed(ping.substr(7));
    ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kValue);
    ASSERT_EQ(decoder.NextArgv(&argv), DecodeStatus::kNeedMore);
  }
  EXPECT_EQ(decoder.consumed(), 20000 * ping.size());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(Decoder, LimitsAreInclusive) {
  DecoderLimits limits;
  limits.max_depth = 2;
  limits.max_elements = 2;
  limits.max_bulk_length = 3;
  limits.max_inline_length = 4;
  EXPECT_THAT(
      DecodeWhole("*2\r\n*2\r\n:1\r\n:2\r\n$3\r\nabc\r\n", DecoderMode::kReplies, limits).values,
      ElementsAre(ArrLen(2)));
  EXPECT_THAT(DecodeWhole("%1\r\n+a\r\n+b\r\n", DecoderMode::kReplies, limits).values,
              ElementsAre(HasType(Type::kMap)));
  EXPECT_THAT(DecodeWhole("+abc\r\n", DecoderMode::kReplies, limits).values,
              ElementsAre(IsSimpleString("abc")));
  EXPECT_THAT(DecodeWhole("PING\r\nPING\n", DecoderMode::kCommands, limits).values,
              ElementsAre(IsInline(ElementsAre("PING")), IsInline(ElementsAre("PING"))));
  // A pending "\r" right after a line of exactly the limit is not yet too long.
  EXPECT_EQ(DecodeChunks({"PING\r", "\n"}, DecoderMode::kCommands, limits).values.size(), 1u);
}

TEST(Decoder, KeepaliveThenInlineMatchers) {
  const Decoded got = DecodeWhole("\nPING\r\n", DecoderMode::kCommands);
  EXPECT_THAT(got.values, ElementsAre(IsInline(IsEmpty()), IsCommand(ElementsAre("PING"))));
}

}  // namespace
}  // namespace conformance::resp
