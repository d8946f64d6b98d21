// Whether a case applies to a server, from its traits: capabilities, releases, directives.
#include "harness/scenario/applicability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario/runner.h"
#include "harness/scenario/verdict.h"

namespace conformance::scenario {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

server::ServerTraits Redis(server::Version version, std::set<std::string> capabilities) {
  server::ServerTraits traits;
  traits.product = "redis";
  traits.version = version;
  traits.capabilities = std::move(capabilities);
  traits.config_directives = std::set<std::string>{"repl-diskless-sync", "repl-ping-slave-period"};
  return traits;
}

TEST(WhyNotApplicable, NamesTheMissingCapability) {
  Scenario scenario;
  scenario.requires_levers = {"replicaof", "psync"};
  const auto redis26 = Redis({2, 6, 17}, {"replicaof", "sync"});
  auto why = WhyNotApplicable(scenario, redis26, false);
  ASSERT_TRUE(why);
  EXPECT_THAT(*why, HasSubstr("needs 'psync'"));
  EXPECT_THAT(*why, HasSubstr("redis 2.6.17"));
  EXPECT_FALSE(WhyNotApplicable(scenario, Redis({7, 0, 15}, {"replicaof", "psync"}), false));
}

TEST(WhyNotApplicable, StartAsReplicaStandsInForReplicaof) {
  Scenario scenario;
  scenario.requires_levers = {"replicaof"};
  EXPECT_FALSE(WhyNotApplicable(scenario, Redis({7, 0, 0}, {}), /*start_as_replica=*/true));
  EXPECT_TRUE(WhyNotApplicable(scenario, Redis({7, 0, 0}, {}), /*start_as_replica=*/false));
}

TEST(WhyNotApplicable, ReleaseRangesPerProduct) {
  Scenario scenario;
  scenario.applies_to = {{"redis", ">= 7.2.4"}, {"other", "*"}};
  EXPECT_TRUE(WhyNotApplicable(scenario, Redis({7, 0, 15}, {}), false));
  EXPECT_FALSE(WhyNotApplicable(scenario, Redis({7, 2, 4}, {}), false));
  server::ServerTraits valkey = Redis({8, 0, 1}, {});
  valkey.product = "valkey";
  EXPECT_FALSE(WhyNotApplicable(scenario, valkey, false));
  scenario.applies_to = {{"redis", "*"}};
  auto why = WhyNotApplicable(scenario, valkey, false);
  ASSERT_TRUE(why);
  EXPECT_THAT(*why, HasSubstr("other products"));
}

TEST(WhyNotApplicable, RequiredDirectiveUnderAnOlderAlias) {
  Scenario scenario;
  scenario.server_config = {{"repl-ping-replica-period", "3600"}};
  EXPECT_FALSE(WhyNotApplicable(scenario, Redis({4, 0, 14}, {}), false));
  scenario.server_config = {{"repl-diskless-load", "swapdb"}};
  auto why = WhyNotApplicable(scenario, Redis({4, 0, 14}, {}), false);
  ASSERT_TRUE(why);
  EXPECT_THAT(*why, HasSubstr("'repl-diskless-load'"));
}

TEST(ConfigFor, AliasesAndOptionalLines) {
  Scenario scenario;
  scenario.server_config = {{"repl-diskless-sync", "yes"}};
  scenario.optional_config = {{"repl-ping-replica-period", "3600"}, {"repl-diskless-load", "swapdb"}};
  std::vector<std::string> notes;
  EXPECT_THAT(ConfigFor(scenario, Redis({4, 0, 14}, {}), &notes),
              ElementsAre(Pair("repl-diskless-sync", "yes"), Pair("repl-ping-slave-period", "3600")));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0], HasSubstr("repl-diskless-load swapdb left out"));
}

TEST(ConfigFor, AServerStartedByFlagsTakesNoConfigLines) {
  server::ServerTraits minimal;
  minimal.config_file = false;
  Scenario scenario;
  scenario.server_config = {{"requirepass", "x"}};
  auto why = WhyNotApplicable(scenario, minimal, false);
  ASSERT_TRUE(why);
  EXPECT_THAT(*why, HasSubstr("requirepass"));
}

TEST(ReleaseInRange, Bounds) {
  auto redis = Redis({7, 2, 4}, {});
  EXPECT_TRUE(*ReleaseInRange(redis, ">= 7.2.4"));
  EXPECT_FALSE(*ReleaseInRange(redis, "< 7.2.4"));
  EXPECT_TRUE(*ReleaseInRange(redis, ">= 4.0, < 8.0"));
  EXPECT_TRUE(*ReleaseInRange(redis, "*"));
  EXPECT_FALSE(ReleaseInRange(redis, "about 7").ok());
}

TEST(VerdictForStepError, FaultDecidesTheVerdict) {
  EXPECT_EQ(VerdictForStepError(ErrorKind::kUnsupported), Verdict::kSkip);
  EXPECT_EQ(VerdictForStepError(ErrorKind::kHarness), Verdict::kError);
  EXPECT_EQ(VerdictForStepError(ErrorKind::kProtocol), Verdict::kFail);
  EXPECT_EQ(VerdictForStepError(ErrorKind::kTimeout), Verdict::kFail);
}

TEST(Runner, CaseNeedingWhatTheServerLacksIsSkippedBeforeItStarts) {
  Scenario scenario;
  scenario.id = "replica.psync.continue";
  scenario.requires_levers = {"psync"};
  RunOptions options;
  options.launch.binary = "/bin/false";  // never started: the case is decided before
  options.traits = Redis({2, 6, 17}, {"sync"});
  Runner runner(options, {});
  CaseResult result = runner.RunCase(scenario);
  EXPECT_EQ(result.verdict, Verdict::kSkip);
  EXPECT_THAT(result.reason, HasSubstr("needs 'psync'"));
}

}  // namespace
}  // namespace conformance::scenario
