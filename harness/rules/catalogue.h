// The rule catalogue: every replication rule the harness checks. RULES.md is generated from it
// (`conformance rules --markdown`), together with the cases that cover each rule.
#pragma once

#include <string_view>
#include <vector>

#include "harness/rules/ids.h"
#include "harness/rules/rule.h"

namespace conformance::rules {

// Every rule, in catalogue order.
const std::vector<Rule>& Catalogue();

// The rule with this id, or nullptr.
const Rule* FindRule(std::string_view id);

// Where a rule is explained, for reports: "harness/rules/RULES.md#m3".
std::string LinkTo(const Rule& rule);

}  // namespace conformance::rules
