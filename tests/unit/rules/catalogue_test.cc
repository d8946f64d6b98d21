#include "harness/rules/catalogue.h"
#include "harness/rules/violation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace conformance::rules {
namespace {

TEST(Catalogue, IdsAreUniqueAndEveryRuleIsWhole) {
  std::set<std::string_view> ids;
  for (const Rule& rule : Catalogue()) {
    SCOPED_TRACE(std::string(rule.id));
    EXPECT_TRUE(ids.insert(rule.id).second) << "duplicate id";
    EXPECT_FALSE(rule.title.empty());
    EXPECT_FALSE(rule.text.empty());
    EXPECT_FALSE(rule.applies_to.empty());
    EXPECT_FALSE(rule.dimensions.empty());
    EXPECT_TRUE(rule.Has(Dimension::kValue)) << "every rule can be broken in value";
    std::set<std::string_view> servers;
    for (const SourceRef& source : rule.sources) servers.insert(source.server);
    EXPECT_EQ(servers, (std::set<std::string_view>{"Redis", "Valkey", "KeyDB", "Dragonfly"}));
  }
}

TEST(Catalogue, FindsByIdAndLinksToItsAnchor) {
  const Rule* rule = FindRule(kPsyncWindow);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->id, "M3");
  EXPECT_EQ(LinkTo(*rule), "harness/rules/RULES.md#m3");
  EXPECT_EQ(FindRule("Z9"), nullptr);
}

TEST(Catalogue, DimensionsRoundTrip) {
  for (Dimension d : {Dimension::kValue, Dimension::kBoundary, Dimension::kTiming}) {
    EXPECT_EQ(ParseDimension(ToString(d)), d);
  }
  EXPECT_EQ(ParseDimension("speed"), std::nullopt);
}

TEST(Violation, NamesItsRule) {
  EXPECT_EQ((Violation{kNoInlineFromMaster, "inline text at 5"}).ToString(),
            "rule O11: inline text at 5");
}

}  // namespace
}  // namespace conformance::rules
