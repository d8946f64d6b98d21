// Inline splitting follows Redis's sdssplitargs; quoting round-trips through it.
#include "harness/resp/inline_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace conformance::resp {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Split(std::string_view line) {
  std::vector<std::string> words;
  size_t error_at = 0;
  const long n = SplitInlineArgs(line, &words, &error_at);
  EXPECT_GE(n, 0) << "unbalanced at " << error_at;
  words.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return words;
}

long SplitError(std::string_view line) {
  std::vector<std::string> words;
  size_t error_at = 0;
  EXPECT_EQ(SplitInlineArgs(line, &words, &error_at), -1);
  return static_cast<long>(error_at);
}

TEST(InlineArgs, SplitsOnWhitespace) {
  EXPECT_THAT(Split("SET k v"), ElementsAre("SET", "k", "v"));
  EXPECT_THAT(Split(" \t SET\tk \v v "), ElementsAre("SET", "k", "v"));
  EXPECT_THAT(Split(""), IsEmpty());
  EXPECT_THAT(Split("   "), IsEmpty());
}

TEST(InlineArgs, BareWordsKeepVerticalTabAndFormFeed) {
  // Redis ends a bare word only at space, \t, \n and \r.
  EXPECT_THAT(Split("a\vb c\fd"), ElementsAre("a\vb", "c\fd"));
}

TEST(InlineArgs, DoubleQuotes) {
  EXPECT_THAT(Split("\"a b\" \"\""), ElementsAre("a b", ""));
  EXPECT_THAT(Split("\"\\x41\\x6a\\n\\r\\t\\b\\a\\\\\\\"\\q\""), ElementsAre("Aj\n\r\t\b\a\\\"q"));
  EXPECT_THAT(Split("\"\\xZZ\""), ElementsAre("xZZ"));  // not hex: the escape is a plain 'x'
}

TEST(InlineArgs, QuoteMidWordJoins) { EXPECT_THAT(Split("a\"b c\" d"), ElementsAre("ab c", "d")); }

TEST(InlineArgs, SingleQuotes) {
  EXPECT_THAT(Split("'a b' 'it\\'s' '\\n'"), ElementsAre("a b", "it's", "\\n"));
}

TEST(InlineArgs, UnbalancedQuotes) {
  EXPECT_EQ(SplitError("\"abc"), 4);
  EXPECT_EQ(SplitError("'abc"), 4);
  EXPECT_EQ(SplitError("\"a\"b"), 3);
  EXPECT_EQ(SplitError("'a'b"), 3);
  EXPECT_EQ(SplitError("\"a\\"), 3);
}

TEST(InlineArgs, NulEndsTheLine) {
  EXPECT_THAT(Split(std::string_view("a b\0c d", 7)), ElementsAre("a", "b"));
}

TEST(InlineArgs, ReusesWordStrings) {
  std::vector<std::string> words = {"old1", "old2", "old3"};
  size_t error_at = 0;
  EXPECT_EQ(SplitInlineArgs("x", &words, &error_at), 1);
  EXPECT_EQ(words[0], "x");
  EXPECT_EQ(words.size(), 3u);
}

TEST(InlineArgs, QuotingRoundTrips) {
  const std::vector<std::string> words = {
      "plain", "", "a b", "\"", "'", "\\", "\t\r\n\a\b", std::string("\0\x01\x7f\xff", 4), "x\v"};
  std::string line;
  for (const std::string& w : words) {
    if (!line.empty()) line += ' ';
    AppendInlineWord(&line, w);
  }
  EXPECT_EQ(Split(line), words);
  std::string bare;
  AppendInlineWord(&bare, "PING");
  EXPECT_EQ(bare, "PING");
}

}  // namespace
}  // namespace conformance::resp
