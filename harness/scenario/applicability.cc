#include "harness/scenario/applicability.h"

#include <fmt/format.h>

#include <cctype>
#include <sstream>

namespace conformance::scenario {

namespace {

// Older names of directives the scenarios use (Redis 5.0 renamed slave to replica).
std::optional<std::string> OlderAlias(const std::string& name) {
  static const std::vector<std::pair<std::string, std::string>> kAliases = {
      {"repl-ping-replica-period", "repl-ping-slave-period"},
      {"replica-read-only", "slave-read-only"},
      {"replica-serve-stale-data", "slave-serve-stale-data"},
      {"replica-priority", "slave-priority"},
      {"replicaof", "slaveof"},
      {"replica-announce-ip", "slave-announce-ip"},
      {"replica-lazy-flush", "slave-lazy-flush"},
  };
  for (const auto& [current, old] : kAliases) {
    if (current == name) return old;
  }
  return std::nullopt;
}

// The name this server takes for `name`, or nullopt.
std::optional<std::string> DirectiveName(const server::ServerTraits& traits, const std::string& name) {
  if (traits.TakesDirective(name)) return name;
  if (auto old = OlderAlias(name); old && traits.TakesDirective(*old)) return old;
  return std::nullopt;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

}  // namespace

Result<bool> ReleaseInRange(const server::ServerTraits& traits, const std::string& range) {
  std::stringstream parts(range);
  bool admitted = true;
  for (std::string part; std::getline(parts, part, ',');) {
    part = Trim(part);
    if (part == "*") continue;
    if (part == "none") return false;  // the rule does not apply to any release of the product
    size_t op_end = 0;
    while (op_end < part.size() && std::string_view("<>=!").find(part[op_end]) != std::string_view::npos) {
      ++op_end;
    }
    const std::string op = part.substr(0, op_end);
    const auto bound = server::Version::Parse(part.substr(op_end));
    if (!bound || (op != ">=" && op != ">" && op != "<=" && op != "<" && op != "==" && op != "!=")) {
      return Error{fmt::format("'{}' is no release bound (e.g. \">= 4.0\", \"< 7.2.4\")", part),
                   ErrorKind::kHarness};
    }
    if (!traits.version) return false;  // an unknown release is admitted only by "*"
    const auto v = *traits.version;
    const bool holds = op == ">=" ? v >= *bound : op == ">" ? v > *bound : op == "<=" ? v <= *bound
                       : op == "<" ? v < *bound : op == "==" ? v == *bound : v != *bound;
    admitted = admitted && holds;
  }
  return admitted;
}

std::optional<std::string> WhyNotApplicable(const Scenario& scenario,
                                            const server::ServerTraits& traits,
                                            bool start_as_replica) {
  for (const std::string& need : scenario.requires_levers) {
    if (traits.Has(need)) continue;
    if (need == "replicaof" && start_as_replica) continue;
    std::string meaning;
    for (const auto& [name, help] : server::KnownCapabilities()) {
      if (name == need) meaning = help;
    }
    return fmt::format("needs '{}' ({}), which {} lacks", need, meaning, traits.Describe());
  }
  if (!scenario.applies_to.empty()) {
    const std::string* range = nullptr;
    for (const auto& [product, text] : scenario.applies_to) {
      if (product == traits.product || (product == "other" && range == nullptr)) range = &text;
    }
    if (range == nullptr) {
      return fmt::format("the rule it checks applies to other products than {}", traits.product);
    }
    auto admitted = ReleaseInRange(traits, *range);
    if (admitted.ok() && !*admitted) {
      return fmt::format("the rule it checks applies to {} {}, not to {}", traits.product, *range,
                         traits.Describe());
    }
  }
  for (const auto& [name, value] : scenario.server_config) {
    if (!DirectiveName(traits, name)) {
      return fmt::format("needs the config directive '{}', which {} does not take", name,
                         traits.Describe());
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ConfigFor(const Scenario& scenario,
                                                           const server::ServerTraits& traits,
                                                           std::vector<std::string>* notes) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& [name, value] : scenario.server_config) {
    lines.emplace_back(DirectiveName(traits, name).value_or(name), value);
  }
  for (const auto& [name, value] : scenario.optional_config) {
    if (auto taken = DirectiveName(traits, name)) {
      lines.emplace_back(*taken, value);
    } else {
      notes->push_back(fmt::format("config {} {} left out: {} does not take it", name, value,
                                   traits.Describe()));
    }
  }
  return lines;
}

}  // namespace conformance::scenario
