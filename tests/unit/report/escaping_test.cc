// UTF-8 decoding and the JSON, XML and terminal renderings built on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "harness/report/json_escape.h"
#include "harness/report/terminal_text.h"
#include "harness/report/utf8.h"
#include "harness/report/xml_escape.h"
#include "tests/unit/report/json_value.h"
#include "tests/unit/report/test_support.h"

namespace conformance::report {
namespace {

using namespace std::string_literals;
using ::testing::HasSubstr;
using ::testing::Not;

struct Utf8Case {
  std::string name;
  std::string bytes;
  bool valid;
  char32_t code_point;
  size_t length;  // consumed
};

TEST(Utf8, DecodesValidAndRejectsInvalidSequences) {
  const std::vector<Utf8Case> cases = {
      {"Ascii", "A", true, 'A', 1},
      {"Nul", "\0"s, true, 0, 1},
      {"TwoBytes", "\xc3\xa9", true, 0xE9, 2},
      {"ThreeBytes", "\xe2\x82\xac", true, 0x20AC, 3},
      {"FourBytes", "\xf0\x9f\x98\x80", true, 0x1F600, 4},
      {"MaxCodePoint", "\xf4\x8f\xbf\xbf", true, 0x10FFFF, 4},
      {"StrayContinuation", "\x80", false, 0, 1},
      {"OverlongC0", "\xc0\xaf", false, 0, 1},
      {"OverlongThreeBytes", "\xe0\x80\xaf", false, 0, 1},
      {"OverlongFourBytes", "\xf0\x80\x80\xaf", false, 0, 1},
      {"Surrogate", "\xed\xa0\x80", false, 0, 1},
      {"AboveMax", "\xf4\x90\x80\x80", false, 0, 1},
      {"LeadF5", "\xf5\x80\x80\x80", false, 0, 1},
      {"ByteFF", "\xff", false, 0, 1},
      {"Truncated", "\xe2\x82", false, 0, 1},
      {"BadContinuation", "\xc3(", false, 0, 1},
  };
  for (const Utf8Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Utf8Char decoded = DecodeUtf8(c.bytes, 0);
    EXPECT_EQ(decoded.valid, c.valid);
    EXPECT_EQ(decoded.length, c.length);
    if (c.valid) {
      EXPECT_EQ(decoded.code_point, c.code_point);
      std::string encoded;
      AppendUtf8(decoded.code_point, &encoded);
      EXPECT_EQ(encoded, c.bytes);
    }
  }
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonString(""), R"("")");
  EXPECT_EQ(JsonString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonString("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(JsonString("\x01\x1f\x7f"s + '\0'), R"("\u0001\u001f\u007f\u0000")");
  EXPECT_EQ(JsonString("\xe2\x80\xa8"), R"("\u2028")");
  EXPECT_EQ(JsonString("</script>"), R"("</script>")");
}

TEST(JsonString, KeepsValidUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(JsonString("\xc3\xa9\xf0\x9f\x98\x80"), "\"\xc3\xa9\xf0\x9f\x98\x80\"");
  EXPECT_EQ(JsonString("a\xff"
                       "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(JsonString("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
}

TEST(JsonString, HostileTextRoundTripsThroughAStrictParser) {
  const std::string literal = JsonString(testing::Hostile());
  std::string error;
  const auto parsed = testing::ParseJson(literal, &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->str(), testing::HostileAfterJson());
}

TEST(JsonSeconds, MillisecondsOrNull) {
  EXPECT_EQ(JsonSeconds(1.23456), "1.235");
  EXPECT_EQ(JsonSeconds(0), "0.000");
  EXPECT_EQ(JsonSeconds(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(JsonSeconds(std::numeric_limits<double>::infinity()), "null");
}

TEST(XmlEscape, TextEscapesMarkupAndKeepsCarriageReturns) {
  EXPECT_EQ(XmlText("a<b>&c\"d'"), "a&lt;b&gt;&amp;c\"d'");
  EXPECT_EQ(XmlText("l1\r\nl2\t"), "l1&#13;\nl2\t");
}

TEST(XmlEscape, AttributeEscapesQuotesAndWhitespace) {
  EXPECT_EQ(XmlAttribute("a<b>&c\"d'"), "a&lt;b&gt;&amp;c&quot;d&apos;");
  EXPECT_EQ(XmlAttribute("l1\r\nl2\t"), "l1&#13;&#10;l2&#9;");
}

TEST(XmlEscape, CharactersXmlCannotCarryAreReplaced) {
  EXPECT_EQ(XmlText("\x01\x1b"s + '\0'), "\\x01\\x1b\\x00");
  EXPECT_EQ(XmlText("\xff"), "\xef\xbf\xbd");
  EXPECT_EQ(XmlText("\xef\xbf\xbe"), "\xef\xbf\xbd");  // U+FFFE
  EXPECT_EQ(XmlText("\x7f\xc2\x85"), "\x7f\xc2\x85");  // allowed in XML 1.0
}

TEST(XmlEscape, CDataSplitsTerminators) {
  EXPECT_EQ(XmlCData(""), "<![CDATA[]]>");
  EXPECT_EQ(XmlCData("a<&>b"), "<![CDATA[a<&>b]]>");
  EXPECT_EQ(XmlCData("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
  EXPECT_EQ(XmlCData("]]>]]>"), "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
  EXPECT_EQ(XmlCData("]]]]>"), "<![CDATA[]]]]]]><![CDATA[>]]>");
}

TEST(TerminalSafe, EscapesControlSequencesButKeepsText) {
  EXPECT_EQ(TerminalSafe("plain \xc3\xa9\tok\n"), "plain \xc3\xa9\tok\n");
  EXPECT_EQ(TerminalSafe("\x1b[31mred\r"), "\\x1b[31mred\\x0d");
  EXPECT_EQ(TerminalSafe("\x7f\xc2\x9b\xff"), "\\x7f\\x9b\\xff");
  EXPECT_THAT(TerminalSafe(testing::Hostile()), Not(HasSubstr("\x1b")));
}

TEST(TerminalSafeLine, AlsoKeepsTextOnOneLine) {
  EXPECT_EQ(TerminalSafeLine("one\r\ntwo\tthree"), "one\\x0d\\ntwo\tthree");
}

}  // namespace
}  // namespace conformance::report
