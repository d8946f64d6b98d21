// What the public releases are known to do where a probe cannot ask: the RDB version a
// release writes when it has no DUMP, and abilities no command reveals (PSYNC2 continuation,
// answering GETACK). Applied after probing; it
// only adds what the probe left unknown, and a profile still overrides it.
#pragma once

#include "harness/server/traits.h"

namespace conformance::server {

// Completes `traits` from its product and release. Unknown products get the conservative
// reading: nothing is assumed that the probe did not show.
void ApplyReleaseKnowledge(ServerTraits* traits);

// The RDB version a Redis release writes (rdb.h RDB_VERSION), 0 if unknown.
int RedisRdbVersion(const Version& version);

}  // namespace conformance::server
