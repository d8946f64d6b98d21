// Database-level commands (db.c selectCommand, flushdbCommand, flushallCommand, swapdbCommand)
// and the commands a stream carries that change no data (PING, REPLCONF GETACK, PUBLISH).
#include <utility>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

// FLUSHDB/FLUSHALL/FUNCTION FLUSH take an optional ASYNC or SYNC; both empty at once here.
ApplyResult CheckFlushMode(const Argv& argv, size_t mode_index) {
  if (argv.size() > mode_index + 1) return Failed(std::string(kSyntaxError));
  if (argv.size() == mode_index + 1 && !EqualsIgnoreCase(argv[mode_index], "ASYNC") &&
      !EqualsIgnoreCase(argv[mode_index], "SYNC")) {
    return Failed(std::string(kSyntaxError));
  }
  return Applied();
}

ApplyResult SelectCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int index, ParseDbIndex(argv[1], ctx.databases()));
  ctx.Select(index);
  return Applied();
}

ApplyResult FlushDbCommand(CommandContext& ctx, const Argv& argv) {
  if (ApplyResult mode = CheckFlushMode(argv, 1); !mode.ok()) return mode;
  ctx.db().Clear();
  return Applied();
}

ApplyResult FlushAllCommand(CommandContext& ctx, const Argv& argv) {
  if (ApplyResult mode = CheckFlushMode(argv, 1); !mode.ok()) return mode;
  for (Database& db : ctx.dbs()) db.Clear();
  return Applied();
}

ApplyResult SwapDbCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int first,
                    ParseDbIndex(argv[1], ctx.databases(), "ERR invalid first DB index"));
  KS_ASSIGN_OR_FAIL(const int second,
                    ParseDbIndex(argv[2], ctx.databases(), "ERR invalid second DB index"));
  std::swap(ctx.db(first), ctx.db(second));
  return Applied();
}

ApplyResult NoOpCommand(CommandContext&, const Argv&) { return Applied(); }

}  // namespace conformance::keyspace
