// The command table: every command the model applies, and the write commands it knows but
// leaves kUnmodelled, with why. Sorted by name (checked at compile time) for binary search.
#include <algorithm>
#include <array>
#include <cctype>

#include "harness/keyspace/commands.h"

namespace conformance::keyspace {

namespace {

constexpr CommandSpec Cmd(std::string_view name, std::string_view family, int arity,
                          Handler handler, std::string_view notes = "") {
  return {{name, family, arity, /*modelled=*/true, notes}, handler};
}

constexpr CommandSpec NotModelled(std::string_view name, std::string_view family, int arity,
                                  std::string_view why) {
  return {{name, family, arity, false, why}, nullptr};
}

constexpr auto kCommands = std::to_array<CommandSpec>({
    Cmd("APPEND", "string", 3, AppendCommand),
    Cmd("BITFIELD", "bitmap", -2, BitFieldCommand, "GET/SET/INCRBY with OVERFLOW WRAP|SAT|FAIL"),
    Cmd("BITOP", "bitmap", -4, BitOpCommand, "AND, OR, XOR, NOT, DIFF, DIFF1, ANDOR, ONE"),
    Cmd("BLMOVE", "list", 6, BLMoveCommand,
        "never blocks: acts as LMOVE (a master's commands do not block)"),
    Cmd("BLMPOP", "list", -5, BLMPopCommand, "never blocks: acts as LMPOP"),
    Cmd("BLPOP", "list", -3, BLPopCommand, "never blocks: pops from the first non-empty list"),
    Cmd("BRPOP", "list", -3, BRPopCommand, "never blocks: pops from the first non-empty list"),
    Cmd("BRPOPLPUSH", "list", 4, BRPopLPushCommand, "never blocks: acts as RPOPLPUSH"),
    Cmd("BZMPOP", "zset", -5, BZMPopCommand, "never blocks: acts as ZMPOP"),
    Cmd("BZPOPMAX", "zset", -3, BZPopMaxCommand,
        "never blocks: pops from the first non-empty zset"),
    Cmd("BZPOPMIN", "zset", -3, BZPopMinCommand,
        "never blocks: pops from the first non-empty zset"),
    Cmd("COPY", "generic", -3, CopyCommand, "DB, REPLACE; copies the TTL"),
    Cmd("DECR", "string", 2, DecrCommand),
    Cmd("DECRBY", "string", 3, DecrByCommand),
    Cmd("DEL", "generic", -2, DelCommand),
    Cmd("DELIFEQ", "string", 3, DelIfEqCommand, "valkey 9; propagated as DEL"),
    Cmd("DISCARD", "transactions", 1, NoOpCommand, "drops the MULTI queue"),
    NotModelled("EVAL", "scripting", -3,
                "scripts are not run; Redis 7 propagates a script's effects, not the script"),
    NotModelled("EVALSHA", "scripting", -3,
                "scripts are not run; Redis 7 propagates a script's effects, not the script"),
    NotModelled("EVALSHA_RO", "scripting", -3, "scripts are not run"),
    NotModelled("EVAL_RO", "scripting", -3, "scripts are not run"),
    Cmd("EXEC", "transactions", 1, NoOpCommand,
        "applies the MULTI queue; run-time errors do not undo the others"),
    Cmd("EXPIRE", "generic", -3, ExpireCommand, "NX|XX|GT|LT; a past time deletes on a master"),
    Cmd("EXPIREAT", "generic", -3, ExpireAtCommand, "NX|XX|GT|LT; a past time deletes on a master"),
    NotModelled("FCALL", "scripting", -3,
                "functions are not run; Redis 7 propagates their effects"),
    NotModelled("FCALL_RO", "scripting", -3, "functions are not run"),
    Cmd("FLUSHALL", "server", -1, FlushAllCommand, "ASYNC|SYNC; keeps function libraries"),
    Cmd("FLUSHDB", "server", -1, FlushDbCommand, "ASYNC|SYNC"),
    Cmd("FUNCTION", "scripting", -2, FunctionCommand,
        "LOAD [REPLACE], DELETE, FLUSH; library name from the #! line, code not compiled; RESTORE "
        "unmodelled"),
    Cmd("GEOADD", "geo", -5, GeoAddCommand, "NX|XX|CH; 52-bit geohash score as Redis computes it"),
    NotModelled("GEORADIUS", "geo", -6, "STORE/STOREDIST forms not modelled"),
    NotModelled("GEORADIUSBYMEMBER", "geo", -5, "STORE/STOREDIST forms not modelled"),
    NotModelled("GEOSEARCHSTORE", "geo", -8, "not modelled"),
    Cmd("GETDEL", "string", 2, GetDelCommand),
    Cmd("GETEX", "string", -2, GetExCommand, "EX|PX|EXAT|PXAT|PERSIST"),
    Cmd("GETSET", "string", 3, GetSetCommand),
    Cmd("HDEL", "hash", -3, HDelCommand),
    Cmd("HEXPIRE", "hash", -6, HExpireCommand,
        "NX|XX|GT|LT FIELDS; a past time deletes fields on a master"),
    Cmd("HEXPIREAT", "hash", -6, HExpireAtCommand, "NX|XX|GT|LT FIELDS"),
    Cmd("HGETDEL", "hash", -5, HGetDelCommand, "Redis 8"),
    Cmd("HGETEX", "hash", -5, HGetExCommand, "Redis 8; EX|PX|EXAT|PXAT|PERSIST FIELDS"),
    Cmd("HINCRBY", "hash", 4, HIncrByCommand, "keeps the field TTL"),
    Cmd("HINCRBYFLOAT", "hash", 4, HIncrByFloatCommand,
        "long double arithmetic and %.17Lf formatting like Redis"),
    Cmd("HMSET", "hash", -4, HSetCommand, "clears the TTL of the fields it sets"),
    Cmd("HPERSIST", "hash", -5, HPersistCommand, "FIELDS"),
    Cmd("HPEXPIRE", "hash", -6, HPExpireCommand, "NX|XX|GT|LT FIELDS"),
    Cmd("HPEXPIREAT", "hash", -6, HPExpireAtCommand, "NX|XX|GT|LT FIELDS"),
    Cmd("HSET", "hash", -4, HSetCommand, "clears the TTL of the fields it sets"),
    Cmd("HSETEX", "hash", -6, HSetExCommand, "Redis 8; FNX|FXX, EX|PX|EXAT|PXAT|KEEPTTL FIELDS"),
    Cmd("HSETNX", "hash", 4, HSetNxCommand),
    Cmd("INCR", "string", 2, IncrCommand, "keeps the TTL"),
    Cmd("INCRBY", "string", 3, IncrByCommand, "keeps the TTL"),
    Cmd("INCRBYFLOAT", "string", 3, IncrByFloatCommand,
        "long double arithmetic and %.17Lf formatting like Redis; masters propagate SET KEEPTTL"),
    Cmd("LINSERT", "list", 5, LInsertCommand),
    Cmd("LMOVE", "list", 5, LMoveCommand),
    Cmd("LMPOP", "list", -4, LMPopCommand, "LEFT|RIGHT [COUNT]"),
    Cmd("LPOP", "list", -2, LPopCommand, "[count]"),
    Cmd("LPUSH", "list", -3, LPushCommand),
    Cmd("LPUSHX", "list", -3, LPushXCommand),
    Cmd("LREM", "list", 4, LRemCommand),
    Cmd("LSET", "list", 4, LSetCommand),
    Cmd("LTRIM", "list", 4, LTrimCommand),
    NotModelled("MIGRATE", "generic", -6, "not in replication streams (the source propagates DEL)"),
    Cmd("MOVE", "generic", 3, MoveCommand),
    Cmd("MSET", "string", -3, MSetCommand),
    Cmd("MSETNX", "string", -3, MSetNxCommand),
    Cmd("MULTI", "transactions", 1, NoOpCommand, "queues until EXEC or DISCARD"),
    Cmd("PERSIST", "generic", 2, PersistCommand),
    Cmd("PEXPIRE", "generic", -3, PExpireCommand, "NX|XX|GT|LT; a past time deletes on a master"),
    Cmd("PEXPIREAT", "generic", -3, PExpireAtCommand,
        "NX|XX|GT|LT; a past time deletes on a master"),
    NotModelled("PFADD", "hyperloglog", -2,
                "the HyperLogLog sparse/dense byte encoding is not reproduced"),
    NotModelled("PFCOUNT", "hyperloglog", -2,
                "may rewrite the cached cardinality bytes; not reproduced"),
    NotModelled("PFMERGE", "hyperloglog", -2, "the HyperLogLog byte encoding is not reproduced"),
    Cmd("PING", "connection", -1, NoOpCommand, "no effect on data"),
    Cmd("PSETEX", "string", 4, PSetExCommand),
    Cmd("PUBLISH", "pubsub", 3, NoOpCommand, "propagated to replicas; no effect on data"),
    Cmd("RENAME", "generic", 3, RenameCommand, "keeps the TTL"),
    Cmd("RENAMENX", "generic", 3, RenameNxCommand, "keeps the TTL"),
    Cmd("REPLCONF", "server", -1, NoOpCommand, "GETACK and friends; no effect on data"),
    Cmd("RESTORE", "generic", -4, RestoreCommand,
        "REPLACE, ABSTTL, IDLETIME, FREQ; needs KeyspaceOptions::dump_decoder, else unmodelled"),
    Cmd("RPOP", "list", -2, RPopCommand, "[count]"),
    Cmd("RPOPLPUSH", "list", 3, RPopLPushCommand),
    Cmd("RPUSH", "list", -3, RPushCommand),
    Cmd("RPUSHX", "list", -3, RPushXCommand),
    Cmd("SADD", "set", -3, SAddCommand),
    NotModelled("SCRIPT", "scripting", -2,
                "script cache is not modelled (not propagated by Redis 7)"),
    Cmd("SDIFFSTORE", "set", -3, SDiffStoreCommand),
    Cmd("SELECT", "connection", 2, SelectCommand),
    Cmd("SET", "string", -3, SetCommand,
        "NX|XX|IFEQ, GET, EX|PX|EXAT|PXAT|KEEPTTL; a past expiry deletes on a master"),
    Cmd("SETBIT", "bitmap", 4, SetBitCommand),
    Cmd("SETEX", "string", 4, SetExCommand),
    Cmd("SETNX", "string", 3, SetNxCommand),
    Cmd("SETRANGE", "string", 4, SetRangeCommand, "at most 512 MB"),
    Cmd("SINTERSTORE", "set", -3, SInterStoreCommand),
    Cmd("SMOVE", "set", 4, SMoveCommand),
    NotModelled("SORT", "generic", -2, "STORE form not modelled (BY/GET patterns read other keys)"),
    Cmd("SPOP", "set", -2, SPopCommand,
        "only when it takes every member (masters propagate SREM/DEL); a random choice is "
        "unmodelled"),
    Cmd("SPUBLISH", "pubsub", 3, NoOpCommand, "no effect on data"),
    Cmd("SREM", "set", -3, SRemCommand),
    Cmd("SUNIONSTORE", "set", -3, SUnionStoreCommand),
    Cmd("SWAPDB", "server", 3, SwapDbCommand),
    Cmd("UNLINK", "generic", -2, DelCommand),
    Cmd("XACK", "stream", -4, XAckCommand),
    NotModelled("XACKDEL", "stream", -6, "Redis 8.2 consumer-group references are not modelled"),
    Cmd("XADD", "stream", -5, XAddCommand,
        "MAXLEN|MINID [=] with exact trimming, NOMKSTREAM, ms-* ids; approximate (~) trimming that "
        "would trim is unmodelled"),
    Cmd("XAUTOCLAIM", "stream", -6, XAutoClaimCommand, "masters propagate XCLAIM"),
    Cmd("XCLAIM", "stream", -6, XClaimCommand, "IDLE, TIME, RETRYCOUNT, FORCE, JUSTID, LASTID"),
    Cmd("XDEL", "stream", -3, XDelCommand),
    NotModelled("XDELEX", "stream", -5, "Redis 8.2 consumer-group references are not modelled"),
    Cmd("XGROUP", "stream", -2, XGroupCommand,
        "CREATE [MKSTREAM] [ENTRIESREAD], SETID, DESTROY, CREATECONSUMER, DELCONSUMER"),
    NotModelled("XREADGROUP", "stream", -7,
                "masters propagate it as XCLAIM, XGROUP SETID and XGROUP CREATECONSUMER, which are "
                "modelled"),
    Cmd("XSETID", "stream", -3, XSetIdCommand, "ENTRIESADDED, MAXDELETEDID"),
    Cmd("XTRIM", "stream", -4, XTrimCommand,
        "MAXLEN|MINID [=]; approximate (~) trimming that would trim is unmodelled"),
    Cmd("ZADD", "zset", -4, ZAddCommand, "NX|XX, GT|LT, CH, INCR"),
    Cmd("ZDIFFSTORE", "zset", -4, ZDiffStoreCommand),
    Cmd("ZINCRBY", "zset", 4, ZIncrByCommand),
    Cmd("ZINTERSTORE", "zset", -4, ZInterStoreCommand,
        "WEIGHTS, AGGREGATE SUM|MIN|MAX; sets count as score 1"),
    Cmd("ZMPOP", "zset", -4, ZMPopCommand, "MIN|MAX [COUNT]"),
    Cmd("ZPOPMAX", "zset", -2, ZPopMaxCommand),
    Cmd("ZPOPMIN", "zset", -2, ZPopMinCommand),
    Cmd("ZRANGESTORE", "zset", -5, ZRangeStoreCommand, "BYSCORE|BYLEX, REV, LIMIT"),
    Cmd("ZREM", "zset", -3, ZRemCommand),
    Cmd("ZREMRANGEBYLEX", "zset", 4, ZRemRangeByLexCommand),
    Cmd("ZREMRANGEBYRANK", "zset", 4, ZRemRangeByRankCommand),
    Cmd("ZREMRANGEBYSCORE", "zset", 4, ZRemRangeByScoreCommand),
    Cmd("ZUNIONSTORE", "zset", -4, ZUnionStoreCommand,
        "WEIGHTS, AGGREGATE SUM|MIN|MAX; sets count as score 1"),
});

constexpr bool IsSorted() {
  for (size_t i = 1; i < kCommands.size(); ++i) {
    if (!(kCommands[i - 1].info.name < kCommands[i].info.name)) return false;
  }
  return true;
}
static_assert(IsSorted(), "kCommands must be sorted by name");

// <0, 0, >0 comparing an upper-case table name with a name in any case.
int CompareName(std::string_view table_name, std::string_view name) {
  const size_t n = std::min(table_name.size(), name.size());
  for (size_t i = 0; i < n; ++i) {
    const auto a = static_cast<unsigned char>(table_name[i]);
    const auto b = static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(name[i])));
    if (a != b) return a < b ? -1 : 1;
  }
  if (table_name.size() == name.size()) return 0;
  return table_name.size() < name.size() ? -1 : 1;
}

}  // namespace

const CommandSpec* FindCommand(std::string_view name) {
  auto it = std::lower_bound(kCommands.begin(), kCommands.end(), name,
                             [](const CommandSpec& spec, std::string_view n) {
                               return CompareName(spec.info.name, n) < 0;
                             });
  if (it == kCommands.end() || CompareName(it->info.name, name) != 0) return nullptr;
  return &*it;
}

std::span<const CommandSpec> CommandTable() { return kCommands; }

bool IsModelled(std::string_view command) {
  const CommandSpec* spec = FindCommand(command);
  return spec != nullptr && spec->info.modelled;
}

std::vector<CommandInfo> SupportedCommands() {
  std::vector<CommandInfo> infos;
  infos.reserve(kCommands.size());
  for (const CommandSpec& spec : kCommands) infos.push_back(spec.info);
  return infos;
}

}  // namespace conformance::keyspace
