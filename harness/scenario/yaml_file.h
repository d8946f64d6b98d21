// Loading a YAML file (or its text) whose every error names file:line:column. yaml-cpp reports
// syntax errors and type misuse by exception; both become located errors here.
#pragma once

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "harness/common/result.h"

namespace conformance::scenario {

// Runs load() for the root node of `name` and returns parse(root); `what` names the file kind
// in read errors.
template <typename T, typename Load, typename Parse>
Result<T> ParseYaml(const std::string& name, const char* what, Load load, Parse parse) {
  YAML::Node root;
  try {
    root = load();
  } catch (const YAML::ParserException& e) {
    return Error{fmt::format("{}:{}:{}: YAML syntax error: {}", name, e.mark.line + 1,
                             e.mark.column + 1, e.msg)};
  } catch (const YAML::Exception& e) {
    return Error{fmt::format("{}: cannot read {}: {}", name, what, e.what())};
  }
  try {
    return parse(root);
  } catch (const YAML::Exception& e) {
    return Error{fmt::format("{}:{}:{}: {}", name, e.mark.line + 1, e.mark.column + 1, e.msg)};
  }
}

// Loads `path` and returns parse(root).
template <typename T, typename Parse>
Result<T> ParseYamlFile(const std::string& path, const char* what, Parse parse) {
  return ParseYaml<T>(path, what, [&] { return YAML::LoadFile(path); }, parse);
}

// Parses `text` as the contents of a file named `name` (errors and locations name it).
template <typename T, typename Parse>
Result<T> ParseYamlText(const std::string& name, std::string_view text, const char* what,
                        Parse parse) {
  return ParseYaml<T>(name, what, [&] { return YAML::Load(std::string(text)); }, parse);
}

}  // namespace conformance::scenario
