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

}  // namespace
}  // namespace conformance::cli
