#include "harness/scenario/schema.h"

#include <fmt/format.h>

#include "harness/scenario/args.h"

namespace conformance::scenario {

namespace {

// Arguments every step accepts.
const std::vector<ArgSpec>& CommonArgs() {
  static const std::vector<ArgSpec> kCommon = {
      {"timeout-ms", ArgType::kInt, "deadline of this step (default: the runner's per-step deadline)"},
      {"name", ArgType::kString, "which fake peer (default: the only one)"},
  };
  return kCommon;
}

std::vector<StepSpec> BuildSpecs() {
  using T = ArgType;
  return {
      {"admin", "send a command to the server under test on the harness's own connection",
       {{"command", T::kStringList, "the command"}, {"expect", T::kExpectation, "reply pattern"},
        {"poll", T::kBool, "repeat the command until the reply matches expect, within the "
                           "step's deadline (e.g. until the server has expired a key)"}}},
      {"config", "CONFIG SET each name to its value (SKIP when the server lacks CONFIG SET)",
       {{"set", T::kStringMap, "name: value"}}},
      {"load", "write a seeded mixed dataset to the server",
       {{"keys", T::kInt, "how many keys"},
        {"databases", T::kIntList, "databases to spread keys over (default [0])"},
        {"seed", T::kInt, "seed (default: the case seed)"},
        {"expire", T::kBool, "give some keys a TTL"},
        {"big-values", T::kBool, "include values of several KB"},
        {"profile", T::kString, "basic (default), all-types (every type and encoding) or mixed "
                                "(harness/workload/generator.h)"},
        {"types", T::kString, "all-types: only these, comma-separated (string,list,set,zset,"
                              "hash,stream; default all)"},
        {"pin-entries-read", T::kBool, "follow each XREADGROUP with the XGROUP SETID ... "
                                       "ENTRIESREAD Redis >= 7.2.4 propagates (default true; "
                                       "harness/workload/README.md)"}}},
      {"workload", "write a seeded mixed workload to the server",
       {{"commands", T::kInt, "how many commands"},
        {"databases", T::kIntList, "databases to write in (default [0])"},
        {"seed", T::kInt, "seed (default: the case seed + 1)"},
        {"multi", T::kBool, "wrap some commands in MULTI/EXEC"},
        {"expire", T::kBool, "include expiring writes"},
        {"profile", T::kString, "basic (default), all-types, or expiry (changes the expiries of "
                                "existing keys); all-types and expiry read the server's keyspace "
                                "first and write only commands that succeed on it"},
        {"types", T::kString, "all-types: only these, comma-separated (default all)"},
        {"rate", T::kNumber, "commands per second, paced by the step (default: as fast as "
                             "possible)"},
        {"pin-entries-read", T::kBool, "as load (default true)"},
        {"method", T::kString, "all-types and expiry: how the server is read first, scan or "
                               "snapshot, as check.keyspace (default: the profile's "
                               "keyspace_read, else scan)"}}},
      {"stats.mark", "remember INFO stats as the baseline of check.stats", {}},
      {"replica.connect", "open the fake replica's link to the server under test",
       {{"password", T::kString, "AUTH password (defaults to the server's requirepass)"},
        {"user", T::kString, "AUTH user"},
        {"auth", T::kBool, "send AUTH at all (default true when a password is known)"},
        {"capa", T::kStringList, "REPLCONF capa values (default [eof, psync2])"},
        {"listening-port", T::kInt, "REPLCONF listening-port (default 16380)"},
        {"ip-address", T::kString, "REPLCONF ip-address"},
        {"pipeline", T::kBool, "pipeline AUTH and REPLCONFs (default true)"},
        {"ack", T::kString, "ACK policy: never, on-getack, periodic, lagging"},
        {"ack-period-ms", T::kInt, "period of periodic ACKs"},
        {"ack-lag", T::kInt, "bytes a lagging ACK stays behind"},
        {"fault", T::kFault, "fault plan on this link"}}},
      {"replica.send", "send a command or raw bytes on the fake replica's link",
       {{"command", T::kStringList, "command as a RESP array"},
        {"raw", T::kString, "raw bytes (escapes \\r \\n \\xNN)"}}},
      {"replica.expect", "read one reply on the fake replica's link and match it",
       {{"reply", T::kExpectation, "reply pattern"}}},
      {"replica.handshake", "PING, AUTH, REPLCONF listening-port / capa; every reply must be +PONG or +OK", {}},
      {"replica.psync", "send PSYNC and check the reply",
       {{"replid", T::kString, "replication id (default ?)"},
        {"offset", T::kInt, "offset (default -1)"},
        {"resume", T::kBool, "ask for the fake's replid and offset + 1"},
        {"offset-at", T::kString, "the offset from the master's INFO: backlog-first "
                                  "(repl_backlog_first_byte_offset) or master-next "
                                  "(master_repl_offset + 1); the replid defaults to the fake's"},
        {"offset-delta", T::kInt, "added to offset-at (e.g. -1: one byte before the backlog)"},
        {"expect", T::kString, "fullresync, continue, continue-new-replid, retry-later, error"}}},
      {"replica.sync", "send the legacy SYNC (no reply line; the transfer follows)", {}},
      {"replica.receive-rdb", "receive the snapshot into the model",
       {{"framing", T::kString, "expected framing: disk ($<len>), diskless ($EOF:<mark>) or any"},
        {"cut-at", T::kNumber, "cut the link after this fraction of the payload (0..1)"},
        {"if-due", T::kBool, "only if the last PSYNC was answered +FULLRESYNC (for cases whose "
                             "parameters decide between a full and a partial sync)"},
        {"first-ack", T::kString, "after a $EOF transfer: immediate (default, as Redis "
                                  "replicas do) or none (replica.ack sends it later)"}}},
      {"replica.expect-silence", "the master must send nothing on the fake replica's link for "
                                 "this long (e.g. no stream before the first ACK)",
       {{"ms", T::kInt, "how long (default 500)"}, {"why", T::kString, "the rule, for the failure message"}}},
      {"replica.stream", "read and apply the stream until the fake's offset equals the master's master_repl_offset", {}},
      {"replica.ack", "send REPLCONF ACK with the fake's offset", {}},
      {"replica.disconnect", "close the fake replica's link", {}},
      {"replica.expect-close", "the server must close the link", {}},
      {"replica.dualchannel-start", "Valkey's dual-channel sync up to the snapshot: PSYNC ? -1 on the "
                                    "main link, then (on +DUALCHANNELSYNC) the RDB channel's REPLCONF, "
                                    "SYNC and $ENDOFF, and the main link's set-rdb-client-id and PSYNC "
                                    "at ENDOFF + 1, which must be continued; both links are left "
                                    "unread (the snapshot and the stream wait)",
       {{"expect", T::kString, "dual-channel (default: +DUALCHANNELSYNC) or fullresync (the master "
                               "must not offer it; the snapshot then comes on the main link)"}}},
      {"replica.dualchannel-load", "read the snapshot on the RDB channel (or the main link after "
                                   "fullresync), close the RDB channel and give the model to the "
                                   "main link, whose stream replica.stream then reads",
       {{"cut-at", T::kNumber, "cut the RDB channel after this fraction of the snapshot"}}},
      {"replica.dualchannel-abandon", "close the RDB channel, as a replica whose main link broke "
                                      "abandons its session", {}},
      {"master.dualchannel-snapshot", "answer the replica's PSYNC with +DUALCHANNELSYNC, accept its RDB "
                                      "channel (AUTH, REPLCONF ... rdb-channel 1, SYNC), send $ENDOFF and "
                                      "the snapshot of the model by $EOF; later writes wait in the backlog",
       {{"cut-at", T::kNumber, "cut the RDB channel after this fraction of the snapshot"},
        {"stall-at", T::kNumber, "send only this fraction of the snapshot and keep the RDB channel "
                                 "open (a transfer still in flight)"},
        {"client-id", T::kInt, "the RDB channel's client id in $ENDOFF (default 7)"}}},
      {"master.dualchannel-continue", "read the main link's REPLCONF set-rdb-client-id and PSYNC at "
                                      "ENDOFF + 1, answer +CONTINUE and stream from there", {}},
      {"master.dualchannel-expect-abandon", "the replica must abandon the dual-channel session: close "
                                            "its main link and its RDB channel, sending at most "
                                            "set-rdb-client-id, PSYNC, ACKs and newlines before",
       {{"cut", T::kString, "none (default) or main: the fake master ends the main link first"}}},
      {"check.no-temp-files", "no file of the server's directory matches the pattern (a transfer's "
                              "temporary file), polled for a moment (SKIP when attached)",
       {{"pattern", T::kString, "a shell glob (default temp-*.rdb)"},
        {"within-ms", T::kInt, "how long the server has to remove it (default 1000)"}}},
      {"replica.exchange", "one whole exchange as conformance fuzz ran it against a master: a new "
                           "link, the requests up to PSYNC or SYNC, the master's answer and "
                           "snapshot, a write, the rest of the requests, the link closed; fails "
                           "only when the master continued a PSYNC outside its window (rule M3)",
       {{"requests", T::kStringList, "each request's bytes, escaped; {replid}, {replid2}, {offset}, "
                                     "{next}, {backlog-first}, {second} (+N or -N) are filled from "
                                     "the master's INFO"},
        {"settle-ms", T::kInt, "how long the master has to answer the sync (default 300)"}}},
      {"check.offsets", "the fake's offset equals the master's master_repl_offset", {}},
      {"check.ack", "the master's INFO shows the fake's last ACK as its replica offset", {}},
      {"check.keyspace", "the fake's model equals the server's keyspace",
       {{"ttl-tolerance-ms", T::kInt, "allowed TTL difference (default 2000)"},
        {"method", T::kString, "how the server is read: scan (SCAN, DUMP, PEXPIRETIME) or "
                               "snapshot (a replication snapshot: REPLCONF rdb-only 1 + SYNC; "
                               "its sync_full is added to the stats baseline); default: the "
                               "profile's keyspace_read, else scan"}}},
      {"check.stats", "INFO stats grew by exactly these amounts since the case start or stats.mark",
       {{"sync_full", T::kInt, ""}, {"sync_partial_ok", T::kInt, ""}, {"sync_partial_err", T::kInt, ""}}},
      {"check.info", "INFO <section> shows <field> with this value now (no polling: it asserts "
                     "a moment, e.g. that a snapshot is still being made)",
       {{"section", T::kString, "INFO section (default: all)"},
        {"field", T::kString, "the field, e.g. rdb_bgsave_in_progress"},
        {"equals", T::kString, "its expected value"}}},
      {"check.protocol", "the master broke no protocol rule the fake replica watches", {}},
      {"check.refused", "the replica did not bring its link up on what it was sent: its link is "
                        "down, or it exited by itself (a death by signal fails)", {}},
      {"check.alive", "the server still answers PING and its process is alive",
       {{"ping-timeout-ms", T::kInt, "how long PING may take (default: the step timeout)"},
        {"max-rss-mb", T::kInt, "the process's resident memory must stay below this"}}},

      // The fake master (the server under test is a replica): steps_master.cc.
      {"master.listen", "start a fake master on a free loopback port (name: which one, default master)",
       {{"password", T::kString, "requirepass: the replica must AUTH with it (masterauth)"},
        {"user", T::kString, "the ACL user of the password (masteruser; default: default)"},
        {"require-ping-first", T::kBool, "the handshake must open with PING (default true)"},
        {"replid", T::kString, "the fake's replication id (default: drawn from the seed)"},
        {"offset", T::kInt, "the fake's offset before any stream byte (default 0)"},
        {"backlog", T::kInt, "backlog capacity in bytes (default 1 MB; 0: none, PSYNC never continues)"},
        {"seed", T::kInt, "seed of replids and EOF marks (default: the case seed)"},
        {"replies", T::kStringMap, "handshake replies instead of Redis's, by step (PING, AUTH, "
                                   "\"REPLCONF capa\", ...): a line (CRLF added), \"\" sends none"},
        {"bugs", T::kStringMap, "misbehaviours, the fields of fakes/master_bugs.h with dashes "
                                "(wrong-eof-mark: true, truncate-rdb-at: 1000, "
                                "inline-garbage-after-command: \"x\\r\\n\", ...)"}}},
      {"master.bugs", "change the fake master's misbehaviours from here on",
       {{"clear", T::kBool, "back to a well-behaved master first"},
        {"replies", T::kStringMap, "as master.listen"},
        {"bugs", T::kStringMap, "as master.listen"}}},
      {"server.replicaof", "REPLICAOF <fake master> on the server under test (SLAVEOF on old "
                           "servers; SKIP when it has neither); masterauth comes from server config",
       {{"no-one", T::kBool, "REPLICAOF NO ONE instead"}}},
      {"server.snapshot", "read the server's keyspace and remember it, with its DEBUG DIGEST "
                          "where the server allows DEBUG (check.replica-keyspace against: "
                          "snapshot passes on an unchanged digest without reading again)",
       {{"method", T::kString, "scan or snapshot, as check.keyspace (default: the profile's "
                               "keyspace_read, else scan)"}}},
      {"master.accept", "the replica must connect to the fake master", {}},
      {"master.handshake", "answer PING, AUTH and REPLCONF as Redis does, strict on order, until "
                           "PSYNC or SYNC arrives (left unanswered)",
       {{"sequence", T::kStringList, "commands that must arrive in this order (word prefixes, "
                                     "others may come in between; {port} is the server's port)"},
        {"capa", T::kStringList, "capabilities the replica must announce"},
        {"expect", T::kString, "sync (default), or auth-refused: AUTH is refused and the "
                               "replica must close the link without PSYNC/SYNC"}}},
      {"master.expect-psync", "check the PSYNC (or SYNC) that ended the handshake",
       {{"command", T::kString, "psync (default) or sync"},
        {"replid", T::kString, "any (default), resume (the fake's replid) or an id; \"?\" for none"},
        {"offset", T::kString, "any (default), resume (what the replica applied when the last "
                               "link ended, + 1), or an integer such as -1"}}},
      {"master.reply", "write a reply on the link as it is (e.g. -LOADING, -ERR unknown command)",
       {{"line", T::kString, "one line, CRLF added (escapes \\r \\n \\xNN)"},
        {"raw", T::kString, "raw bytes (escapes)"}}},
      {"master.expect-command", "the replica's next command (ACKs and newlines skipped) must be this",
       {{"command", T::kStringList, "the exact command"},
        {"prefix", T::kString, "its first words instead, e.g. SYNC"}}},
      {"master.fullresync", "+FULLRESYNC <replid> <offset>: the fake's own, or a new history",
       {{"replid", T::kString, "own (default), new (a fresh id) or an id"},
        {"offset", T::kInt, "another offset (starts a new history)"}}},
      {"master.send-rdb", "the snapshot of the fake's model, $<len> or $EOF:<mark>",
       {{"framing", T::kString, "disk ($<len>, default) or diskless ($EOF:<mark>)"},
        {"version", T::kInt, "RDB version (default 10, Redis 7.0)"},
        {"encoding", T::kString, "compact (default) or plain"},
        {"compress", T::kBool, "LZF-compress strings"},
        {"aux", T::kBool, "write repl-stream-db, repl-id, repl-offset (default true)"},
        {"repl-stream-db", T::kInt, "repl-stream-db (default: the database of the next command)"},
        {"cut-at", T::kNumber, "reset the link after this fraction of the payload (0..1)"}}},
      {"master.answer-sync", "answer the last PSYNC/SYNC as Redis decides: +CONTINUE, or "
                             "+FULLRESYNC and the RDB",
       {{"expect", T::kString, "continue, fullresync or any (default): the decision expected"},
        {"framing", T::kString, "as master.send-rdb"},
        {"version", T::kInt, "as master.send-rdb"},
        {"encoding", T::kString, "as master.send-rdb"}}},
      {"master.continue", "+CONTINUE and the backlog from the offset the PSYNC asked for",
       {{"new-replid", T::kBool, "switch to a fresh replid first (+CONTINUE <newid>)"}}},
      {"master.keepalives", "newlines before the payload; between two the replica must stay silent "
                            "and connected",
       {{"count", T::kInt, "how many"}, {"interval-ms", T::kInt, "apart (default 0)"}}},
      {"master.load", "a seeded dataset into the fake's model only: the next RDB carries it",
       {{"keys", T::kInt, "how many keys"},
        {"databases", T::kIntList, "databases to spread keys over (default [0])"},
        {"seed", T::kInt, "seed (default: the case seed)"},
        {"expire", T::kBool, "give some keys a TTL"},
        {"big-values", T::kBool, "include values of several KB"},
        {"replace", T::kBool, "empty the model first"},
        {"profile", T::kString, "basic (default), all-types or mixed, in the form a master "
                                "propagates (XREADGROUP as XCLAIM ...)"},
        {"types", T::kString, "all-types: only these, comma-separated (default all)"}}},
      {"master.workload", "a seeded workload applied to the model and streamed (held in the "
                          "backlog while there is no link)",
       {{"commands", T::kInt, "how many commands"},
        {"databases", T::kIntList, "databases to write in (default [0])"},
        {"seed", T::kInt, "seed (default: the case seed + 1)"},
        {"multi", T::kBool, "wrap some commands in MULTI/EXEC"},
        {"expire", T::kBool, "include expiring writes"},
        {"profile", T::kString, "basic (default), all-types or expiry, tracking the fake's model, "
                                "in the form a master propagates"},
        {"types", T::kString, "all-types: only these, comma-separated (default all)"},
        {"rate", T::kNumber, "commands per second, paced by the step (default: as fast as "
                             "possible)"}}},
      {"master.propagate", "apply one command to the model and stream it (SELECT n picks the "
                           "database of the next ones)",
       {{"command", T::kStringList, "the command"},
        {"cut-at", T::kNumber, "end the link after this fraction of the command's bytes and "
                               "wait for the replica to close"}}},
      {"master.ping", "the master's PING in the stream (counted)", {}},
      {"master.getack", "REPLCONF GETACK * in the stream (counted)",
       {{"ack", T::kString, "none (default), or read the answer, which must be the offset "
                            "before the GETACK, after it, or either"},
        {"within-ms", T::kInt, "the answer must arrive this soon after the GETACK (a "
                               "once-a-second ACK cannot pass for it)"}}},
      {"master.wait-ack", "the replica must ACK exactly this offset",
       {{"offset", T::kString, "current (default: the fake's offset) or an integer"}}},
      {"master.disconnect", "end the link (half-close, then wait for the replica to close)", {}},
      {"master.exchange", "one whole exchange as conformance fuzz ran it: a new fake master with these "
                          "handshake replies, REPLICAOF, the handshake, the raw bytes after it, and "
                          "the replica's reaction noted (never fails on the replica's part)",
       {{"replies", T::kStringMap, "handshake replies by step (PING, \"REPLCONF capa\", ...), escaped"},
        {"raw", T::kString, "the bytes after the handshake, escaped"},
        {"settle-ms", T::kInt, "how long the replica has to accept or refuse (default 300)"}}},
      {"master.settle", "give the replica time to accept or refuse what it was sent: read until it "
                        "closes the link or the time passes (neither fails)",
       {{"ms", T::kInt, "how long at most (default 300)"}}},
      {"master.expect-close", "the replica must close the link (ACKs and newlines allowed before)",
       {{"why", T::kString, "the rule, for the failure message"}}},
      {"check.replica-offsets", "the replica's REPLCONF ACK and INFO slave_repl_offset equal the "
                                "fake master's offset (polled)",
       {{"ack", T::kBool, "check the ACK (default true; a SYNC replica sends none)"},
        {"info", T::kBool, "check INFO (default true)"}}},
      {"check.replica-link", "INFO shows role slave with this link state (polled)",
       {{"status", T::kString, "master_link_status: up or down"},
        {"sync-in-progress", T::kInt, "master_sync_in_progress: 0 or 1"}}},
      {"check.replica-replid", "INFO replication ids of the replica (polled)",
       {{"master_replid", T::kString, "fake (the fake's replid), old, none or an id"},
        {"master_replid2", T::kString, "old (the fake's replid before its last switch), fake2, "
                                       "none or an id"},
        {"second_repl_offset", T::kString, "fake (where the fake switched ids, + 1) or an integer"}}},
      {"check.replica-keyspace", "the server's keyspace equals the fake master's model",
       {{"against", T::kString, "model (default) or snapshot (server.snapshot)"},
        {"ttl-tolerance-ms", T::kInt, "allowed TTL difference (default 2000)"},
        {"wait", T::kBool, "poll until equal within the deadline (for replicas that send no ACK)"},
        {"method", T::kString, "scan or snapshot, as check.keyspace (default: the profile's "
                               "keyspace_read, else scan)"}}},
      {"server.rdb-version", "DUMP a probe key (SET, DUMP, DEL: before server.replicaof) and "
                             "remember the RDB version the server writes, from the DUMP footer "
                             "(master.send-rdb-version)", {}},
      {"master.send-rdb-version",
       "send the model's snapshot in an RDB version and check what the replica makes of it: a "
       "version up to the server's own (server.rdb-version) must load (link up, keyspace equals "
       "the model as that version carries it); a newer one must be refused cleanly (the replica "
       "closes the link, even mid-transfer, logs \"Can't handle RDB format version\" and stays "
       "up with the link down)",
       {{"version", T::kInt, "the RDB version to send"},
        {"framing", T::kString, "disk ($<len>, default) or diskless ($EOF:<mark>)"},
        {"encoding", T::kString, "compact (default) or plain"},
        {"expect", T::kString, "auto (default: from server.rdb-version), loaded or refused"},
        {"ttl-tolerance-ms", T::kInt, "allowed TTL difference (default 2000)"}}},
  };
}

bool IsScalar(const YAML::Node& node) { return node.IsScalar(); }

Status TypeError(const Step& step, const YAML::Node& node, std::string_view name,
                 std::string_view expected) {
  return Error{fmt::format("{}: {}: argument '{}' must be {}",
                           LocationOf(step.location.file, node).ToString(), step.kind, name,
                           expected)};
}

Status CheckType(const Step& step, const YAML::Node& node, const ArgSpec& spec,
                 const Bindings& bindings) {
  switch (spec.type) {
    case ArgType::kString:
      if (!IsScalar(node)) return TypeError(step, node, spec.name, "a string");
      return OkStatus();
    case ArgType::kInt:
      if (!IsScalar(node) || !ParseInt(Substitute(node.Scalar(), bindings))) {
        return TypeError(step, node, spec.name, "an integer");
      }
      return OkStatus();
    case ArgType::kNumber:
      if (!IsScalar(node) || !ParseNumber(Substitute(node.Scalar(), bindings))) {
        return TypeError(step, node, spec.name, "a number");
      }
      return OkStatus();
    case ArgType::kBool:
      if (!IsScalar(node) || !ParseBool(Substitute(node.Scalar(), bindings))) {
        return TypeError(step, node, spec.name, "true or false");
      }
      return OkStatus();
    case ArgType::kStringList:
      if (!node.IsSequence()) return TypeError(step, node, spec.name, "a list of strings");
      for (const YAML::Node& item : node) {
        if (!IsScalar(item)) return TypeError(step, item, spec.name, "a list of strings");
      }
      return OkStatus();
    case ArgType::kIntList:
      if (!node.IsSequence()) return TypeError(step, node, spec.name, "a list of integers");
      for (const YAML::Node& item : node) {
        if (!IsScalar(item) || !ParseInt(Substitute(item.Scalar(), bindings))) {
          return TypeError(step, item, spec.name, "a list of integers");
        }
      }
      return OkStatus();
    case ArgType::kStringMap:
      if (!node.IsMap()) return TypeError(step, node, spec.name, "a map of name: value");
      for (const auto& item : node) {
        if (!IsScalar(item.second)) return TypeError(step, item.second, spec.name, "a scalar");
      }
      return OkStatus();
    case ArgType::kExpectation:
      return ValidateExpectation(step.location.file, node);
    case ArgType::kFault:
      return ValidateFault(step.location.file, node, bindings);
  }
  return OkStatus();
}

}  // namespace

const std::vector<StepSpec>& StepSpecs() {
  static const std::vector<StepSpec> kSpecs = BuildSpecs();
  return kSpecs;
}

std::vector<std::string> StepNeeds(std::string_view kind) {
  static const std::vector<std::pair<std::string_view, std::vector<std::string>>> kNeeds = {
      {"replica.psync", {"psync"}},
      {"replica.sync", {"sync"}},
      {"master.fullresync", {"psync"}},  // +FULLRESYNC answers a PSYNC
      {"master.continue", {"psync"}},
      {"master.expect-psync", {"psync"}},
      {"master.getack", {"getack"}},
      {"master.wait-ack", {"getack"}},
      {"server.rdb-version", {"dump"}},
  };
  for (const auto& [name, needs] : kNeeds) {
    if (name == kind) return needs;
  }
  return {};
}

std::vector<std::string> CheckNeeds(std::string_view kind) {
  static const std::vector<std::pair<std::string_view, std::vector<std::string>>> kNeeds = {
      {"check.replica-replid", {"psync2", "info-replication"}},  // ids came with PSYNC2
      {"check.ack", {"info-replication"}},
      {"check.stats", {"sync-stats"}},
  };
  for (const auto& [name, needs] : kNeeds) {
    if (name == kind) return needs;
  }
  return {};
}

const StepSpec* FindStepSpec(std::string_view kind) {
  for (const StepSpec& spec : StepSpecs()) {
    if (spec.kind == kind) return &spec;
  }
  return nullptr;
}

Status ValidateStep(const Step& step, const Bindings& bindings) {
  const StepSpec* spec = FindStepSpec(step.kind);
  if (spec == nullptr) {
    std::string known;
    for (const StepSpec& s : StepSpecs()) known += fmt::format("{}{}", known.empty() ? "" : ", ", s.kind);
    return Error{fmt::format("{}: unknown step '{}' (known steps: {})", step.location.ToString(),
                             step.kind, known), ErrorKind::kHarness};
  }
  if (!step.args || step.args.IsNull()) return OkStatus();
  if (!step.args.IsMap()) {
    return Error{fmt::format("{}: step '{}' takes a map of arguments",
                             step.location.ToString(), step.kind), ErrorKind::kHarness};
  }
  for (const auto& item : step.args) {
    const std::string name = item.first.Scalar();
    const ArgSpec* arg = nullptr;
    for (const ArgSpec& candidate : spec->args) {
      if (candidate.name == name) arg = &candidate;
    }
    for (const ArgSpec& candidate : CommonArgs()) {
      if (candidate.name == name) arg = &candidate;
    }
    if (arg == nullptr) {
      std::string known;
      for (const ArgSpec& a : spec->args) known += fmt::format("{}{}", known.empty() ? "" : ", ", a.name);
      return Error{fmt::format("{}: step '{}' has no argument '{}' (it takes: {})",
                               LocationOf(step.location.file, item.first).ToString(), step.kind,
                               name, known.empty() ? "none" : known)};
    }
    CONFORMANCE_RETURN_IF_ERROR(CheckType(step, item.second, *arg, bindings));
  }
  return OkStatus();
}

}  // namespace conformance::scenario
