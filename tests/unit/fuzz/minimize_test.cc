#include "harness/fuzz/minimize.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace conformance::fuzz {
namespace {

bool Has(const FuzzInput& input, const std::string& mutator) {
  return std::any_of(input.mutations.begin(), input.mutations.end(),
                     [&](const Mutation& m) { return m.mutator == mutator; });
}

Finding Crash() { return Finding{Oracle::kCrash, "R8", "killed by signal 11 (SIGSEGV)", {}}; }

// A server that crashes when both rdb.type and stream.inline are in the input and the
// snapshot has at least two keys.
Result<Outcome> FragileServer(const FuzzInput& input, int* runs) {
  ++*runs;
  Outcome outcome;
  if (Has(input, "rdb.type") && Has(input, "stream.inline") && input.exchange.keys >= 2) {
    outcome.finding = Crash();
  }
  return outcome;
}

TEST(MinimizeTest, KeepsOnlyWhatTheFailureNeeds) {
  FuzzInput input;
  input.exchange.keys = 12;
  input.exchange.stream_commands = 5;
  input.fix_checksum = true;
  input.mutations = {{"rdb.length", 1}, {"rdb.type", 2}, {"sync-reply.crlf", 3},
                     {"stream.inline", 4}, {"rdb.aux", 5}, {"stream.bytes", 6}};
  int runs = 0;
  auto minimized = Minimize({}, input, Crash(), [&](const std::vector<FuzzInput>&, const FuzzInput& in) { return FragileServer(in, &runs); }, 60);
  ASSERT_TRUE(minimized.ok());
  EXPECT_TRUE(minimized->reproduced);
  ASSERT_EQ(minimized->input.mutations.size(), 2u);
  EXPECT_TRUE(Has(minimized->input, "rdb.type"));
  EXPECT_TRUE(Has(minimized->input, "stream.inline"));
  EXPECT_FALSE(minimized->input.fix_checksum);
  EXPECT_EQ(minimized->input.exchange.keys, 2);
  EXPECT_EQ(minimized->input.exchange.stream_commands, 0);
  EXPECT_EQ(minimized->runs, runs);
  ASSERT_TRUE(minimized->outcome.finding.has_value());
}

TEST(MinimizeTest, AFailureThatDoesNotRecurIsLeftAsFound) {
  FuzzInput input;
  input.mutations = {{"rdb.type", 1}};
  int runs = 0;
  auto minimized = Minimize({}, input, Crash(), [&](const std::vector<FuzzInput>&, const FuzzInput&) {
    ++runs;
    return Result<Outcome>(Outcome{});
  }, 60);
  ASSERT_TRUE(minimized.ok());
  EXPECT_FALSE(minimized->reproduced);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(minimized->input.mutations.size(), 1u);
}

TEST(MinimizeTest, AnotherClassOfFailureDoesNotCount) {
  FuzzInput input;
  input.mutations = {{"rdb.type", 1}, {"stream.inline", 2}};
  auto minimized = Minimize({}, input, Crash(), [](const std::vector<FuzzInput>&, const FuzzInput& in) {
    Outcome outcome;
    // Without stream.inline the server hangs instead: not the same failure.
    outcome.finding = Has(in, "stream.inline") ? Crash() : Finding{Oracle::kHang, "R8", "no PONG", {}};
    return Result<Outcome>(outcome);
  }, 60);
  ASSERT_TRUE(minimized.ok());
  EXPECT_TRUE(Has(minimized->input, "stream.inline"));
}

TEST(MinimizeTest, StopsAtItsRunBudget) {
  FuzzInput input;
  for (uint64_t i = 0; i < 16; ++i) input.mutations.push_back({"rdb.flip-bit", i});
  int runs = 0;
  auto minimized = Minimize({}, input, Crash(), [&](const std::vector<FuzzInput>&, const FuzzInput& in) { return FragileServer(in, &runs); }, 5);
  ASSERT_TRUE(minimized.ok());
  EXPECT_LE(runs, 5);
}

// A server that crashes on sync-reply.other only after an input with rdb.checksum left it
// without a cached master: the failure keeps that one input of its history, and no other.
TEST(MinimizeTest, AFailureThatNeedsEarlierInputsKeepsOnlyThoseItNeeds) {
  std::vector<FuzzInput> history(3);
  history[0].mutations = {{"stream.inline", 1}};
  history[1].mutations = {{"rdb.checksum", 2}};
  history[2].mutations = {{"handshake.crlf", 3}};
  FuzzInput input;
  input.mutations = {{"sync-reply.other", 4}, {"stream.bytes", 5}};
  auto probe = [](const std::vector<FuzzInput>& prefix, const FuzzInput& in) {
    const bool primed = std::any_of(prefix.begin(), prefix.end(),
                                    [](const FuzzInput& p) { return Has(p, "rdb.checksum"); });
    Outcome outcome;
    if (primed && Has(in, "sync-reply.other")) outcome.finding = Crash();
    return Result<Outcome>(outcome);
  };
  auto minimized = Minimize(history, input, Crash(), probe, 60);
  ASSERT_TRUE(minimized.ok());
  EXPECT_TRUE(minimized->reproduced);
  ASSERT_EQ(minimized->prefix.size(), 1u);
  EXPECT_TRUE(Has(minimized->prefix[0], "rdb.checksum"));
  ASSERT_EQ(minimized->input.mutations.size(), 1u);
  EXPECT_TRUE(Has(minimized->input, "sync-reply.other"));
}

}  // namespace
}  // namespace conformance::fuzz
