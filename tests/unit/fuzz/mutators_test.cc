#include "harness/fuzz/mutators.h"

#include <gtest/gtest.h>

#include <set>

#include "harness/fuzz/input.h"

namespace conformance::fuzz {
namespace {

TEST(MutatorsTest, NamesAreUniqueAndNameTheirSegment) {
  std::set<std::string_view> names;
  for (const Mutator& mutator : Mutators()) {
    EXPECT_TRUE(names.insert(mutator.name).second) << mutator.name;
    const std::string prefix = std::string(ToString(mutator.segment)) + ".";
    EXPECT_EQ(mutator.name.substr(0, prefix.size()), prefix) << mutator.name;
    EXPECT_EQ(FindMutator(mutator.name), &mutator);
  }
  EXPECT_EQ(FindMutator("no.such"), nullptr);
}

// Every mutator, on exchanges of every shape, with many seeds: no crash, no out-of-range
// access (the ASan build runs this), and the same seed gives the same bytes.
TEST(MutatorsTest, EveryMutatorIsTotalAndDeterministic) {
  for (const Mutator& mutator : Mutators()) {
    for (int keys : {0, 1, 9}) {
      for (bool eof : {false, true}) {
        ExchangeOptions options;
        options.keys = keys;
        options.eof_framing = eof;
        options.stream_commands = keys % 5;
        for (uint64_t seed = 0; seed < 40; ++seed) {
          FuzzInput input;
          input.exchange = options;
          input.mutations = {{std::string(mutator.name), seed}};
          auto first = Render(input);
          auto second = Render(input);
          ASSERT_TRUE(first.ok()) << mutator.name << ": " << first.message();
          ASSERT_TRUE(second.ok());
          EXPECT_EQ(first->AfterHandshake(), second->AfterHandshake()) << mutator.name;
          EXPECT_EQ(first->handshake_replies, second->handshake_replies) << mutator.name;
        }
      }
    }
  }
}

// Drawn inputs stack up to four mutations, each aiming at a layout the ones before may have
// moved: rendering must stay in bounds whatever the order.
TEST(MutatorsTest, StackedMutationsStayInBounds) {
  InputDomain domain;
  for (uint64_t iteration = 0; iteration < 3000; ++iteration) {
    FuzzInput input = DrawInput(11, iteration, domain);
    // Every input with four mutations, some of them on the RDB's records.
    while (input.mutations.size() < 4) input.mutations.push_back({"rdb.truncate-record", iteration});
    input.mutations.push_back({"rdb.delete", iteration + 1});
    input.mutations.push_back({"rdb.truncate-record", iteration + 2});
    input.mutations.push_back({"rdb.duplicate-key", iteration + 3});
    EXPECT_NO_THROW({
      auto rendered = Render(input);
      ASSERT_TRUE(rendered.ok());
    }) << "iteration " << iteration << ": " << input.MutatorSummary();
  }
}

TEST(MutatorsTest, ChecksumMismatchIsSeenAndFixed) {
  auto exchange = BuildExchange(ExchangeOptions{});
  ASSERT_TRUE(exchange.ok());
  exchange->rdb[exchange->rdb.size() - 1] ^= 0x01;
  EXPECT_TRUE(RdbChecksumMismatch(*exchange));
  FixRdbChecksum(*exchange);
  EXPECT_FALSE(RdbChecksumMismatch(*exchange));
  exchange->rdb.replace(exchange->rdb.size() - 8, 8, std::string(8, '\0'));
  EXPECT_FALSE(RdbChecksumMismatch(*exchange)) << "a stored 0 disables the check";
}

TEST(InputTest, DrawingIsAFunctionOfSeedAndIteration) {
  const InputDomain domain;
  for (uint64_t iteration = 0; iteration < 200; ++iteration) {
    const FuzzInput a = DrawInput(5, iteration, domain);
    const FuzzInput b = DrawInput(5, iteration, domain);
    ASSERT_EQ(a.mutations.size(), b.mutations.size());
    for (size_t i = 0; i < a.mutations.size(); ++i) {
      EXPECT_EQ(a.mutations[i].mutator, b.mutations[i].mutator);
      EXPECT_EQ(a.mutations[i].seed, b.mutations[i].seed);
    }
    EXPECT_EQ(a.exchange.seed, b.exchange.seed);
    EXPECT_TRUE(Render(a).ok());
  }
  EXPECT_NE(DrawInput(5, 1, domain).exchange.seed, DrawInput(6, 1, domain).exchange.seed);
}

TEST(InputTest, RdbMutationsComeBeforeTheFramingThatFollowsThem) {
  FuzzInput input;
  input.mutations = {{"rdb.duplicate-key", 3}};
  input.exchange.keys = 4;
  auto exchange = Render(input);
  ASSERT_TRUE(exchange.ok());
  EXPECT_EQ(exchange->preamble, "$" + std::to_string(exchange->rdb.size()) + "\r\n");
  input.mutations.push_back({"preamble.number", 1});
  auto changed = Render(input);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->rdb, exchange->rdb);
  EXPECT_NE(changed->preamble, exchange->preamble);
}

TEST(InputTest, UnknownMutatorIsAHarnessError) {
  FuzzInput input;
  input.mutations = {{"rdb.nope", 1}};
  auto rendered = Render(input);
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().kind, ErrorKind::kHarness);
}

}  // namespace
}  // namespace conformance::fuzz
