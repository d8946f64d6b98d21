#include "harness/scenario/runner.h"

#include <gtest/gtest.h>

namespace conformance::scenario {
namespace {

TEST(Glob, MatchesIds) {
  EXPECT_TRUE(GlobMatches("master.*", "master.psync.continue"));
  EXPECT_TRUE(GlobMatches("*.continue", "master.psync.continue"));
  EXPECT_FALSE(GlobMatches("replica.*", "master.psync.continue"));
}

TEST(Summary, ExitCodes) {
  RunSummary ok;
  ok.Add(Verdict::kPass);
  ok.Add(Verdict::kSkip);
  ok.Add(Verdict::kXFail);
  EXPECT_EQ(ok.ExitCode(), kExitOk);
  RunSummary xpass = ok;
  xpass.Add(Verdict::kXPass);
  EXPECT_EQ(xpass.ExitCode(), kExitFailure);
  RunSummary error = ok;
  error.Add(Verdict::kError);
  EXPECT_EQ(error.ExitCode(), kExitInfrastructure);
  RunSummary failed = error;
  failed.Add(Verdict::kFail);
  EXPECT_EQ(failed.ExitCode(), kExitFailure);
  RunSummary skipped;
  skipped.Add(Verdict::kSkip);
  EXPECT_EQ(skipped.ExitCode(), kExitInconclusive);
  EXPECT_EQ(RunSummary{}.ExitCode(), kExitInconclusive);
}

TEST(Runner, DisabledCaseIsSkippedWithItsReason) {
  Scenario scenario;
  scenario.id = "master.example";
  RunOptions options;
  options.disabled = {{"master.*", "not implemented by this server"}};
  Runner runner(options, {});
  CaseResult result = runner.RunCase(scenario);
  EXPECT_EQ(result.verdict, Verdict::kSkip);
  EXPECT_NE(result.reason.find("not implemented by this server"), std::string::npos);
}

TEST(Runner, ServerThatDoesNotStartIsAnInfrastructureError) {
  Scenario scenario;
  scenario.id = "sanity.ping";
  RunOptions options;
  options.launch.binary = "/bin/false";
  options.launch.start_timeout = std::chrono::milliseconds(5000);
  Runner runner(options, {});
  CaseResult result = runner.RunCase(scenario);
  EXPECT_EQ(result.verdict, Verdict::kError);
  EXPECT_NE(result.reason.find("did not start"), std::string::npos) << result.reason;
}

}  // namespace
}  // namespace conformance::scenario
