#include "harness/scenario/profile.h"

#include "harness/scenario/yaml_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "harness/scenario/args.h"

namespace conformance::scenario {

namespace {

Error At(const std::string& file, const YAML::Node& node, const std::string& message) {
  return Error{fmt::format("{}: {}", LocationOf(file, node).ToString(), message)};
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

Result<std::string> NonEmptyScalar(const std::string& file, const YAML::Node& node,
                                   const std::string& what) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return At(file, node, fmt::format("{} must be a non-empty string", what));
  }
  return node.Scalar();
}

Result<std::vector<std::string>> Capabilities(const std::string& file, const YAML::Node& node) {
  if (!node.IsSequence()) return At(file, node, "'capabilities' is a list of names");
  std::vector<std::string> known;
  for (const auto& [name, help] : server::KnownCapabilities()) known.push_back(name);
  std::vector<std::string> out;
  for (const YAML::Node& item : node) {
    auto name = NonEmptyScalar(file, item, "a capability");
    if (!name.ok()) return name.error();
    if (std::find(known.begin(), known.end(), *name) == known.end()) {
      return At(file, item, fmt::format("unknown capability '{}' (known: {})", *name, Join(known)));
    }
    out.push_back(*name);
  }
  return out;
}

Status Server(const std::string& file, const YAML::Node& node, Profile* profile) {
  if (!node.IsMap()) return At(file, node, "'server' is a map (command, default-config, config)");
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    if (key == "command" || key == "replica-args") {
      std::vector<std::string> words;
      if (item.second.IsScalar()) {
        std::istringstream split(item.second.Scalar());
        for (std::string word; split >> word;) words.push_back(word);
      } else if (item.second.IsSequence()) {
        for (const YAML::Node& word : item.second) {
          auto text = NonEmptyScalar(file, word, "a command word");
          if (!text.ok()) return text.error();
          words.push_back(*text);
        }
      }
      if (words.empty()) {
        return At(file, item.second, fmt::format("'{}' is an argv template, e.g. \"{}\"", key,
                                                 key == "command" ? "{binary} {config}"
                                                                  : "--replicaof {master_host} {master_port}"));
      }
      (key == "command" ? profile->server_command : profile->replica_args) = std::move(words);
    } else if (key == "default-config") {
      auto value = item.second.IsScalar() ? ParseBool(item.second.Scalar()) : std::nullopt;
      if (!value) return At(file, item.second, "'default-config' must be true or false");
      profile->default_config = *value;
    } else if (key == "config") {
      if (!item.second.IsMap()) return At(file, item.second, "'config' is a map of name: value");
      for (const auto& option : item.second) {
        if (!option.second.IsScalar()) return At(file, option.second, "a config value is a scalar");
        profile->server_config.emplace_back(option.first.Scalar(), option.second.Scalar());
      }
    } else {
      return At(file, item.first,
                fmt::format("unknown server key '{}' (known: command, replica-args, default-config, "
                            "config)",
                            key));
    }
  }
  return OkStatus();
}

Status Disabled(const std::string& file, const YAML::Node& node, Profile* profile) {
  if (!node.IsMap()) return At(file, node, "'disabled' is a map of glob: reason");
  for (const auto& item : node) {
    auto glob = NonEmptyScalar(file, item.first, "a glob");
    if (!glob.ok()) return glob.error();
    // A missing value has no place of its own: point at the glob.
    if (!item.second.IsScalar() || item.second.Scalar().empty()) {
      return At(file, item.first, fmt::format("'{}' needs a reason, e.g. '{}: not supported'", *glob, *glob));
    }
    profile->disabled.emplace_back(*glob, item.second.Scalar());
  }
  return OkStatus();
}

Status ExpectedFailures(const std::string& file, const YAML::Node& node, Profile* profile) {
  if (!node.IsMap()) return At(file, node, "'expected_failures' is a map of glob: {reason, error}");
  for (const auto& item : node) {
    auto glob = NonEmptyScalar(file, item.first, "a glob");
    if (!glob.ok()) return glob.error();
    const YAML::Node& body = item.second;
    if (!body.IsMap()) {
      return At(file, body, "an expected failure is a map: {reason: why, error: substring}");
    }
    ExpectedFailure expected{.glob = *glob, .error_substring = "", .reason = ""};
    for (const auto& field : body) {
      const std::string key = field.first.Scalar();
      std::string* out = key == "reason"  ? &expected.reason
                         : key == "error" ? &expected.error_substring
                                          : nullptr;
      if (!out) {
        return At(file, field.first,
                  fmt::format("unknown expected-failure key '{}' (known: reason, error)", key));
      }
      auto text = NonEmptyScalar(file, field.second, fmt::format("'{}'", key));
      if (!text.ok()) return text.error();
      *out = *text;
    }
    if (expected.reason.empty()) return At(file, body, fmt::format("'{}' needs a reason", *glob));
    profile->expected_failures.push_back(std::move(expected));
  }
  return OkStatus();
}

