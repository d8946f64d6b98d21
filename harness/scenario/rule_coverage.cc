#include "harness/scenario/rule_coverage.h"

#include <algorithm>

#include "harness/rules/catalogue.h"
#include "harness/scenario/applicability.h"

namespace conformance::scenario {

std::vector<rules::Dimension> RuleCoverage::Uncovered() const {
  std::vector<rules::Dimension> uncovered;
  for (rules::Dimension dimension : rule->dimensions) {
    auto it = cases.find(dimension);
    if (it == cases.end() || it->second.empty()) uncovered.push_back(dimension);
  }
  return uncovered;
}

std::vector<RuleCoverage> CoverRules(const std::vector<Scenario>& scenarios,
                                     const server::ServerTraits* traits, bool start_as_replica) {
  std::vector<RuleCoverage> coverage;
  for (const rules::Rule& rule : rules::Catalogue()) coverage.push_back({&rule, {}});
  for (const Scenario& scenario : scenarios) {
    if (traits && WhyNotApplicable(scenario, *traits, start_as_replica)) continue;
    for (const RuleCitation& citation : scenario.rules) {
      auto entry = std::find_if(coverage.begin(), coverage.end(),
                                [&](const RuleCoverage& c) { return c.rule->id == citation.id; });
      if (entry == coverage.end()) continue;  // the loader refuses unknown ids
      for (rules::Dimension dimension : citation.dimensions) {
        entry->cases[dimension].push_back(scenario.id);
      }
    }
  }
  return coverage;
}

}  // namespace conformance::scenario
