#include "harness/server/release_knowledge.h"

#include <fmt/format.h>

namespace conformance::server {

namespace {

// The Redis release a fork's replication follows (its master side is Redis's code).
std::optional<Version> RedisEquivalent(const ServerTraits& traits) {
  if (!traits.version) return std::nullopt;
  if (traits.product == "redis") return traits.version;
  if (traits.product == "valkey") return Version{7, 2, 4};  // forked from 7.2.4
  if (traits.product == "keydb") return Version{6, 2, 6};   // KeyDB 6.3 follows Redis 6.2
  return std::nullopt;
}

}  // namespace

int RedisRdbVersion(const Version& v) {
  // rdb.h RDB_VERSION per release line.
  if (v >= Version{7, 4, 0}) return 12;
  if (v >= Version{7, 2, 0}) return 11;
  if (v >= Version{7, 0, 0}) return 10;
  if (v >= Version{5, 0, 0}) return 9;
  if (v >= Version{4, 0, 0}) return 8;
  if (v >= Version{3, 2, 0}) return 7;
  if (v >= Version{2, 6, 0}) return 6;
  return 0;
}

void ApplyReleaseKnowledge(ServerTraits* traits) {
  if (traits->product == "valkey") traits->dialect = "valkey";
  if (traits->product == "keydb") traits->dialect = "keydb";
  if (traits->product == "dragonfly") traits->dialect = "dragonfly";
  const std::optional<Version> redis = RedisEquivalent(*traits);
  if (traits->rdb_version == 0 && redis) {
    traits->rdb_version = RedisRdbVersion(*redis);
    if (traits->rdb_version) {
      traits->notes.push_back(fmt::format("release knowledge: RDB {}", traits->rdb_version));
    }
  }
  if (!redis) {
    // Unknown implementations: a replica answering GETACK is a rule, not an option, so the
    // checks that need it run (and fail if it does not answer).
    traits->capabilities.insert("getack");
    return;
  }
  // replication.c: a backlog and PSYNC, with a SYNC retry when PSYNC is refused, since 2.8;
  // REPLCONF GETACK since 3.0; PSYNC2 (+CONTINUE <replid>, replid2) since 4.0.
  if (*redis >= Version{2, 8, 0}) {
    traits->capabilities.insert("partial-resync");
    traits->capabilities.insert("sync-fallback");
  }
  if (*redis >= Version{3, 0, 0}) traits->capabilities.insert("getack");
  if (*redis >= Version{4, 0, 0}) traits->capabilities.insert("psync2");
  // replication.c createReplicationBacklog: "we increment the replication offset by one".
  traits->backlog_creation_moves_offset = *redis < Version{4, 0, 0};
}

}  // namespace conformance::server
