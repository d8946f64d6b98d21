// Pure helpers that turn a LaunchSpec into an argv and a config file, so they can be tested
// without starting anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/server/launch_spec.h"

namespace conformance::server {

using ConfigLines = std::vector<std::pair<std::string, std::string>>;

// What the placeholders expand to for one start.
struct LaunchVars {
  std::string binary;  // the resolved path
  uint16_t port = 0;
  std::string dir;
  std::string config;  // path of the config file
  std::string host;
  std::optional<std::pair<std::string, uint16_t>> master;  // set iff spec.replica_of is
};

// Replaces {binary} {port} {dir} {config} {host} {master_host} {master_port} inside `word`.
// An unknown name made of [a-z_] in braces is an error (a typo in a profile); other braces are
// left alone. {master_*} without a master is an error.
Result<std::string> ExpandPlaceholders(std::string_view word, const LaunchVars& vars);

// spec.command expanded, plus spec.replica_of_args when the server starts as a replica.
Result<std::vector<std::string>> BuildCommand(const LaunchSpec& spec, const LaunchVars& vars);

// The config lines: defaults (if enabled), overrides, then "replicaof H P" when the server
// starts as a replica and no replica_of_args were given.
ConfigLines BuildConfig(const LaunchSpec& spec, const LaunchVars& vars);

// One "name value" line per entry, newline-terminated.
std::string RenderConfig(const ConfigLines& lines);

// Double-quotes a config value if it holds whitespace, quotes or backslashes (the escaping of
// Redis's sdssplitargs).
std::string QuoteConfigValue(std::string_view value);

// A shell-like rendering of argv for error messages.
std::string FormatCommandLine(const std::vector<std::string>& argv);

// spec.secrets plus the values of password-bearing config lines (requirepass, masterauth),
// without surrounding quotes.
std::vector<std::string> SecretsOf(const LaunchSpec& spec);

// Replaces every occurrence of each non-empty secret with "<redacted>".
std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace conformance::server
