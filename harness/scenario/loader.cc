#include "harness/scenario/loader.h"

#include "harness/scenario/applicability.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "harness/rules/catalogue.h"
#include "harness/scenario/args.h"
#include "harness/scenario/schema.h"
#include "harness/scenario/yaml_file.h"

namespace conformance::scenario {

namespace {

namespace fs = std::filesystem;

const std::set<std::string>& TopLevelKeys() {
  static const std::set<std::string> kKeys = {
      "id",     "title",  "rule",  "source", "rules",      "allow-violations", "role",
      "cases",  "server", "steps", "sanity", "timeout-ms"};
  return kKeys;
}

Error At(const std::string& file, const YAML::Node& node, const std::string& message) {
  return Error{fmt::format("{}: {}", LocationOf(file, node).ToString(), message)};
}

bool IsValidId(const std::string& id) {
  if (id.empty() || id.front() == '.' || id.back() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

Result<std::string> RequiredString(const std::string& file, const YAML::Node& root,
                                   const char* key) {
  const YAML::Node node = root[key];
  if (!node) return At(file, root, fmt::format("missing required key '{}'", key));
  if (!node.IsScalar() || node.Scalar().empty()) {
    return At(file, node, fmt::format("'{}' must be a non-empty string", key));
  }
  return node.Scalar();
}

// rules: {M3: [value, boundary], ...}: each id must be catalogued, each dimension one the
// rule has.
Result<std::vector<RuleCitation>> LoadRules(const std::string& file, const YAML::Node& node) {
  if (!node.IsMap() || node.size() == 0) {
    return At(file, node, "'rules' maps each catalogued rule id the case checks to its "
                          "dimensions, e.g. M3: [value, boundary] (conformance rules lists them)");
  }
  std::vector<RuleCitation> citations;
  for (const auto& item : node) {
    const std::string id = item.first.Scalar();
    const rules::Rule* rule = rules::FindRule(id);
    if (!rule) {
      return At(file, item.first, fmt::format("unknown rule '{}' (conformance rules lists the "
                                              "catalogue)", id));
    }
    if (!item.second.IsSequence() || item.second.size() == 0) {
      return At(file, item.second, "a rule's dimensions are a list: value, boundary, timing");
    }
    RuleCitation citation{id, {}};
    for (const YAML::Node& dimension_node : item.second) {
      const auto dimension =
          dimension_node.IsScalar() ? rules::ParseDimension(dimension_node.Scalar()) : std::nullopt;
      if (!dimension) return At(file, dimension_node, "a dimension is value, boundary or timing");
      if (!rule->Has(*dimension)) {
        return At(file, dimension_node, fmt::format("rule {} has no {} dimension in the catalogue",
                                                    id, rules::ToString(*dimension)));
      }
      citation.dimensions.push_back(*dimension);
    }
    citations.push_back(std::move(citation));
  }
  return citations;
}

Result<std::vector<std::string>> LoadAllowedViolations(const std::string& file,
                                                       const YAML::Node& node) {
  if (!node.IsSequence()) return At(file, node, "'allow-violations' is a list of rule ids");
  std::vector<std::string> ids;
  for (const YAML::Node& id : node) {
    if (!id.IsScalar() || !rules::FindRule(id.Scalar())) {
      return At(file, id, fmt::format("unknown rule '{}'", id.IsScalar() ? id.Scalar() : "?"));
    }
    ids.push_back(id.Scalar());
  }
  return ids;
}

Result<std::vector<Step>> LoadSteps(const std::string& file, const YAML::Node& steps_node) {
  if (!steps_node.IsSequence() || steps_node.size() == 0) {
    return At(file, steps_node, "'steps' must be a non-empty list");
  }
  std::vector<Step> steps;
  for (const YAML::Node& item : steps_node) {
    if (!item.IsMap() || item.size() != 1) {
      return At(file, item, "a step is a map with one key, the step kind, e.g. '- replica.handshake: {}'");
    }
    const auto entry = *item.begin();
    Step step;
    step.kind = entry.first.Scalar();
    step.args = entry.second;
    step.location = LocationOf(file, entry.first);
    steps.push_back(std::move(step));
  }
  return steps;
}

Status ValidateCase(const Scenario& scenario) {
  for (const Step& step : scenario.steps) {
    CONFORMANCE_RETURN_IF_ERROR(ValidateStep(step, scenario.bindings));
  }
  return OkStatus();
}

Result<std::vector<Scenario>> Parse(const std::string& file, const YAML::Node& root) {
  if (!root.IsMap()) return At(file, root, "a scenario file is a map (id, title, rule, source, steps)");
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    if (!TopLevelKeys().count(key)) {
      return At(file, item.first,
                fmt::format("unknown key '{}' (known: id, title, rule, source, rules, "
                            "allow-violations, role, cases, server, steps, sanity, timeout-ms)",
                            key));
    }
  }
  Scenario base;
  base.file = file;
  auto id = RequiredString(file, root, "id");
  if (!id.ok()) return id.error();
  if (!IsValidId(*id)) {
    return At(file, root["id"], "an id is lowercase words joined by '.', e.g. master.psync.continue");
  }
  base.id = *id;
  for (auto [key, field] : {std::pair{"title", &base.title}, std::pair{"rule", &base.rule},
                            std::pair{"source", &base.source}}) {
    auto value = RequiredString(file, root, key);
    if (!value.ok()) return value.error();
    *field = *value;
  }
  if (const YAML::Node role = root["role"]) {
    const std::string text = role.IsScalar() ? role.Scalar() : "";
    if (text == "master") base.role = Role::kMaster;
    else if (text == "replica") base.role = Role::kReplica;
    else if (text == "any") base.role = Role::kAny;
    else return At(file, role, "role must be master, replica or any");
  }
  if (const YAML::Node sanity = root["sanity"]) {
    auto value = sanity.IsScalar() ? ParseBool(sanity.Scalar()) : std::nullopt;
    if (!value) return At(file, sanity, "sanity must be true or false");
    base.is_sanity = *value;
  }
  if (const YAML::Node rules = root["rules"]) {
    auto citations = LoadRules(file, rules);
    if (!citations.ok()) return citations.error();
    base.rules = std::move(citations).value();
  } else if (!base.is_sanity) {
    return At(file, root, "missing required key 'rules': the catalogued rules this case checks "
                          "(conformance rules lists them)");
  }
  if (const YAML::Node allowed = root["allow-violations"]) {
    auto ids = LoadAllowedViolations(file, allowed);
    if (!ids.ok()) return ids.error();
    base.allowed_violations = std::move(ids).value();
  }
  if (const YAML::Node timeout = root["timeout-ms"]) {
    auto value = timeout.IsScalar() ? ParseInt(timeout.Scalar()) : std::nullopt;
    if (!value || *value <= 0) return At(file, timeout, "timeout-ms must be a positive integer");
    base.timeout = std::chrono::milliseconds(*value);
  }
  if (const YAML::Node server = root["server"]) {
    if (!server.IsMap()) return At(file, server, "'server' is a map (config, requires)");
    for (const auto& item : server) {
      const std::string key = item.first.Scalar();
      if (key == "config") {
        if (!item.second.IsMap()) return At(file, item.second, "'config' is a map of name: value");
        for (const auto& option : item.second) {
          if (!option.second.IsScalar()) return At(file, option.second, "a config value is a scalar");
          base.server_config.emplace_back(option.first.Scalar(), option.second.Scalar());
        }
      } else if (key == "config-if-supported") {
        if (!item.second.IsMap()) return At(file, item.second, "'config-if-supported' is a map of name: value");
        for (const auto& option : item.second) {
          if (!option.second.IsScalar()) return At(file, option.second, "a config value is a scalar");
          base.optional_config.emplace_back(option.first.Scalar(), option.second.Scalar());
        }
      } else if (key == "requires") {
        if (!item.second.IsSequence()) return At(file, item.second, "'requires' is a list of capability names");
        for (const YAML::Node& lever : item.second) {
          if (!lever.IsScalar() || !server::IsKnownCapability(lever.Scalar())) {
            return At(file, lever, fmt::format("unknown capability '{}' (see conformance probe)",
                                               lever.IsScalar() ? lever.Scalar() : "?"));
          }
          base.requires_levers.push_back(lever.Scalar());
        }
      } else if (key == "may-exit") {
        if (!item.second.IsScalar() || item.second.Scalar().empty()) {
          return At(file, item.second, "'may-exit' says why the server may exit on its own");
        }
        base.may_exit = item.second.Scalar();
      } else if (key == "applies-to") {
        if (!item.second.IsMap()) {
          return At(file, item.second, "'applies-to' is a map of product: release range, e.g. redis: \">= 4.0\"");
        }
        for (const auto& entry : item.second) {
          if (!entry.second.IsScalar()) return At(file, entry.second, "a release range is a string");
          server::ServerTraits any;
          any.version = server::Version{};
          if (auto range = ReleaseInRange(any, entry.second.Scalar()); !range.ok()) {
            return At(file, entry.second, range.message());
          }
          base.applies_to.emplace_back(entry.first.Scalar(), entry.second.Scalar());
        }
      } else {
        return At(file, item.first, fmt::format("unknown server key '{}' (known: config, "
                                                "config-if-supported, requires, applies-to, "
                                                "may-exit)", key));
      }
    }
  }
  const YAML::Node steps_node = root["steps"];
  if (!steps_node) return At(file, root, "missing required key 'steps'");
  auto steps = LoadSteps(file, steps_node);
  if (!steps.ok()) return steps.error();
  base.steps = std::move(steps).value();
  for (const Step& step : base.steps) {
    for (const std::string& need : StepNeeds(step.kind)) {
      if (std::find(base.requires_levers.begin(), base.requires_levers.end(), need) ==
          base.requires_levers.end()) {
        base.requires_levers.push_back(need);
      }
    }
  }

  std::vector<Scenario> out;
  const YAML::Node cases = root["cases"];
  if (!cases) {
    CONFORMANCE_RETURN_IF_ERROR(ValidateCase(base));
    out.push_back(std::move(base));
    return out;
  }
  if (!cases.IsMap() || cases.size() == 0) {
    return At(file, cases, "'cases' is a map of case name to its parameters");
  }
  for (const auto& item : cases) {
    const std::string name = item.first.Scalar();
    if (!IsValidId(name)) return At(file, item.first, "a case name is lowercase, e.g. diskless");
    if (!item.second.IsMap()) return At(file, item.second, "case parameters are a map of name: value");
    Scenario scenario = base;
    scenario.id = base.id + "." + name;
    for (const auto& parameter : item.second) {
      if (!parameter.second.IsScalar()) return At(file, parameter.second, "a parameter value is a scalar");
      scenario.bindings[parameter.first.Scalar()] = parameter.second.Scalar();
    }
    scenario.bindings["case"] = name;
    for (auto& [option, value] : scenario.server_config) value = Substitute(value, scenario.bindings);
    for (auto& [option, value] : scenario.optional_config) value = Substitute(value, scenario.bindings);
    CONFORMANCE_RETURN_IF_ERROR(ValidateCase(scenario));
    out.push_back(std::move(scenario));
  }
  return out;
}

}  // namespace

Result<std::vector<Scenario>> LoadScenarioFile(const std::string& path) {
  return ParseYamlFile<std::vector<Scenario>>(
      path, "scenario file", [&](const YAML::Node& root) { return Parse(path, root); });
}

Result<std::vector<Scenario>> LoadScenarioText(const std::string& name, std::string_view text) {
  return ParseYamlText<std::vector<Scenario>>(
      name, text, "scenario file", [&](const YAML::Node& root) { return Parse(name, root); });
}

Result<std::vector<Scenario>> LoadScenarios(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
        const std::string extension = entry.path().extension().string();
        if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
          files.push_back(entry.path().string());
        }
      }
      if (ec) return Error{fmt::format("{}: cannot list directory: {}", path, ec.message())};
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      return Error{fmt::format("{}: no such scenario file or directory", path)};
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> scenarios;
  std::map<std::string, std::string> seen;
  for (const std::string& file : files) {
    auto loaded = LoadScenarioFile(file);
    if (!loaded.ok()) return loaded.error();
    for (Scenario& scenario : *loaded) {
      auto [it, inserted] = seen.emplace(scenario.id, file);
      if (!inserted) {
        return Error{fmt::format("{}: duplicate scenario id '{}' (also in {})", file,
                                 scenario.id, it->second)};
      }
      scenarios.push_back(std::move(scenario));
    }
  }
  std::sort(scenarios.begin(), scenarios.end(),
            [](const Scenario& a, const Scenario& b) { return a.id < b.id; });
  return scenarios;
}

}  // namespace conformance::scenario
