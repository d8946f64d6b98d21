// Whether a case applies to the server under test, decided from the server's traits before
// anything runs: the capabilities its `server.requires` names, the releases its
// `server.applies-to` admits, and the config directives its `server.config` needs.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/result.h"
#include "harness/scenario/scenario.h"
#include "harness/server/traits.h"

namespace conformance::scenario {

// Why `scenario` does not apply (a missing capability or directive, a release outside
// applies-to), naming what is missing; nullopt when it applies. `start_as_replica` stands in
// for the replicaof capability.
std::optional<std::string> WhyNotApplicable(const Scenario& scenario,
                                            const server::ServerTraits& traits,
                                            bool start_as_replica);

// The case's config lines as this server takes them: each directive under the name the server
// knows (an older alias where it has only that), `config-if-supported` lines it lacks left out
// (each noted in `notes`).
std::vector<std::pair<std::string, std::string>> ConfigFor(const Scenario& scenario,
                                                           const server::ServerTraits& traits,
                                                           std::vector<std::string>* notes);

// Whether `traits`' release satisfies a range such as ">= 4.0, < 7.2.4" ("*" admits all).
// An error names the malformed part.
Result<bool> ReleaseInRange(const server::ServerTraits& traits, const std::string& range);

}  // namespace conformance::scenario
