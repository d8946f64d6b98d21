// The rule catalogue with its coverage: the Markdown of `conformance rules --markdown`, which
// harness/rules/RULES.md holds (generated, so it cannot drift from the catalogue or from the
// scenarios' citations), and the console table of `conformance rules`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario/rule_coverage.h"

namespace conformance::cli {

inline constexpr std::string_view kRulesDocPath = "harness/rules/RULES.md";
inline constexpr std::string_view kRulesDocRegenerate =
    "build/harness/cli/conformance rules --markdown scenarios/ > harness/rules/RULES.md";

// A generated-file header, the coverage table, then each rule whole: text, releases, sources,
// covering cases per dimension.
std::string RulesMarkdown(const std::vector<scenario::RuleCoverage>& coverage);

// One line per rule: id, title, and the number of covering cases per dimension ("-" where the
// dimension does not apply, "NONE" where nothing covers it). `scope` says whose coverage it is
// ("the scenarios", or the server's description).
std::string RulesTable(const std::vector<scenario::RuleCoverage>& coverage, std::string_view scope);

// Coverage per release: one column per server, each cell "value/boundary/timing" case counts
// ("-" where the dimension does not apply, "0" a gap on that server).
struct ServerCoverage {
  std::string label;  // "redis-7.0.15"
  std::vector<scenario::RuleCoverage> coverage;
};
std::string RulesMatrixTable(const std::vector<ServerCoverage>& servers);

}  // namespace conformance::cli
