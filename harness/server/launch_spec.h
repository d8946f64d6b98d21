// How to start a server under test: binary, argv template, config file and timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace conformance::server {

struct LaunchSpec {
  // Path, or a name looked up in $PATH.
  std::string binary = "redis-server";
  // argv template. Placeholders (also inside a longer word, e.g. "--port={port}"): {binary}
  // {port} {dir} {config} {host} and, when replica_of is set, {master_host} {master_port}.
  // The default fits Redis/Valkey/KeyDB; new implementations often take flags instead
  // (e.g. {binary} --port {port} --dir {dir}).
  std::vector<std::string> command = {"{binary}", "{config}"};
  // Written one per line ("name value") into {dir}/server.conf, applied over the defaults: an
  // override removes every default line of the same name, then all overrides are appended in
  // order (so repeatable directives such as `save` may be given several times). Values are
  // written verbatim: quote them yourself where the server needs it (e.g. {"save", "\"\""}).
  std::vector<std::pair<std::string, std::string>> config;
  // The Redis-like defaults: bind {host}, port, dir, save "", appendonly no, daemonize no,
  // repl-diskless-sync-delay 0, enable-debug-command yes; the log goes to stdout (every
  // release's default), where the launcher captures it.
  // A server that rejects one of them fails to start; its log says which.
  bool use_default_config = true;
  // The directives the server takes (lowercase), from discovery: default lines it would refuse
  // are left out. nullopt: every default line is written; an empty set: only those every Redis
  // release takes (bind, port, dir, daemonize, save, appendonly). Overrides are always written.
  std::optional<std::set<std::string>> directives;
  // Start as a replica of host:port (for servers without runtime REPLICAOF): adds
  // "<replicaof_directive> H P" to the config or, if replica_of_args is non-empty, appends those template
  // args to the command (e.g. {"--replicaof", "{master_host}:{master_port}"}).
  std::optional<std::pair<std::string, uint16_t>> replica_of;
  std::vector<std::string> replica_of_args;
  // "slaveof" for servers older than the REPLICAOF alias (Redis < 5.0).
  std::string replicaof_directive = "replicaof";
  // Until the server listens on its port (Spawn, Restart).
  std::chrono::milliseconds start_timeout{10000};
  // From SIGTERM to SIGKILL of the whole process group.
  std::chrono::milliseconds stop_timeout{5000};
  std::string host = "127.0.0.1";
  // Strings scrubbed from error messages and log tails, in addition to the values of the
  // requirepass/masterauth config lines (e.g. a password passed as a command-line flag).
  std::vector<std::string> secrets;
};

}  // namespace conformance::server