Result<KeyspaceRead> KeyspaceReadKey(const std::string& file, const YAML::Node& node) {
  auto read = node.IsScalar() ? ParseKeyspaceRead(node.Scalar()) : std::nullopt;
  if (!read) {
    return At(file, node, fmt::format("'keyspace_read' must be scan or snapshot, not '{}'",
                                      node.IsScalar() ? node.Scalar() : "a collection"));
  }
  return *read;
}

Result<Profile> Parse(const std::string& file, const YAML::Node& root) {
  if (!root.IsMap()) return At(file, root, "a profile is a map (name, dialect, capabilities, ...)");
  Profile profile;
  profile.file = file;
  YAML::Node keyspace_read_node;  // checked against the capabilities once all keys are read
  for (const auto& item : root) {
    const std::string key = item.first.Scalar();
    const YAML::Node& value = item.second;
    if (key == "name") {
      auto name = NonEmptyScalar(file, value, "'name'");
      if (!name.ok()) return name.error();
      profile.name = *name;
    } else if (key == "dialect") {
      auto dialect = NonEmptyScalar(file, value, "'dialect'");
      if (!dialect.ok()) return dialect.error();
      const auto& known = KnownDialects();
      if (std::find(known.begin(), known.end(), *dialect) == known.end()) {
        return At(file, value, fmt::format("unknown dialect '{}' (known: {})", *dialect, Join(known)));
      }
      profile.dialect = *dialect;
    } else if (key == "capabilities") {
      auto capabilities = Capabilities(file, value);
      if (!capabilities.ok()) return capabilities.error();
      profile.capabilities = std::move(capabilities).value();
    } else if (key == "keyspace_read") {
      auto read = KeyspaceReadKey(file, value);
      if (!read.ok()) return read.error();
      profile.keyspace_read = *read;
      keyspace_read_node = value;
    } else if (key == "server") {
      CONFORMANCE_RETURN_IF_ERROR(Server(file, value, &profile));
    } else if (key == "disabled") {
      CONFORMANCE_RETURN_IF_ERROR(Disabled(file, value, &profile));
    } else if (key == "expected_failures") {
      CONFORMANCE_RETURN_IF_ERROR(ExpectedFailures(file, value, &profile));
    } else {
      return At(file, item.first,
                fmt::format("unknown key '{}' (known: name, dialect, capabilities, "
                            "keyspace_read, server, disabled, expected_failures)",
                            key));
    }
  }
  if (profile.name.empty()) return At(file, root, "missing required key 'name'");
  // A snapshot is taken with SYNC from the harness's own connection, which is no replica.
  if (profile.keyspace_read == KeyspaceRead::kSnapshot && !profile.capabilities.empty() &&
      !profile.HasCapability("sync")) {
    return At(file, keyspace_read_node,
              "'keyspace_read: snapshot' reads the server with REPLCONF rdb-only 1 + SYNC, which "
              "needs the 'sync' capability; add it to capabilities or use scan");
  }
  return profile;
}

}  // namespace

bool Profile::HasCapability(const std::string& capability) const {
  return std::find(capabilities.begin(), capabilities.end(), capability) != capabilities.end();
}

const std::vector<std::string>& KnownDialects() {
  static const std::vector<std::string> kDialects = {"redis", "valkey", "keydb", "dragonfly"};
  return kDialects;
}

Result<Profile> LoadProfile(const std::string& path) {
  return ParseYamlFile<Profile>(path, "profile",
                                [&](const YAML::Node& root) { return Parse(path, root); });
}

Result<Profile> LoadProfileText(const std::string& name, std::string_view text) {
  return ParseYamlText<Profile>(name, text, "profile",
                                [&](const YAML::Node& root) { return Parse(name, root); });
}

void ApplyProfile(const Profile& profile, RunOptions* options) {
  for (const auto& entry : profile.disabled) options->disabled.push_back(entry);
  for (const ExpectedFailure& expected : profile.expected_failures) {
    options->expected_failures.push_back(expected);
  }
  options->keyspace_read = profile.keyspace_read;
  if (!profile.server_command.empty()) options->launch.command = profile.server_command;
  if (!profile.replica_args.empty()) options->launch.replica_of_args = profile.replica_args;
  options->launch.use_default_config = profile.default_config;
  options->launch.config.insert(options->launch.config.begin(), profile.server_config.begin(),
                                profile.server_config.end());
}

}  // namespace conformance::scenario
