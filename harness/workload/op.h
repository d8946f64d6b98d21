// One generated write in both forms (generator.h): what a client sends and what a master
// propagates for it. They differ only for commands whose effects depend on the master
// (XREADGROUP, XCLAIM's delivery time, INCRBYFLOAT's formatted result).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/workload/generator.h"

namespace conformance::workload {

struct Op {
  std::vector<Command> client;
  std::vector<Command> replicated;  // empty: the same as `client`

  // The commands of `form`.
  const std::vector<Command>& For(Form form) const {
    return form == Form::kReplicated && !replicated.empty() ? replicated : client;
  }
  // What the write does to a keyspace: the replicated form, which keyspace::Keyspace applies.
  const std::vector<Command>& Effects() const { return replicated.empty() ? client : replicated; }
  // Appends a command that is the same in both forms.
  void Both(Command command) {
    if (!replicated.empty()) replicated.push_back(command);
    client.push_back(std::move(command));
  }
  // Appends a command whose forms differ; the first such call copies the shared prefix.
  void Split(Command client_form, std::vector<Command> replicated_form) {
    if (replicated.empty()) replicated = client;
    client.push_back(std::move(client_form));
    for (Command& command : replicated_form) replicated.push_back(std::move(command));
  }
  // Appends every command of `more`.
  void Append(Op more) {
    if (more.replicated.empty()) {
      for (Command& command : more.client) Both(std::move(command));
      return;
    }
    if (replicated.empty()) replicated = client;
    for (Command& command : more.client) client.push_back(std::move(command));
    for (Command& command : more.replicated) replicated.push_back(std::move(command));
  }
  bool empty() const { return client.empty(); }
};

// A seeded clock for the times a master would take from its own (PEL delivery times): fixed
// in the past, so every replica and the model accept them, and the same for the same seed.
class FakeTime {
 public:
  static constexpr int64_t kStartMs = 1600000000000;  // 2020-09-13
  int64_t Next() { return now_ += 7; }

 private:
  int64_t now_ = kStartMs;
};

// A one-database keyspace for working out a single key's next state.
inline keyspace::Keyspace ScratchKeyspace() {
  keyspace::KeyspaceOptions options;
  options.databases = 1;
  return keyspace::Keyspace(std::move(options));
}

// Absolute expiries used by the generators: in the year 2100, never reached in a case.
inline constexpr int64_t kFarFutureMs = 4102444800000;  // 2100-01-01

}  // namespace conformance::workload
