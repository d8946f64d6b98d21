// The backlog ring and the PSYNC decision rule (masterTryPartialResynchronization), at the
// edges of the window: first byte, offset + 1, one before, one after, replid2, no backlog.
#include "harness/repl/backlog.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace conformance::repl {
namespace {

using Kind = PsyncDecision::Kind;
using Reason = PsyncDecision::Reason;

const std::string kId1(40, 'a');
const std::string kId2(40, 'b');
const std::string kOther(40, 'c');

TEST(Backlog, FreshHistoryStartsAfterItsOffset) {
  Backlog backlog(16, kId1, 100);
  EXPECT_EQ(backlog.offset(), 100u);
  EXPECT_EQ(backlog.histlen(), 0u);
  EXPECT_EQ(backlog.first_byte_offset(), 101u);
  EXPECT_EQ(backlog.replid2(), kNoReplid);
  EXPECT_EQ(backlog.second_replid_offset(), -1);
  EXPECT_EQ(backlog.From(101), "");
  EXPECT_EQ(backlog.From(100), std::nullopt);
  EXPECT_EQ(backlog.From(102), std::nullopt);
}

TEST(Backlog, AppendCountsEveryByte) {
  Backlog backlog(16, kId1, 0);
  backlog.Append("hello");
  backlog.Append(" world");
  EXPECT_EQ(backlog.offset(), 11u);
  EXPECT_EQ(backlog.first_byte_offset(), 1u);
  EXPECT_EQ(backlog.From(1), "hello world");
  EXPECT_EQ(backlog.From(7), "world");
  EXPECT_EQ(backlog.From(12), "");
}

TEST(Backlog, RingKeepsTheNewestBytesAcrossWraps) {
  Backlog backlog(8, kId1, 0);
  std::string all;
  for (int i = 0; i < 10; ++i) {
    const std::string chunk = std::to_string(i) + "xyz";
    backlog.Append(chunk);
    all += chunk;
    const uint64_t held = std::min<uint64_t>(all.size(), 8);
    ASSERT_EQ(backlog.histlen(), held);
    ASSERT_EQ(backlog.first_byte_offset(), all.size() - held + 1);
    ASSERT_EQ(backlog.From(backlog.first_byte_offset()), all.substr(all.size() - held));
  }
}

TEST(Backlog, AppendLargerThanCapacityKeepsTheTail) {
  Backlog backlog(4, kId1, 0);
  backlog.Append("ab");
  backlog.Append("0123456789");
  EXPECT_EQ(backlog.offset(), 12u);
  EXPECT_EQ(backlog.first_byte_offset(), 9u);
  EXPECT_EQ(backlog.From(9), "6789");
  EXPECT_EQ(backlog.From(8), std::nullopt);
}

TEST(Backlog, ShiftKeepsTheOldIdUntilTheSwitch) {
  Backlog backlog(16, kId1, 0);
  backlog.Append("12345");
  backlog.Shift(kId2);
  EXPECT_EQ(backlog.replid(), kId2);
  EXPECT_EQ(backlog.replid2(), kId1);
  EXPECT_EQ(backlog.second_replid_offset(), 6);
  EXPECT_EQ(backlog.From(1), "12345");  // the bytes stay
}

TEST(Backlog, ResetStartsAnUnrelatedHistory) {
  Backlog backlog(16, kId1, 0);
  backlog.Append("12345");
  backlog.Shift(kId2);
  backlog.Reset(kOther, 1000);
  EXPECT_EQ(backlog.replid(), kOther);
  EXPECT_EQ(backlog.replid2(), kNoReplid);
  EXPECT_EQ(backlog.second_replid_offset(), -1);
  EXPECT_EQ(backlog.offset(), 1000u);
  EXPECT_EQ(backlog.histlen(), 0u);
}

TEST(Backlog, RandomReplidIsFortyLowercaseHexCharacters) {
  std::mt19937_64 rng(7);
  const std::string id = RandomReplid(rng);
  ASSERT_EQ(id.size(), 40u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(RandomReplid(rng), id);
}

// Backlog of kId1 holding offsets [91, 100] (master offset 100).
Backlog WindowBacklog() {
  Backlog backlog(10, kId1, 80);
  backlog.Append(std::string(20, 'x'));
  return backlog;
}

struct WindowCase {
  const char* name;
  int64_t offset;
  Kind kind;
  Reason reason;
};

void PrintTo(const WindowCase& c, std::ostream* os) { *os << c.name; }

class PsyncWindow : public ::testing::TestWithParam<WindowCase> {};

TEST_P(PsyncWindow, Edges) {
  const Backlog backlog = WindowBacklog();
  ASSERT_EQ(backlog.first_byte_offset(), 91u);
  ASSERT_EQ(backlog.offset(), 100u);
  const PsyncDecision decision = Decide(backlog, kId1, GetParam().offset);
  EXPECT_EQ(decision.kind, GetParam().kind) << decision.message;
  EXPECT_EQ(decision.reason, GetParam().reason) << decision.message;
  if (decision.kind == Kind::kContinue) {
    EXPECT_EQ(decision.from, static_cast<uint64_t>(GetParam().offset));
    EXPECT_TRUE(backlog.From(decision.from).has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Backlog, PsyncWindow,
    ::testing::Values(
        WindowCase{"OneBeforeFirstByte", 90, Kind::kFullResync, Reason::kOffsetBeforeBacklog},
        WindowCase{"FirstByte", 91, Kind::kContinue, Reason::kAccepted},
        WindowCase{"Middle", 95, Kind::kContinue, Reason::kAccepted},
        WindowCase{"LastByte", 100, Kind::kContinue, Reason::kAccepted},
        WindowCase{"OffsetPlusOneNothingMissing", 101, Kind::kContinue, Reason::kAccepted},
        WindowCase{"OneAfter", 102, Kind::kFullResync, Reason::kOffsetAfterBacklog},
        WindowCase{"Negative", -1, Kind::kFullResync, Reason::kOffsetBeforeBacklog}),
    [](const ::testing::TestParamInfo<WindowCase>& info) { return info.param.name; });

TEST(Psync, QuestionMarkForcesAFullSyncThatIsNoPartialError) {
  const PsyncDecision decision = Decide(WindowBacklog(), "?", -1);
  EXPECT_EQ(decision.kind, Kind::kFullResync);
  EXPECT_EQ(decision.reason, Reason::kForced);
  EXPECT_FALSE(decision.partial_error());
}

TEST(Psync, UnknownReplidIsAPartialError) {
  const PsyncDecision decision = Decide(WindowBacklog(), kOther, 95);
  EXPECT_EQ(decision.reason, Reason::kReplidMismatch);
  EXPECT_TRUE(decision.partial_error());
  EXPECT_NE(decision.message.find(kOther), std::string::npos);
}

TEST(Psync, ReplidComparesCaseInsensitively) {
  Backlog backlog(10, std::string(40, 'A'), 0);
  EXPECT_EQ(Decide(backlog, std::string(40, 'a'), 1).kind, Kind::kContinue);
}

TEST(Psync, Replid2ContinuesUpToTheSwitchOffsetInclusive) {
  Backlog backlog = WindowBacklog();
  backlog.Shift(kId2);     // replid2 = kId1 valid up to 101
  backlog.Append("more");  // offsets 101..104
  EXPECT_EQ(Decide(backlog, kId1, 101).kind, Kind::kContinue);
  EXPECT_EQ(Decide(backlog, kId1, 95).kind, Kind::kContinue);
  const PsyncDecision past = Decide(backlog, kId1, 102);
  EXPECT_EQ(past.kind, Kind::kFullResync);
  EXPECT_EQ(past.reason, Reason::kReplid2PastSwitch);
  // The new id continues anywhere in the window.
  EXPECT_EQ(Decide(backlog, kId2, 105).kind, Kind::kContinue);
  EXPECT_EQ(Decide(backlog, kId2, 96).kind, Kind::kContinue);
}

TEST(Psync, UnsetReplid2NeverMatchesAnOffsetInTheWindow) {
  const Backlog backlog = WindowBacklog();
  EXPECT_EQ(Decide(backlog, kNoReplid, 95).reason, Reason::kReplid2PastSwitch);
}

TEST(Psync, EmptyBacklogAcceptsOnlyNothingMissing) {
  const Backlog backlog(16, kId1, 500);
  EXPECT_EQ(Decide(backlog, kId1, 501).kind, Kind::kContinue);
  EXPECT_EQ(Decide(backlog, kId1, 500).reason, Reason::kOffsetBeforeBacklog);
  EXPECT_EQ(Decide(backlog, kId1, 502).reason, Reason::kOffsetAfterBacklog);
}

TEST(Psync, NoBacklogAlwaysFullResyncs) {
  Backlog backlog(0, kId1, 0);
  backlog.Append("abc");
  EXPECT_EQ(backlog.offset(), 3u);
  EXPECT_FALSE(backlog.active());
  EXPECT_EQ(Decide(backlog, kId1, 4).reason, Reason::kNoBacklog);
  EXPECT_EQ(backlog.From(4), std::nullopt);
}

}  // namespace
}  // namespace conformance::repl
