// Malformed input and crossed limits: each named case gives the same error code, offset and
// message whole, byte by byte and split at every point; errors are sticky; random bytes never
// crash or hang the decoder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <ostream>
#include <string>
#include <vector>

#include "harness/resp/decoder.h"
#include "tests/unit/resp/decode_test_util.h"

namespace conformance::resp {
namespace {

using Code = DecodeError::Code;
using test::ByteByByte;
using test::DecodeChunks;
using test::Decoded;
using test::DecodeWhole;
using test::SplitAt;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct InvalidCase {
  const char* name;
  DecoderMode mode;
  std::string wire;
  Code code;
  uint64_t offset;
  const char* message;  // a substring of the error message
  DecoderLimits limits = {};
  bool argv = false;  // decode with NextArgv instead of Next
};

DecoderLimits Limits(size_t depth, int64_t elements, int64_t bulk, size_t line) {
  return DecoderLimits{depth, elements, bulk, line};
}

std::vector<InvalidCase> InvalidCases() {
  const auto R = DecoderMode::kReplies;
  const auto C = DecoderMode::kCommands;
  const DecoderLimits d;
  return {
      {"BadTypeByte", R, "@foo\r\n", Code::kBadTypeByte, 0,
       "Protocol error at offset 0: got \"@\" as type byte, expected one of +-:$*_#,(!=%~|>"},
      {"BadTypeByteAfterValues", R, "+OK\r\n+OK\r\n@", Code::kBadTypeByte, 10,
       "Protocol error at offset 10: got \"@\""},
      {"BadTypeByteIsEscaped", R, "\x01", Code::kBadTypeByte, 0, "got \"\\x01\" as type byte"},
      {"BadTypeByteInsideArray", R, "*2\r\n:1\r\n@\r\n", Code::kBadTypeByte, 8, "\"@\""},
      {"InvalidBulkStringExpectCR", R, "$3\r\nfooXY", Code::kExpectedCRLF, 7,
       "expected \"\\r\\n\" after a 3-byte payload, got \"X"},
      {"InvalidBulkStringExpectLF", R, "$3\r\nfoo\rX", Code::kExpectedCRLF, 8, "got \"\\rX\""},
      {"LineWithoutCR", R, "+OK\n", Code::kExpectedCRLF, 3, "without \"\\r\""},
      {"TypeByteThenLF", R, ":\n", Code::kExpectedCRLF, 1, "without \"\\r\""},
      {"KeepaliveCRWithoutLF", R, "\rX", Code::kExpectedCRLF, 1, "got \"X\" after \"\\r\""},
      {"NegativeBulkLength", R, "$-2\r\n", Code::kBadLength, 1,
       "invalid bulk length \"-2\", expected -1 or 0..N"},
      {"NegativeArrayLength", R, "*-2\r\n", Code::kBadLength, 1, "invalid aggregate length \"-2\""},
      {"BulkLengthNotANumber", R, "$abc\r\n", Code::kBadLength, 1, "invalid bulk length \"abc\""},
      {"BulkLengthEmpty", R, "$\r\n", Code::kBadLength, 1, "invalid bulk length \"\""},
      {"BulkLengthLeadingZero", R, "$03\r\nfoo\r\n", Code::kBadLength, 1, "\"03\""},
      {"BulkLengthPlusSign", R, "$+3\r\nfoo\r\n", Code::kBadLength, 1, "\"+3\""},
      {"BulkLengthOverflow", R, "$99999999999999999999\r\n", Code::kBadLength, 1,
       "invalid bulk length"},
      {"ArrayLengthOverflow", R, "*9223372036854775808\r\n", Code::kBadLength, 1,
       "invalid aggregate length"},
      {"StreamedStringUnsupported", R, "$?\r\n", Code::kBadLength, 1, "not supported"},
      {"StreamedArrayUnsupported", R, "*?\r\n", Code::kBadLength, 1, "not supported"},
      {"NullMapNotAllowed", R, "%-1\r\n", Code::kBadLength, 1, "only \"*\" may be null"},
      {"NullBulkErrorNotAllowed", R, "!-1\r\n", Code::kBadLength, 1, "only \"$\" may be null"},
      {"IntegerOverflow", R, ":9223372036854775808\r\n", Code::kBadInteger, 1,
       "invalid integer \"9223372036854775808\""},
      {"IntegerNotANumber", R, ":12a\r\n", Code::kBadInteger, 1, "\"12a\""},
      {"IntegerNegativeZero", R, ":-0\r\n", Code::kBadInteger, 1, "\"-0\""},
      {"IntegerWithSpace", R, ": 1\r\n", Code::kBadInteger, 1, "\" 1\""},
      {"BadDouble", R, ",1.5x\r\n", Code::kBadDouble, 1, "invalid double \"1.5x\""},
      {"EmptyDouble", R, ",\r\n", Code::kBadDouble, 1, "invalid double"},
      {"BadBoolean", R, "#x\r\n", Code::kBadBoolean, 1, "expected \"t\" or \"f\""},
      {"BadNull", R, "_x\r\n", Code::kBadNull, 1, "got \"x\" after \"_\""},
      {"BadBigNumber", R, "(12a\r\n", Code::kBadBigNumber, 1, "\"12a\""},
      {"BadVerbatim", R, "=3\r\nabc\r\n", Code::kBadVerbatim, 4, "lacks its 3-byte format"},
      {"ArgvOfNonCommand", R, "+OK\r\n", Code::kNotACommand, 0, "expected \"*\"", d, true},
      {"ArgvOfArrayOfIntegers", R, "*1\r\n:1\r\n", Code::kExpectedBulk, 4, "expected \"$\"", d,
       true},
      {"ArgvOfNullBulkArgument", R, "*1\r\n$-1\r\n", Code::kBadLength, 5, "in a command", d, true},
      {"CommandArgumentNotBulk", C, "*2\r\n$3\r\nGET\r\n:1\r\n", Code::kExpectedBulk, 13,
       "got \":\" as type byte of a command argument, expected \"$\""},
      {"NestedArrayInCommand", C, "*1\r\n*1\r\n$1\r\nx\r\n", Code::kExpectedBulk, 4, "\"*\""},
      {"NullBulkInCommand", C, "*1\r\n$-1\r\n", Code::kBadLength, 5, "in a command"},
      {"NegativeCommandArrayLength", C, "*-2\r\n", Code::kBadLength, 1, "\"-2\""},
      {"UnbalancedDoubleQuote", C, "SET \"a\r\n", Code::kUnbalancedQuotes, 6,
       "unbalanced quotes in inline command \"SET \\\"a\""},
      {"UnbalancedSingleQuote", C, "SET 'a\n", Code::kUnbalancedQuotes, 6, "unbalanced quotes"},
      {"ClosingQuoteFollowedByText", C, "SET \"a\"b\r\n", Code::kUnbalancedQuotes, 7,
       "unbalanced quotes"},
      // Limits: each crossed by one.
      {"DepthLimitExceeded", R, "*1\r\n*1\r\n*1\r\n:1\r\n", Code::kDepthExceeded, 8,
       "nesting deeper than the limit of 2", Limits(2, 100, 100, 100)},
      {"DepthLimitCountsEmptyAggregates", R, "*1\r\n*1\r\n%0\r\n", Code::kDepthExceeded, 8,
       "limit of 2", Limits(2, 100, 100, 100)},
      {"ElementLimitExceeded", R, "*3\r\n:1\r\n:2\r\n:3\r\n", Code::kTooManyElements, 1,
       "aggregate length 3 exceeds the limit of 2 elements", Limits(10, 2, 100, 100)},
      {"ElementLimitCountsMapPairsTwice", R, "%2\r\n", Code::kTooManyElements, 1,
       "2 pairs exceeds the limit of 3", Limits(10, 3, 100, 100)},
      {"CommandElementLimitExceeded", C, "*3\r\n", Code::kTooManyElements, 1, "limit of 2",
       Limits(10, 2, 100, 100)},
      {"BulkLengthLimitExceeded", R, "$4\r\nabcd\r\n", Code::kBulkTooLong, 1,
       "bulk length 4 exceeds the limit of 3 bytes", Limits(10, 10, 3, 100)},
      {"DefaultBulkLengthLimitExceeded", C, "*1\r\n$536870913\r\n", Code::kBulkTooLong, 5,
       "exceeds the limit of 536870912 bytes"},
      {"InlineTooLong", C, "PINGX\r\n", Code::kInlineTooLong, 0,
       "inline command longer than 4 bytes", Limits(10, 10, 10, 4)},
      {"InlineTooLongWithoutNewline", C, "PINGX", Code::kInlineTooLong, 0, "inline command longer",
       Limits(10, 10, 10, 4)},
      {"InlineTooLongAfterCommands", C, "PING\r\n*1\r\n$4\r\nPING\r\nABCDE", Code::kInlineTooLong,
       20, "longer than 4", Limits(10, 10, 10, 4)},
      {"DefaultInlineLimitExceeded", C, std::string(65537, 'a'), Code::kInlineTooLong, 0,
       "longer than 65536 bytes"},
      {"LineTooLong", R, "+OKAY\r\n", Code::kLineTooLong, 0, "line longer than 4 bytes",
       Limits(10, 10, 10, 4)},
      {"LineTooLongWithoutNewline", R, ":12345", Code::kLineTooLong, 0, "line longer",
       Limits(10, 10, 10, 4)},
  };
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.name; }

class InvalidInputTest : public ::testing::TestWithParam<InvalidCase> {};

void ExpectError(const InvalidCase& c, const Decoded& got, const std::string& how) {
  SCOPED_TRACE(how);
  ASSERT_EQ(got.last, DecodeStatus::kError);
  ASSERT_TRUE(got.error.has_value());
  EXPECT_EQ(got.error->code, c.code) << ToString(got.error->code) << ": " << got.error->message;
  EXPECT_EQ(got.error->offset, c.offset) << got.error->message;
  EXPECT_THAT(got.error->message, HasSubstr(c.message));
  EXPECT_THAT(got.error->message,
              StartsWith("Protocol error at offset " + std::to_string(c.offset) + ": "));
}

TEST_P(InvalidInputTest, Whole) {
  const InvalidCase& c = GetParam();
  ExpectError(c, DecodeWhole(c.wire, c.mode, c.limits, c.argv), "whole");
}

TEST_P(InvalidInputTest, ByteByByte) {
  const InvalidCase& c = GetParam();
  ExpectError(c, DecodeChunks(ByteByByte(c.wire), c.mode, c.limits, c.argv), "byte by byte");
}

TEST_P(InvalidInputTest, EverySplitPoint) {
  const InvalidCase& c = GetParam();
  if (c.wire.size() > 1000) GTEST_SKIP() << "covered by Whole and ByteByByte";
  for (size_t at = 0; at <= c.wire.size(); ++at) {
    ExpectError(c, DecodeChunks(SplitAt(c.wire, at), c.mode, c.limits, c.argv),
                "split at " + std::to_string(at));
  }
}

INSTANTIATE_TEST_SUITE_P(Decoder, InvalidInputTest, ::testing::ValuesIn(InvalidCases()),
                         [](const ::testing::TestParamInfo<InvalidCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(Decoder, ErrorIsSticky) {
  Decoder decoder;
  decoder.Feed("+OK\r\n@\r\n");
  Value value;
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kValue);
  ASSERT_EQ(decoder.Next(&value), DecodeStatus::kError);
  const DecodeError first = decoder.error();
  EXPECT_TRUE(decoder.failed());
  decoder.Feed("+OK\r\n");
  EXPECT_EQ(decoder.Next(&value), DecodeStatus::kError);
  std::vector<std::string> argv;
  EXPECT_EQ(decoder.NextArgv(&argv), DecodeStatus::kError);
  decoder.TakeBuffered();
  decoder.Feed("+OK\r\n");
  EXPECT_EQ(decoder.Next(&value), DecodeStatus::kError);
  EXPECT_EQ(decoder.error().message, first.message);
  EXPECT_EQ(decoder.error().offset, 5u);
  EXPECT_EQ(decoder.consumed(), 5u);
}

TEST(Decoder, EveryCodeHasAName) {
  for (int i = 0; i <= static_cast<int>(Code::kLineTooLong); ++i) {
    EXPECT_STRNE(ToString(static_cast<Code>(i)), "unknown decode error");
  }
}

// Random bytes, biased toward RESP syntax, in both modes and chunkings: the decoder always
// ends in kNeedMore or kError, consumes no more than it was fed, and never crashes.
TEST(Decoder, RandomBytesNeverCrash) {
  std::mt19937 rng(20240601);
  const std::string alphabet = "+-:$*_#,(!=%~|>\r\n0123456789-?abt \"'\\x";
  DecoderLimits limits;
  limits.max_bulk_length = 64;
  limits.max_elements = 64;
  for (int round = 0; round < 3000; ++round) {
    std::string wire(rng() % 64, '\0');
    for (char& c : wire) {
      c = rng() % 4 == 0 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
    }
    for (DecoderMode mode : {DecoderMode::kReplies, DecoderMode::kCommands}) {
      for (bool argv : {false, true}) {
        const Decoded whole = DecodeWhole(wire, mode, limits, argv);
        const Decoded bytes = DecodeChunks(ByteByByte(wire), mode, limits, argv);
        ASSERT_LE(whole.consumed, wire.size());
        ASSERT_EQ(whole.last, bytes.last) << "wire: " << wire;
        ASSERT_EQ(whole.sizes, bytes.sizes);
        if (whole.error) {
          ASSERT_EQ(whole.error->offset, bytes.error->offset);
          ASSERT_EQ(whole.error->code, bytes.error->code);
        }
      }
    }
  }
}

}  // namespace
}  // namespace conformance::resp
