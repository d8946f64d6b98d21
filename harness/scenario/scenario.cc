#include "harness/scenario/scenario.h"

#include <fmt/format.h>

namespace conformance::scenario {

std::string Location::ToString() const { return fmt::format("{}:{}:{}", file, line, column); }

Location LocationOf(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return {file, mark.line + 1, mark.column + 1};
}

const char* ToString(Role role) {
  switch (role) {
    case Role::kMaster: return "master";
    case Role::kReplica: return "replica";
    case Role::kAny: return "any";
  }
  return "unknown";
}

std::string Substitute(const std::string& text, const Bindings& bindings) {
  if (text.find("${") == std::string::npos) return text;
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("${", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    const std::string name = text.substr(open + 2, close - open - 2);
    auto it = bindings.find(name);
    out += it == bindings.end() ? text.substr(open, close - open + 1) : it->second;
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace conformance::scenario
