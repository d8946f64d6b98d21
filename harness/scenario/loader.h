// Loads scenario files. Every error names file:line:column; a file never crashes the loader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/scenario/scenario.h"

namespace conformance::scenario {

// Loads one file and expands its `cases:` into one Scenario each.
Result<std::vector<Scenario>> LoadScenarioFile(const std::string& path);
// Loads a scenario file's text; `name` stands for its path (errors, Scenario::file).
Result<std::vector<Scenario>> LoadScenarioText(const std::string& name, std::string_view text);
// Loads files and directories (recursively, *.yaml and *.yml), sorted by id; ids must be unique.
Result<std::vector<Scenario>> LoadScenarios(const std::vector<std::string>& paths);

}  // namespace conformance::scenario
