// A scenario file, loaded: metadata, the server it needs, and its steps, each with the place in
// the file it came from. One file may expand into several cases through its `cases:` map.
#pragma once

#include <yaml-cpp/yaml.h>

#include "harness/rules/rule.h"

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace conformance::scenario {

// Where something is in a scenario file, as "file:line:column" (1-based).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string ToString() const;
};

Location LocationOf(const std::string& file, const YAML::Node& node);

// The role the server under test plays in a scenario.
enum class Role : uint8_t { kMaster, kReplica, kAny };
const char* ToString(Role role);

struct Step {
  std::string kind;   // e.g. "replica.psync"
  YAML::Node args;    // validated against the step's schema at load time
  Location location;
  std::chrono::milliseconds timeout{0};  // 0: the runner's per-step default
};

// A catalogued rule a case checks, and how it can catch a server breaking it.
struct RuleCitation {
  std::string id;  // resolves in the rule catalogue (harness/rules/catalogue.h)
  std::vector<rules::Dimension> dimensions;
};

// Parameters of one case: values substituted for ${name} in step arguments and config.
using Bindings = std::map<std::string, std::string>;

struct Scenario {
  std::string id;      // stable hierarchical id: file id, plus ".<case>" for expanded cases
  std::string title;
  std::string rule;
  std::string source;
  std::vector<RuleCitation> rules;  // every case but sanity cites at least one
  // Rules a fake peer may see the server break without failing the case (the case provokes or
  // tolerates it on purpose); any other recorded violation fails the case at its end.
  std::vector<std::string> allowed_violations;
  std::string file;
  Role role = Role::kAny;
  Bindings bindings;
  std::vector<std::pair<std::string, std::string>> server_config;  // applied at server start
  std::vector<std::string> requires_levers;  // capabilities, e.g. "config-set", "restart"
  // Written only where the server takes the directive (tuning a rule does not depend on).
  std::vector<std::pair<std::string, std::string>> optional_config;
  // product -> release range (">= 4.0, < 7.2.4", "*", "none"); "other" stands for products not
  // named.
  // Empty: every release. A rule that changed between releases says here which form it checks.
  std::vector<std::pair<std::string, std::string>> applies_to;
  // Why the server may end the case by exiting on its own (a corrupt snapshot is fatal to
  // Redis by design); empty: any exit during the case fails it. A death by signal always does.
  std::string may_exit;
  std::vector<Step> steps;
  std::chrono::milliseconds timeout{120000};  // the whole case
  bool is_sanity = false;  // runs first and last
};

// Substitutes ${name} in `text` with the case's bindings (unknown names stay as they are).
std::string Substitute(const std::string& text, const Bindings& bindings);

}  // namespace conformance::scenario
