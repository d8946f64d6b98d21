// Which cases cover each catalogued rule, in each of the rule's dimensions: from the scenarios'
// `rules:` citations, and, given a server's traits, only the cases that apply to that server.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/rules/rule.h"
#include "harness/scenario/scenario.h"
#include "harness/server/traits.h"

namespace conformance::scenario {

struct RuleCoverage {
  const rules::Rule* rule = nullptr;
  std::map<rules::Dimension, std::vector<std::string>> cases;  // dimension -> case ids

  // The rule's dimensions no case covers.
  std::vector<rules::Dimension> Uncovered() const;
};

// Every catalogued rule, in catalogue order, with the cases that cite it. With `traits`, a
// case counts only where it applies to that server (WhyNotApplicable).
std::vector<RuleCoverage> CoverRules(const std::vector<Scenario>& scenarios,
                                     const server::ServerTraits* traits = nullptr,
                                     bool start_as_replica = false);

}  // namespace conformance::scenario
