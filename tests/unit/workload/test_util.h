// Helpers of the workload tests: a stable hash of a command list, and applying commands to a
// keyspace model while collecting what it refused.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/workload/generator.h"

namespace conformance::workload::testing {

// FNV-1a over every argument (with separators): pins a generator's exact output.
inline uint64_t Fingerprint(const std::vector<Command>& commands) {
  uint64_t h = 1469598103934665603ull;
  auto add = [&](const std::string& text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  for (const Command& command : commands) {
    for (const std::string& arg : command) add(arg);
    add("\n");
  }
  return h;
}

// What applying a command list to a model gave, command by command.
struct Applied {
  std::vector<std::string> errors;      // "XADD ...: ERR ..." for kError
  std::vector<std::string> unmodelled;  // the command names of kUnmodelled
  size_t applied = 0;
};

inline std::string Describe(const Command& command) {
  std::string text;
  for (const std::string& arg : command) {
    if (!text.empty()) text += ' ';
    text += arg.size() > 40 ? arg.substr(0, 40) + "..." : arg;
  }
  return text;
}

// Applies every command; those named in `skip` (e.g. XREADGROUP) are counted as unmodelled
// without being applied.
inline Applied ApplyAll(keyspace::Keyspace& model, const std::vector<Command>& commands,
                        const std::vector<std::string>& skip = {}) {
  Applied out;
  for (const Command& command : commands) {
    bool skipped = false;
    for (const std::string& name : skip) skipped = skipped || command[0] == name;
    if (skipped) {
      out.unmodelled.push_back(command[0]);
      continue;
    }
    const keyspace::ApplyResult result = model.Apply(command);
    if (result.status == keyspace::ApplyStatus::kError) {
      out.errors.push_back(Describe(command) + ": " + result.message);
    } else if (result.status == keyspace::ApplyStatus::kUnmodelled) {
      out.unmodelled.push_back(Describe(command) + ": " + result.message);
    } else {
      ++out.applied;
    }
  }
  return out;
}

}  // namespace conformance::workload::testing
