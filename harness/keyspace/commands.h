// Command handlers, one file per family, and the table that names them. Internal to the
// keyspace layer.
//
// A handler receives the whole argv (argv[0] is the command name, arity already checked
// against the table) and returns kApplied, kError (nothing changed) or kUnmodelled (nothing
// changed, the model cannot follow this form exactly).
#pragma once

#include <span>
#include <string_view>

#include "harness/keyspace/context.h"
#include "harness/keyspace/keyspace.h"

namespace conformance::keyspace {

using Handler = ApplyResult (*)(CommandContext& ctx, const Argv& argv);

struct CommandSpec {
  CommandInfo info;
  Handler handler;  // nullptr for known but unmodelled commands
};

// The entry for a command name (any case), or nullptr.
const CommandSpec* FindCommand(std::string_view name);
std::span<const CommandSpec> CommandTable();

// strings.cc
ApplyResult SetCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SetNxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SetExCommand(CommandContext& ctx, const Argv& argv);
ApplyResult PSetExCommand(CommandContext& ctx, const Argv& argv);
ApplyResult GetSetCommand(CommandContext& ctx, const Argv& argv);
ApplyResult GetDelCommand(CommandContext& ctx, const Argv& argv);
ApplyResult GetExCommand(CommandContext& ctx, const Argv& argv);
ApplyResult AppendCommand(CommandContext& ctx, const Argv& argv);
ApplyResult IncrCommand(CommandContext& ctx, const Argv& argv);
ApplyResult DecrCommand(CommandContext& ctx, const Argv& argv);
ApplyResult IncrByCommand(CommandContext& ctx, const Argv& argv);
ApplyResult DecrByCommand(CommandContext& ctx, const Argv& argv);
ApplyResult IncrByFloatCommand(CommandContext& ctx, const Argv& argv);
ApplyResult MSetCommand(CommandContext& ctx, const Argv& argv);
ApplyResult MSetNxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SetRangeCommand(CommandContext& ctx, const Argv& argv);
ApplyResult DelIfEqCommand(CommandContext& ctx, const Argv& argv);

// bits.cc
ApplyResult SetBitCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BitFieldCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BitOpCommand(CommandContext& ctx, const Argv& argv);

// lists.cc
ApplyResult LPushCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RPushCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LPushXCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RPushXCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BLPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BRPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LInsertCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LSetCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LRemCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LTrimCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LMoveCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BLMoveCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RPopLPushCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BRPopLPushCommand(CommandContext& ctx, const Argv& argv);
ApplyResult LMPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BLMPopCommand(CommandContext& ctx, const Argv& argv);

// hashes.cc
ApplyResult HSetCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HSetNxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HDelCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HIncrByCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HIncrByFloatCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HGetDelCommand(CommandContext& ctx, const Argv& argv);

// hash_expiry.cc (Redis 7.4+ hash field expiration)
ApplyResult HExpireCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HPExpireCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HExpireAtCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HPExpireAtCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HPersistCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HSetExCommand(CommandContext& ctx, const Argv& argv);
ApplyResult HGetExCommand(CommandContext& ctx, const Argv& argv);

// sets.cc
ApplyResult SAddCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SRemCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SMoveCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SInterStoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SUnionStoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SDiffStoreCommand(CommandContext& ctx, const Argv& argv);

// zsets.cc
ApplyResult ZAddCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZIncrByCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZRemCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZRemRangeByScoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZRemRangeByRankCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZRemRangeByLexCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZPopMinCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZPopMaxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BZPopMinCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BZPopMaxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZMPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult BZMPopCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZRangeStoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult GeoAddCommand(CommandContext& ctx, const Argv& argv);

// zset_store.cc
ApplyResult ZUnionStoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZInterStoreCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ZDiffStoreCommand(CommandContext& ctx, const Argv& argv);

// streams.cc
ApplyResult XAddCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XTrimCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XDelCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XSetIdCommand(CommandContext& ctx, const Argv& argv);

// stream_groups.cc
ApplyResult XGroupCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XAckCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XClaimCommand(CommandContext& ctx, const Argv& argv);
ApplyResult XAutoClaimCommand(CommandContext& ctx, const Argv& argv);

// keys.cc
ApplyResult DelCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ExpireCommand(CommandContext& ctx, const Argv& argv);
ApplyResult PExpireCommand(CommandContext& ctx, const Argv& argv);
ApplyResult ExpireAtCommand(CommandContext& ctx, const Argv& argv);
ApplyResult PExpireAtCommand(CommandContext& ctx, const Argv& argv);
ApplyResult PersistCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RenameCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RenameNxCommand(CommandContext& ctx, const Argv& argv);
ApplyResult CopyCommand(CommandContext& ctx, const Argv& argv);
ApplyResult MoveCommand(CommandContext& ctx, const Argv& argv);
ApplyResult RestoreCommand(CommandContext& ctx, const Argv& argv);

// server.cc
ApplyResult SelectCommand(CommandContext& ctx, const Argv& argv);
ApplyResult FlushDbCommand(CommandContext& ctx, const Argv& argv);
ApplyResult FlushAllCommand(CommandContext& ctx, const Argv& argv);
ApplyResult SwapDbCommand(CommandContext& ctx, const Argv& argv);
ApplyResult NoOpCommand(CommandContext& ctx, const Argv& argv);
// kError unless argv[mode_index..] is empty or a single ASYNC/SYNC.
ApplyResult CheckFlushMode(const Argv& argv, size_t mode_index);

// functions.cc
ApplyResult FunctionCommand(CommandContext& ctx, const Argv& argv);

}  // namespace conformance::keyspace
