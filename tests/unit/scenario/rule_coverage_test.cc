#include "harness/scenario/rule_coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/rules/catalogue.h"

namespace conformance::scenario {
namespace {

using rules::Dimension;
using testing::ElementsAre;

Scenario Citing(std::string id, std::string rule, std::vector<Dimension> dimensions) {
  Scenario scenario;
  scenario.id = std::move(id);
  scenario.rules.push_back({std::move(rule), std::move(dimensions)});
  return scenario;
}

const RuleCoverage& Entry(const std::vector<RuleCoverage>& coverage, std::string_view id) {
  return *std::find_if(coverage.begin(), coverage.end(),
                       [&](const RuleCoverage& c) { return c.rule->id == id; });
}

TEST(RuleCoverage, CountsCasesPerDimensionAndNamesGaps) {
  const std::vector<Scenario> scenarios = {
      Citing("a", "M3", {Dimension::kValue}),
      Citing("b", "M3", {Dimension::kValue, Dimension::kBoundary}),
  };
  const auto coverage = CoverRules(scenarios);
  EXPECT_EQ(coverage.size(), rules::Catalogue().size());
  const RuleCoverage& m3 = Entry(coverage, "M3");
  EXPECT_THAT(m3.cases.at(Dimension::kValue), ElementsAre("a", "b"));
  EXPECT_THAT(m3.cases.at(Dimension::kBoundary), ElementsAre("b"));
  EXPECT_TRUE(m3.Uncovered().empty());
  // A rule nothing cites is uncovered in each of its dimensions.
  EXPECT_THAT(Entry(coverage, "M11").Uncovered(), ElementsAre(Dimension::kValue, Dimension::kTiming));
}

TEST(RuleCoverage, WithTraitsOnlyApplicableCasesCount) {
  Scenario needs_psync = Citing("needs-psync", "M3", {Dimension::kValue});
  needs_psync.requires_levers = {"psync"};
  server::ServerTraits old_server;  // no capabilities: a SYNC-only server
  const auto coverage = CoverRules({needs_psync}, &old_server);
  EXPECT_THAT(Entry(coverage, "M3").Uncovered(), ElementsAre(Dimension::kValue, Dimension::kBoundary));
}

}  // namespace
}  // namespace conformance::scenario
