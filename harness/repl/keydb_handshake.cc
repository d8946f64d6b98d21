// KeyDB's replica opens with REPLPING (falling back to PING on an error) and sends REPLCONF uuid
// <its uuid>; a KeyDB master answers the uuid with its own, and the replica drops a link whose
// answer is +OK (KeyDB replication.cpp syncWithMaster, replconfCommand).
#include "harness/repl/handshake_dialect.h"

namespace conformance::repl {

namespace {

// The fake master's uuid: fixed, so transcripts are reproducible.
constexpr const char* kFakeMasterUuid = "+00000000-0000-4000-8000-00000000c0de";

}  // namespace

HandshakeDialect KeyDbHandshakeDialect() {
  HandshakeDialect dialect;
  dialect.name = "keydb";
  dialect.ping_aliases = {"REPLPING"};
  dialect.replconf_replies = {{"uuid", kFakeMasterUuid}};
  return dialect;
}

HandshakeDialect HandshakeDialectFor(std::string_view name) {
  if (name == "keydb") return KeyDbHandshakeDialect();
  if (name == "dragonfly") return DragonflyHandshakeDialect();
  HandshakeDialect redis;
  redis.name = std::string(name.empty() ? "redis" : name);
  return redis;
}

}  // namespace conformance::repl
