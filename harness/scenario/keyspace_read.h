// How the checks read the server's keyspace: `scan` (SCAN, DUMP and PEXPIRETIME on the admin
// connection, oracle::ReadServerKeyspace) or `snapshot` (a replication snapshot: REPLCONF
// rdb-only 1 + SYNC, oracle::CaptureKeyspace). A profile picks the default (`keyspace_read`),
// because some servers are better read one way; a step's own `method` wins over it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/common/result.h"
#include "harness/scenario/args.h"

namespace conformance::scenario {

enum class KeyspaceRead : uint8_t { kScan, kSnapshot };

// "scan" or "snapshot".
const char* ToString(KeyspaceRead read);
// The method a name spells, or nullopt.
std::optional<KeyspaceRead> ParseKeyspaceRead(std::string_view name);

// The method a check step uses: its `method` argument when it gives one, else `fallback` (the
// profile's keyspace_read). A method that is neither scan nor snapshot is an error naming the
// step's file:line:column.
Result<KeyspaceRead> KeyspaceReadFor(const Args& args, KeyspaceRead fallback);

}  // namespace conformance::scenario
