// Loading a YAML file whose every error names file:line:column. yaml-cpp reports syntax
// errors and type misuse by exception; both become located errors here.
#pragma once

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "harness/common/result.h"

namespace conformance::scenario {

// Loads `path` and returns parse(root); `what` names the file kind in read errors.
template <typename T, typename Parse>
Result<T> ParseYamlFile(const std::string& path, const char* what, Parse parse) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    return Error{fmt::format("{}:{}:{}: YAML syntax error: {}", path, e.mark.line + 1,
                             e.mark.column + 1, e.msg)};
  } catch (const YAML::Exception& e) {
    return Error{fmt::format("{}: cannot read {}: {}", path, what, e.what())};
  }
  try {
    return parse(root);
  } catch (const YAML::Exception& e) {
    return Error{fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg)};
  }
}

}  // namespace conformance::scenario
