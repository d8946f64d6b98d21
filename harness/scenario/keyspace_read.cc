#include "harness/scenario/keyspace_read.h"

#include <fmt/format.h>

namespace conformance::scenario {

const char* ToString(KeyspaceRead read) {
  switch (read) {
    case KeyspaceRead::kScan: return "scan";
    case KeyspaceRead::kSnapshot: return "snapshot";
  }
  return "?";
}

std::optional<KeyspaceRead> ParseKeyspaceRead(std::string_view name) {
  if (name == "scan") return KeyspaceRead::kScan;
  if (name == "snapshot") return KeyspaceRead::kSnapshot;
  return std::nullopt;
}

Result<KeyspaceRead> KeyspaceReadFor(const Args& args, KeyspaceRead fallback) {
  const std::optional<std::string> method = args.String("method");
  if (!method) return fallback;
  if (auto read = ParseKeyspaceRead(*method)) return *read;
  return Error{fmt::format("{}: method must be scan or snapshot, not '{}'",
                           args.step().location.ToString(), *method), ErrorKind::kHarness};
}

}  // namespace conformance::scenario
