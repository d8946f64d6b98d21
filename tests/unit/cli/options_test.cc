#include "harness/cli/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace conformance::cli {
namespace {

using testing::HasSubstr;

TEST(Options, CommandsNeedsNoPaths) {
  auto options = ParseOptions({"commands"});
  ASSERT_TRUE(options.ok()) << options.message();
  EXPECT_EQ(options->command, Command::kCommands);
}

TEST(Options, CommandsTakesNoArguments) {
  auto options = ParseOptions({"commands", "scenarios/"});
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(options.message(), HasSubstr("commands takes no arguments, not 'scenarios/'"));
}

TEST(Options, UsageListsCommands) { EXPECT_THAT(Usage(), HasSubstr("\n  commands ")); }

TEST(Options, RepeatUntilFailureDefaultsToAHundredRuns) {
  auto options = ParseOptions({"run", "scenarios/", "--repeat-until-failure"});
  ASSERT_TRUE(options.ok()) << options.message();
  EXPECT_EQ(options->repeat, 100);
  auto twenty = ParseOptions({"run", "scenarios/", "--repeat-until-failure", "--repeat", "20"});
  ASSERT_TRUE(twenty.ok()) << twenty.message();
  EXPECT_EQ(twenty->repeat, 20);
  EXPECT_TRUE(twenty->repeat_until_failure);
}

TEST(Options, RepeatRunsOneServer) {
  auto options = ParseOptions({"run", "scenarios/", "--repeat", "3", "--matrix", "a,b"});
  ASSERT_FALSE(options.ok());
  EXPECT_THAT(options.message(), HasSubstr("cannot be combined with --matrix"));
  EXPECT_FALSE(ParseOptions({"run", "scenarios/", "--repeat", "0"}).ok());
}

}  // namespace
}  // namespace conformance::cli
