// The one place a run learns what its server is: discovery of the server the launch settings
// start (or a probe of the attached one), then the profile's overrides. The CLI and the Python
// runner both call it once their launch settings are final.
#pragma once

#include <string>

#include "harness/common/result.h"
#include "harness/scenario/profile.h"
#include "harness/scenario/runner.h"

namespace conformance::scenario {

// Fills options->traits and what follows from them (the launcher's directives and replicaof
// line, start-as-replica), applying `profile`'s capabilities and dialect over discovery's.
Status DiscoverTraits(RunOptions* options, const Profile* profile);

// The traits as a few "key: value" lines, for `conformance probe` and the reports.
std::string RenderTraits(const server::ServerTraits& traits);

}  // namespace conformance::scenario
