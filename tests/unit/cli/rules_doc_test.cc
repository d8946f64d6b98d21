#include "harness/cli/rules_doc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/rules/catalogue.h"

namespace conformance::cli {
namespace {

using rules::Dimension;
using testing::HasSubstr;

std::vector<scenario::RuleCoverage> OnlyM3Covered() {
  std::vector<scenario::RuleCoverage> coverage;
  for (const rules::Rule& rule : rules::Catalogue()) coverage.push_back({&rule, {}});
  for (scenario::RuleCoverage& entry : coverage) {
    if (entry.rule->id == "M3") entry.cases[Dimension::kValue] = {"a", "b"};
  }
  return coverage;
}

TEST(RulesDoc, TableCountsCasesAndShowsGaps) {
  const std::string table = RulesTable(OnlyM3Covered(), "a test");
  EXPECT_THAT(table, HasSubstr("for a test"));
  // M3: two cases in value, none in boundary; H1 has no boundary dimension at all.
  EXPECT_THAT(table, testing::ContainsRegex("M3 +PSYNC continues exactly within the backlog +2 +NONE +-"));
  EXPECT_THAT(table, testing::ContainsRegex("H1 +A replica opens the link with PING +NONE +- +-"));
}

TEST(RulesDoc, MarkdownAnchorsEveryRuleAndMarksGaps) {
  const std::string markdown = RulesMarkdown(OnlyM3Covered());
  for (const rules::Rule& rule : rules::Catalogue()) {
    EXPECT_THAT(markdown, HasSubstr("<a id=\"" + rule.Anchor() + "\"></a>"));
  }
  EXPECT_THAT(markdown, HasSubstr("- value: `a`, `b`"));
  EXPECT_THAT(markdown, HasSubstr("- boundary: **not covered**"));
}

TEST(RulesDoc, MatrixHasAColumnPerServer) {
  const std::string table = RulesMatrixTable({{"redis-7.0.15", OnlyM3Covered()},
                                              {"redis-2.6.17", OnlyM3Covered()}});
  EXPECT_THAT(table, HasSubstr("redis-7.0.15"));
  EXPECT_THAT(table, HasSubstr("redis-2.6.17"));
  EXPECT_THAT(table, testing::ContainsRegex("M3 +2/0/- +2/0/-"));
}

}  // namespace
}  // namespace conformance::cli
