#include "harness/server/launch_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <strings.h>

namespace conformance::server {
namespace {

bool IsPlaceholderName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string Unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return std::string(value.substr(1, value.size() - 2));
  }
  return std::string(value);
}

}  // namespace

Result<std::string> ExpandPlaceholders(std::string_view word, const LaunchVars& vars) {
  std::string out;
  size_t pos = 0;
  while (pos < word.size()) {
    const size_t open = word.find('{', pos);
    const size_t close = open == std::string_view::npos ? open : word.find('}', open);
    if (close == std::string_view::npos) {
      out.append(word.substr(pos));
      break;
    }
    out.append(word.substr(pos, open - pos));
    const std::string_view name = word.substr(open + 1, close - open - 1);
    if (!IsPlaceholderName(name)) {
      out += '{';  // not ours (e.g. JSON); a placeholder may still follow inside
      pos = open + 1;
      continue;
    }
    pos = close + 1;
    if (name == "binary") {
      out += vars.binary;
    } else if (name == "port") {
      out += std::to_string(vars.port);
    } else if (name == "dir") {
      out += vars.dir;
    } else if (name == "config") {
      out += vars.config;
    } else if (name == "host") {
      out += vars.host;
    } else if (name == "master_host" || name == "master_port") {
      if (!vars.master) {
        return Error{fmt::format("placeholder {{{}}} in '{}' needs replica_of to be set", name,
                                 word)};
      }
      out += name == "master_host" ? vars.master->first : std::to_string(vars.master->second);
    } else {
      return Error{fmt::format(
          "unknown placeholder {{{}}} in '{}' (known: {{binary}} {{port}} {{dir}} {{config}} "
          "{{host}} {{master_host}} {{master_port}})",
          name, word)};
    }
  }
  return out;
}

Result<std::vector<std::string>> BuildCommand(const LaunchSpec& spec, const LaunchVars& vars) {
  if (spec.command.empty()) return Error{"the server command template is empty"};
  std::vector<std::string> argv;
  auto append = [&](const std::vector<std::string>& words) -> Status {
    for (const std::string& word : words) {
      auto expanded = ExpandPlaceholders(word, vars);
      if (!expanded.ok()) return expanded.error();
      argv.push_back(std::move(expanded).value());
    }
    return OkStatus();
  };
  CONFORMANCE_RETURN_IF_ERROR(append(spec.command));
  if (vars.master && !spec.replica_of_args.empty()) {
    CONFORMANCE_RETURN_IF_ERROR(append(spec.replica_of_args));
  }
  return argv;
}

ConfigLines BuildConfig(const LaunchSpec& spec, const LaunchVars& vars) {
  ConfigLines lines;
  if (spec.use_default_config) {
    lines = {
        {"bind", vars.host},
        {"port", std::to_string(vars.port)},
        {"dir", QuoteConfigValue(vars.dir)},
        {"save", "\"\""},
        {"appendonly", "no"},
        {"daemonize", "no"},
        {"repl-diskless-sync-delay", "0"},
        {"enable-debug-command", "yes"},
    };
    if (spec.directives) {
      static const std::set<std::string> kUniversal = {"bind", "port", "dir", "daemonize",
                                                       "save", "appendonly"};
      std::erase_if(lines, [&](const auto& line) {
        return !kUniversal.count(line.first) && !spec.directives->count(line.first);
      });
    }
    std::erase_if(lines, [&](const auto& line) {
      return std::any_of(spec.config.begin(), spec.config.end(),
                         [&](const auto& over) { return SameName(over.first, line.first); });
    });
  }
  lines.insert(lines.end(), spec.config.begin(), spec.config.end());
  if (vars.master && spec.replica_of_args.empty()) {
    lines.emplace_back(spec.replicaof_directive,
                       fmt::format("{} {}", vars.master->first, vars.master->second));
  }
  return lines;
}

std::string RenderConfig(const ConfigLines& lines) {
  std::string out;
  for (const auto& [name, value] : lines) out += fmt::format("{} {}\n", name, value);
  return out;
}

std::string QuoteConfigValue(std::string_view value) {
  const bool needs_quotes =
      value.empty() || std::any_of(value.begin(), value.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '\\';
      });
  if (!needs_quotes) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FormatCommandLine(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./:=,@+").find(c) !=
                                                               std::string_view::npos;
    });
    if (plain) {
      out += word;
      continue;
    }
    out += '\'';
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::vector<std::string> SecretsOf(const LaunchSpec& spec) {
  std::vector<std::string> secrets = spec.secrets;
  for (const auto& [name, value] : spec.config) {
    if (SameName(name, "requirepass") || SameName(name, "masterauth")) {
      secrets.push_back(Unquote(value));
    }
  }
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  return secrets;
}

std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 10)) {
      text.replace(pos, secret.size(), "<redacted>");
    }
  }
  return text;
}

}  // namespace conformance::server
