#include "harness/scenario/run_setup.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/server/discovery.h"

namespace conformance::scenario {

Status DiscoverTraits(RunOptions* options, const Profile* profile) {
  server::DiscoveryOptions discovery;
  discovery.registry = options->registry;
  auto traits = options->attach
                    ? server::DiscoverAttached(options->attach->first, options->attach->second,
                                               options->attach_password, discovery)
                    : server::DiscoverServer(options->launch, discovery);
  if (!traits.ok()) return traits.error();
  options->traits = std::move(traits).value();
  if (profile) {
    if (!profile->capabilities.empty()) {
      options->traits.capabilities =
          std::set<std::string>(profile->capabilities.begin(), profile->capabilities.end());
      options->traits.notes.push_back("capabilities: from profile " + profile->name);
    }
    if (!profile->dialect.empty()) options->traits.dialect = profile->dialect;
  }
  const server::ServerTraits& t = options->traits;
  if (t.config_directives) options->launch.directives = t.config_directives;
  else options->launch.directives = std::set<std::string>{};
  options->launch.replicaof_directive = t.TakesDirective("replicaof") ? "replicaof" : "slaveof";
  options->start_as_replica = !t.Has("replicaof") && t.Has("replicaof-at-start");
  return OkStatus();
}

std::string RenderTraits(const server::ServerTraits& t) {
  std::string out;
  out += fmt::format("product: {}\n", t.product);
  out += fmt::format("version: {}\n", t.version ? t.version->ToString() : "unknown");
  out += fmt::format("dialect: {}\n", t.dialect);
  out += fmt::format("rdb_version: {}\n", t.rdb_version);
  out += fmt::format("databases: {}\n", t.databases);
  out += fmt::format("commands: {}\n",
                     t.commands ? fmt::format("{} known", t.commands->size()) : "unknown (all assumed)");
  out += fmt::format("command_forms: [{}]\n", fmt::join(t.command_forms, ", "));
  out += fmt::format("config_directives: {}\n",
                     t.config_directives ? fmt::format("{} known", t.config_directives->size())
                                         : "unknown (universal ones only)");
  out += fmt::format("replicaof_blocks: {}\n", t.replicaof_blocks);
  out += fmt::format("backlog_creation_moves_offset: {}\n", t.backlog_creation_moves_offset);
  out += fmt::format("replica_handshake: [{}]\n", fmt::join(t.replica_handshake, ", "));
  out += fmt::format("capabilities: [{}]\n", fmt::join(t.capabilities, ", "));
  for (const std::string& note : t.notes) out += "# " + note + "\n";
  return out;
}

}  // namespace conformance::scenario
