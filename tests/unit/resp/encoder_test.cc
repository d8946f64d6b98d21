// Encoder: exact bytes for commands, and encode -> decode round trips for every type, both from
// a table and from seeded random values split at random points.
#include "harness/resp/encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <ostream>
#include <string>
#include <vector>

#include "harness/resp/decoder.h"
#include "harness/resp/matchers.h"
#include "tests/unit/resp/decode_test_util.h"

namespace conformance::resp {
namespace {

using test::ByteByByte;
using test::DecodeChunks;
using test::Decoded;
using test::DecodeWhole;
using ::testing::ElementsAre;

TEST(Encoder, EncodeCommand) {
  EXPECT_EQ(EncodeCommand({"SET", "k", "v"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
  EXPECT_EQ(EncodeCommand(std::vector<std::string>{"PING"}), "*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(EncodeCommand(std::vector<std::string>{}), "*0\r\n");
  EXPECT_EQ(EncodeCommand({"ECHO", ""}), "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
}

TEST(Encoder, AppendCommandAppends) {
  std::string out = "x";
  AppendCommand(&out, {"PING"});
  AppendCommand(&out, std::vector<std::string>{"GET", std::string(12, 'k')});
  EXPECT_EQ(out, "x*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$12\r\nkkkkkkkkkkkk\r\n");
}

struct EncodeCase {
  const char* name;
  Value value;
  std::string wire;
};

std::vector<EncodeCase> EncodeCases() {
  using V = Value;
  return {
      {"SimpleString", V::SimpleString("OK"), "+OK\r\n"},
      {"Error", V::Error("ERR x"), "-ERR x\r\n"},
      {"Integer", V::Integer(-7), ":-7\r\n"},
      {"IntegerMin", V::Integer(std::numeric_limits<int64_t>::min()), ":-9223372036854775808\r\n"},
      {"Bulk", V::Bulk("foo"), "$3\r\nfoo\r\n"},
      {"BinaryBulk", V::Bulk(std::string("\0\r\n", 3)), std::string("$3\r\n\0\r\n\r\n", 9)},
      {"NullBulk", V::NullBulk(), "$-1\r\n"},
      {"NullArray", V::NullArray(), "*-1\r\n"},
      {"Array", V::Array({V::Integer(1), V::Bulk("a")}), "*2\r\n:1\r\n$1\r\na\r\n"},
      {"Command", V::Command({"SET", "k", "v"}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"},
      {"Null", V::Null(), "_\r\n"},
      {"True", V::Boolean(true), "#t\r\n"},
      {"False", V::Boolean(false), "#f\r\n"},
      {"Double", V::Double(1.5), ",1.5\r\n"},
      {"DoubleInf", V::Double(INFINITY), ",inf\r\n"},
      {"DoubleMinusInf", V::Double(-INFINITY), ",-inf\r\n"},
      {"DoubleNan", V::Double(NAN), ",nan\r\n"},
      {"BigNumber", V::BigNumber("-123456789012345678901234567890"),
       "(-123456789012345678901234567890\r\n"},
      {"BulkError", V::BulkError("SYNTAX x"), "!8\r\nSYNTAX x\r\n"},
      {"Verbatim", V::Verbatim("txt", "hi"), "=6\r\ntxt:hi\r\n"},
      {"Map", V::Map({V::SimpleString("a"), V::Integer(1)}), "%1\r\n+a\r\n:1\r\n"},
      {"Set", V::Set({V::Integer(1)}), "~1\r\n:1\r\n"},
      {"Push", V::Push({V::Bulk("message")}), ">1\r\n$7\r\nmessage\r\n"},
      {"Attribute", V::Attribute({V::SimpleString("ttl"), V::Integer(1)}), "|1\r\n+ttl\r\n:1\r\n"},
      {"AttributeInsideArrayNotCounted",
       V::Array({V::Attribute({V::SimpleString("k"), V::Integer(1)}), V::Integer(2)}),
       "*1\r\n|1\r\n+k\r\n:1\r\n:2\r\n"},
  };
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const EncodeCase& c, std::ostream* os) { *os << c.name; }

class EncodeTest : public ::testing::TestWithParam<EncodeCase> {};

TEST_P(EncodeTest, ExactBytes) { EXPECT_EQ(Encode(GetParam().value), GetParam().wire); }

TEST_P(EncodeTest, RoundTrip) {
  const EncodeCase& c = GetParam();
  const std::string wire = Encode(c.value);
  for (const auto& chunks : {std::vector<std::string_view>{wire}, ByteByByte(wire)}) {
    const Decoded got = DecodeChunks(chunks, DecoderMode::kReplies);
    ASSERT_FALSE(got.error) << got.error->message;
    EXPECT_THAT(got.values, ElementsAre(c.value));
    EXPECT_THAT(got.sizes, ElementsAre(wire.size()));
  }
}

INSTANTIATE_TEST_SUITE_P(Encoder, EncodeTest, ::testing::ValuesIn(EncodeCases()),
                         [](const ::testing::TestParamInfo<EncodeCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(Encoder, InlineQuotesWordsForRedisSplitting) {
  const Value line = Value::Inline({"SET", "a b", "", "q\"'\\", std::string("\0\n\x7f", 3)});
  const std::string wire = Encode(line);
  EXPECT_EQ(wire, "SET \"a b\" \"\" \"q\\\"'\\\\\" \"\\x00\\n\\x7f\"\r\n");
  const Decoded got = DecodeWhole(wire, DecoderMode::kCommands);
  ASSERT_FALSE(got.error) << got.error->message;
  EXPECT_THAT(got.values, ElementsAre(line));
}

// Bare, "*$3" would start a multibulk header; found by tests/fuzz/resp_decoder.cc.
TEST(Encoder, InlineQuotesAFirstWordThatStartsWithAStar) {
  const Value line = Value::Inline({"*$3", "*"});
  const std::string wire = Encode(line);
  EXPECT_EQ(wire, "\"*$3\" *\r\n");
  const Decoded got = DecodeWhole(wire, DecoderMode::kCommands);
  ASSERT_FALSE(got.error) << got.error->message;
  EXPECT_THAT(got.values, ElementsAre(line));
}

TEST(Encoder, EmptyInlineIsAKeepalive) {
  EXPECT_EQ(Encode(Value::Inline({})), "\r\n");
  EXPECT_THAT(DecodeWhole("\r\n", DecoderMode::kCommands).values, ElementsAre(Value::Inline({})));
}

// A random value up to `depth` levels deep, using every type.
Value RandomValue(std::mt19937* rng, int depth) {
  auto pick = [rng](uint32_t n) { return static_cast<uint32_t>((*rng)() % n); };
  auto text = [&](bool binary) {
    std::string s(pick(20), 'a');
    for (char& c : s) c = binary ? static_cast<char>(pick(256)) : static_cast<char>('a' + pick(26));
    return s;
  };
  const uint32_t kinds = depth > 0 ? 18 : 13;
  switch (pick(kinds)) {
    case 0: return Value::SimpleString(text(false));
    case 1: return Value::Error("ERR " + text(false));
    case 2: return Value::Integer(static_cast<int64_t>((*rng)()) - (1ll << 31));
    case 3: return Value::Bulk(text(true));
    case 4: return Value::NullBulk();
    case 5: return Value::NullArray();
    case 6: return Value::Null();
    case 7: return Value::Boolean(pick(2) == 1);
    case 8: return Value::Double(static_cast<double>(pick(100000)) / 64.0 - 500);
    case 9: return Value::BigNumber(std::to_string((*rng)()) + std::to_string((*rng)()));
    case 10: return Value::BulkError("ERR " + text(true));
    case 11: return Value::Verbatim("txt", text(true));
    case 12: return Value::Bulk("");
    default: break;
  }
  std::vector<Value> elements(pick(5) * 2);
  for (Value& e : elements) e = RandomValue(rng, depth - 1);
  switch (pick(5)) {
    case 0: return Value::Array(std::move(elements));
    case 1: return Value::Map(std::move(elements));
    case 2: return Value::Set(std::move(elements));
    case 3: return Value::Push(std::move(elements));
    default: {
      // An attribute inside an array, before its elements (not at the end, where it would be
      // read as the next top-level value).
      if (elements.empty()) return Value::Array({});
      elements.insert(elements.begin(),
                      Value::Attribute({Value::SimpleString("a"), Value::Integer(1)}));
      return Value::Array(std::move(elements));
    }
  }
}

TEST(Encoder, RandomValuesRoundTripAtRandomSplits) {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    std::vector<Value> values;
    std::string wire;
    for (int i = 0; i < 5; ++i) {
      values.push_back(RandomValue(&rng, 3));
      AppendValue(&wire, values.back());
    }
    std::vector<std::string_view> chunks;
    for (size_t at = 0; at < wire.size();) {
      const size_t n = 1 + rng() % 40;
      chunks.push_back(std::string_view(wire).substr(at, n));
      at += n;
    }
    const Decoded got = DecodeChunks(chunks, DecoderMode::kReplies);
    ASSERT_FALSE(got.error) << got.error->message;
    ASSERT_EQ(got.values, values);
    ASSERT_EQ(got.consumed, wire.size());
  }
}

}  // namespace
}  // namespace conformance::resp
