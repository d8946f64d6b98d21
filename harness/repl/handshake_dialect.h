// What a master-side handshake answers differently per replication dialect, as data: commands a
// replica of the dialect sends in place of PING, and REPLCONF options that get a reply of their
// own. The Redis dialect has neither; each other dialect defines its table in a sibling file
// (keydb_handshake.cc), and MasterHandshake reads whichever it is given.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace conformance::repl {

struct HandshakeDialect {
  std::string name = "redis";
  // Sent by the replica where Redis sends PING; answered +PONG and ranked as PING.
  std::vector<std::string> ping_aliases;
  // REPLCONF <option> <value>: the line the master answers with, instead of +OK.
  std::vector<std::pair<std::string, std::string>> replconf_replies;
  // The replica may send REPLCONF capa more than once (a Redis master takes each with +OK).
  bool repeated_capa = false;
};

// KeyDB: REPLPING before PING, REPLCONF uuid answered with the master's uuid.
HandshakeDialect KeyDbHandshakeDialect();
// Dragonfly as the replica of a Redis-protocol master: REPLCONF capa eof capa psync2, then
// REPLCONF capa dragonfly on its own; a +OK to the latter makes it sync by PSYNC.
HandshakeDialect DragonflyHandshakeDialect();

// The dialect called `name` (redis, valkey, keydb, dragonfly); Redis's for any other.
HandshakeDialect HandshakeDialectFor(std::string_view name);

}  // namespace conformance::repl
