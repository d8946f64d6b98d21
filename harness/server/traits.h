// What the server under test is and speaks, as one typed value: product and release, the
// commands and command forms it has, the RDB version it writes, the config directives it
// takes, its databases, and its replication dialect. Discovery (discovery.h) fills it by
// probing, built-in release knowledge (release_knowledge.h) fills what cannot be probed, and a
// profile overrides any of it. Everything downstream (launcher, generators, fakes, the
// applicability check) reads this value; nothing else asks "which version is this?".
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace conformance::server {

// A release number "major.minor.patch"; missing parts are 0.
struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;

  // "7.0.15", "v1.40.1", "df-v1.2.3", "6.3.4-rc1": the first dotted number in the text.
  static std::optional<Version> Parse(std::string_view text);
  std::string ToString() const;
  auto operator<=>(const Version&) const = default;
};

struct ServerTraits {
  // "redis", "valkey", "keydb", "dragonfly", or "unknown" for any other implementation.
  std::string product = "unknown";
  std::optional<Version> version;
  // The replication dialect the fakes speak to it: redis, valkey, keydb or dragonfly.
  std::string dialect = "redis";

  // Lowercase command names; nullopt when the server could not tell (no COMMAND) and nothing
  // was probed, in which case every command is assumed present.
  std::optional<std::set<std::string>> commands;
  // Optional forms of commands the generators use, each probed on a scratch server
  // (e.g. "expire-condition": EXPIRE key s XX). Names in KnownCommandForms().
  std::set<std::string> command_forms;
  // Whether command_forms was probed; if not, every form is assumed present.
  bool forms_probed = false;
  // The RDB version the server writes (a DUMP payload's footer); 0: unknown.
  int rdb_version = 0;
  // Config directives the server takes in its config file (lowercase); nullopt: unknown, in
  // which case the launcher writes only the directives every Redis release takes.
  std::optional<std::set<std::string>> config_directives;
  // Whether the server is started with a config file at all ({config} in its command
  // template); a server started by flags takes no config lines.
  bool config_file = true;
  // Logical databases (SELECT 0..databases-1); 1 when the server has no SELECT.
  int databases = 16;

  // The replica side of the dialect, as a probe handshake showed it.
  // The commands the server sent to a master before PSYNC/SYNC, e.g. "REPLCONF capa eof".
  std::vector<std::string> replica_handshake;
  // REPLICAOF answers only once the handshake with the new master is done (Dragonfly).
  bool replicaof_blocks = false;
  // Creating the replication backlog moves master_repl_offset by one (Redis < 4.0,
  // createReplicationBacklog): a legacy SYNC replica, told no offset, starts one byte later.
  bool backlog_creation_moves_offset = false;

  // Capability names of KnownCapabilities(): what scenarios may require.
  std::set<std::string> capabilities;
  // Where the facts came from, one line each ("probe: COMMAND (241 commands)").
  std::vector<std::string> notes;

  bool Has(std::string_view capability) const;
  // Whether the server has this command (true when commands are unknown).
  bool HasCommand(std::string_view name) const;
  bool HasForm(std::string_view form) const;
  // Whether the server takes this command as written: its name and every optional form it uses.
  bool Accepts(const std::vector<std::string>& argv) const;
  // Whether the server takes this config directive (true when directives are unknown and the
  // directive is one every Redis release takes).
  bool TakesDirective(std::string_view name) const;
  // "redis 7.0.15", "unknown".
  std::string Describe() const;
};

// Capability names and what each means; scenarios' `requires` and profiles use these names.
const std::vector<std::pair<std::string, std::string>>& KnownCapabilities();
bool IsKnownCapability(std::string_view name);

// The optional command forms discovery probes, with the example it sends and what it means.
struct CommandForm {
  const char* name;
  std::vector<std::string> setup;    // run first, errors ignored (each word one argv element)
  std::vector<std::string> example;  // accepted (any non-error reply) means the form exists
  const char* help;
};
const std::vector<CommandForm>& KnownCommandForms();
// The optional forms `argv` uses (names of KnownCommandForms()).
std::vector<std::string> FormsOf(const std::vector<std::string>& argv);

}  // namespace conformance::server
