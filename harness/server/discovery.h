// Discovery: learns what a server binary is and speaks (traits.h) by starting it once on a
// scratch port and asking it. What a reply cannot tell, release knowledge fills in
// (release_knowledge.h). The probe is disposable: it writes keys, makes the server a replica
// of a listener of its own for one handshake, and stops it.
//
// The pure parsers below work on captured replies, so they are tested on fixtures of many
// releases without starting anything.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/common/transcript.h"
#include "harness/net/connection.h"
#include "harness/resp/value.h"
#include "harness/server/admin.h"
#include "harness/server/info.h"
#include "harness/server/launch_spec.h"
#include "harness/server/process_registry.h"
#include "harness/server/traits.h"

namespace conformance::server {

// Product and release from INFO (server section), e.g. {"valkey", 8.0.1}.
struct ProductRelease {
  std::string product = "unknown";
  std::optional<Version> version;
};
ProductRelease ProductFromInfo(const Info& info);
// Product and release from `BINARY --version` output ("Redis server v=7.0.15 sha=...").
ProductRelease ProductFromVersionText(std::string_view text);

// Lowercase command names from a COMMAND reply; nullopt if it is not a COMMAND reply.
std::optional<std::set<std::string>> CommandNamesFromReply(const resp::Value& reply);
// Lowercase directive names from a CONFIG GET * reply; nullopt if it is no such reply.
std::optional<std::set<std::string>> DirectivesFromConfigGet(const resp::Value& reply);
// The RDB version stamped in a DUMP payload's footer, or an error naming what is wrong.
Result<int> RdbVersionFromDump(std::string_view payload);
// The replica-side handshake, as recorded commands ("REPLCONF capa eof capa psync2"), sets
// capabilities and the dialect it shows.
void ApplyReplicaHandshake(const std::vector<std::string>& handshake, ServerTraits* traits);
// Capabilities that follow from the commands, forms, directives and INFO fields discovered.
void DeriveCapabilities(const std::optional<Info>& replication_info, ServerTraits* traits);

struct DiscoveryOptions {
  net::Duration timeout{5000};  // each request of the probe
  ProcessRegistry* registry = nullptr;
  Transcript* transcript = nullptr;  // may be null
};

// Probes a running server through `admin` (already authenticated) and fills `traits`. With
// `as_replica` it also makes the server a replica of a listener of its own for one handshake
// (never done to a server the harness did not start).
net::Awaitable<Status> ProbeRunningServer(Admin& admin, const std::string& host,
                                          ServerTraits* traits, Transcript* transcript,
                                          net::Duration timeout, bool as_replica);

// Probes a server the harness attaches to (no handshake probe), with release knowledge.
Result<ServerTraits> DiscoverAttached(const std::string& host, uint16_t port,
                                      const std::optional<std::string>& password,
                                      const DiscoveryOptions& options);

// Starts `spec`'s server with only the directives every release takes (plus the spec's own
// overrides), probes it, stops it, and completes the result with release knowledge.
Result<ServerTraits> DiscoverServer(const LaunchSpec& spec, const DiscoveryOptions& options);

// `BINARY --version`, with a deadline; empty when the binary has no such flag.
std::string RunVersionFlag(const std::string& binary, std::chrono::milliseconds timeout);

}  // namespace conformance::server
