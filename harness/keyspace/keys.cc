// Generic key commands (db.c, expire.c, cluster.c RESTORE).
#include <fmt/format.h>

#include <limits>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

enum ExpireFlag : uint8_t { kNx = 1, kXx = 2, kGt = 4, kLt = 8 };

// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (expire.c expireGenericCommand). basetime is 0 for the
// *AT forms.
ApplyResult ExpireGeneric(CommandContext& ctx, const Argv& argv, bool relative, bool seconds) {
  uint8_t flags = 0;
  for (size_t j = 3; j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "NX")) {
      flags |= kNx;
    } else if (EqualsIgnoreCase(argv[j], "XX")) {
      flags |= kXx;
    } else if (EqualsIgnoreCase(argv[j], "GT")) {
      flags |= kGt;
    } else if (EqualsIgnoreCase(argv[j], "LT")) {
      flags |= kLt;
    } else {
      return Failed(fmt::format("ERR Unsupported option {}", argv[j]));
    }
  }
  if ((flags & kNx) && (flags & (kXx | kGt | kLt))) {
    return Failed("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if ((flags & kGt) && (flags & kLt)) {
    return Failed("ERR GT and LT options at the same time are not compatible");
  }
  KS_ASSIGN_OR_FAIL(int64_t when, ParseInt64(argv[2]));
  const std::string invalid =
      fmt::format("ERR invalid expire time in '{}' command", ToLower(argv[0]));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (seconds) {
    if (when > kMax / 1000 || when < std::numeric_limits<int64_t>::min() / 1000) {
      return Failed(invalid);
    }
    when *= 1000;
  }
  const int64_t basetime = relative ? ctx.Now() : 0;
  if (when > kMax - basetime) return Failed(invalid);
  when += basetime;

  data::Entry* entry = ctx.Find(argv[1]);
  if (entry == nullptr) return Applied();
  if (flags != 0) {
    const int64_t current = entry->expire_at_ms;
    const bool persistent = current == data::Entry::kNoExpiry;
    // A key without TTL counts as an infinite TTL for GT and LT.
    if ((flags & kNx) && !persistent) return Applied();
    if ((flags & kXx) && persistent) return Applied();
    if ((flags & kGt) && (persistent || when <= current)) return Applied();
    if ((flags & kLt) && !persistent && when >= current) return Applied();
  }
  if (ctx.AlreadyExpired(when)) {
    ctx.Erase(argv[1]);
  } else {
    entry->expire_at_ms = when;
  }
  return Applied();
}

// RENAME and RENAMENX; the TTL moves with the value.
ApplyResult RenameGeneric(CommandContext& ctx, const Argv& argv, bool nx) {
  Database& db = ctx.db();
  if (!db.Contains(argv[1])) return Failed(std::string(kNoSuchKey));
  if (argv[1] == argv[2]) return Applied();
  if (nx && db.Contains(argv[2])) return Applied();
  db.Assign(argv[2], *db.Take(argv[1]));
  return Applied();
}

}  // namespace

ApplyResult DelCommand(CommandContext& ctx, const Argv& argv) {
  for (size_t j = 1; j < argv.size(); ++j) ctx.Erase(argv[j]);
  return Applied();
}

ApplyResult ExpireCommand(CommandContext& ctx, const Argv& argv) {
  return ExpireGeneric(ctx, argv, /*relative=*/true, /*seconds=*/true);
}

ApplyResult PExpireCommand(CommandContext& ctx, const Argv& argv) {
  return ExpireGeneric(ctx, argv, /*relative=*/true, /*seconds=*/false);
}

ApplyResult ExpireAtCommand(CommandContext& ctx, const Argv& argv) {
  return ExpireGeneric(ctx, argv, /*relative=*/false, /*seconds=*/true);
}

ApplyResult PExpireAtCommand(CommandContext& ctx, const Argv& argv) {
  return ExpireGeneric(ctx, argv, /*relative=*/false, /*seconds=*/false);
}

ApplyResult PersistCommand(CommandContext& ctx, const Argv& argv) {
  if (data::Entry* entry = ctx.Find(argv[1])) entry->expire_at_ms = data::Entry::kNoExpiry;
  return Applied();
}

ApplyResult RenameCommand(CommandContext& ctx, const Argv& argv) {
  return RenameGeneric(ctx, argv, /*nx=*/false);
}

ApplyResult RenameNxCommand(CommandContext& ctx, const Argv& argv) {
  return RenameGeneric(ctx, argv, /*nx=*/true);
}

// COPY source destination [DB destination-db] [REPLACE]
ApplyResult CopyCommand(CommandContext& ctx, const Argv& argv) {
  int target_db = ctx.selected_db();
  bool replace = false;
  for (size_t j = 3; j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "REPLACE")) {
      replace = true;
    } else if (EqualsIgnoreCase(argv[j], "DB") && j + 1 < argv.size()) {
      KS_ASSIGN_OR_FAIL(target_db, ParseDbIndex(argv[++j], ctx.databases()));
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  if (target_db == ctx.selected_db() && argv[1] == argv[2]) {
    return Failed("ERR source and destination objects are the same");
  }
  const data::Entry* source = ctx.Find(argv[1]);
  if (source == nullptr) return Applied();
  Database& target = ctx.db(target_db);
  if (!replace && target.Contains(argv[2])) return Applied();
  target.Assign(argv[2], *source);
  return Applied();
}

// MOVE key db
ApplyResult MoveCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int target_db, ParseDbIndex(argv[2], ctx.databases()));
  if (target_db == ctx.selected_db()) {
    return Failed("ERR source and destination objects are the same");
  }
  Database& source_db = ctx.db();
  if (!source_db.Contains(argv[1])) return Applied();
  Database& target = ctx.db(target_db);
  if (target.Contains(argv[1])) return Applied();
  target.Assign(argv[1], *source_db.Take(argv[1]));
  return Applied();
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
ApplyResult RestoreCommand(CommandContext& ctx, const Argv& argv) {
  bool replace = false;
  bool absttl = false;
  bool lru_given = false;
  bool lfu_given = false;
  for (size_t j = 4; j < argv.size(); ++j) {
    const bool has_next = j + 1 < argv.size();
    if (EqualsIgnoreCase(argv[j], "REPLACE")) {
      replace = true;
    } else if (EqualsIgnoreCase(argv[j], "ABSTTL")) {
      absttl = true;
    } else if (EqualsIgnoreCase(argv[j], "IDLETIME") && has_next && !lfu_given) {
      KS_ASSIGN_OR_FAIL(const int64_t idle, ParseInt64(argv[++j]));
      if (idle < 0) return Failed("ERR Invalid IDLETIME value, must be >= 0");
      lru_given = true;
    } else if (EqualsIgnoreCase(argv[j], "FREQ") && has_next && !lru_given) {
      KS_ASSIGN_OR_FAIL(const int64_t freq, ParseInt64(argv[++j]));
      if (freq < 0 || freq > 255) return Failed("ERR Invalid FREQ value, must be >= 0 and <= 255");
      lfu_given = true;
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  KS_ASSIGN_OR_FAIL(int64_t ttl, ParseInt64(argv[2]));
  if (ttl < 0) return Failed("ERR Invalid TTL value, must be >= 0");
  if (!replace && ctx.Find(argv[1]) != nullptr) {
    return Failed("BUSYKEY Target key name already exists.");
  }
  if (!ctx.dump_decoder()) {
    return Unmodelled("RESTORE (no DUMP payload decoder configured in KeyspaceOptions)");
  }
  Result<data::Entry> decoded = ctx.dump_decoder()(argv[3]);
  if (!decoded.ok()) {
    return Failed(
        fmt::format("ERR DUMP payload version or checksum are wrong ({})", decoded.message()));
  }
  if (replace) ctx.Erase(argv[1]);
  if (ttl != 0 && !absttl) ttl += ctx.Now();
  if (ttl != 0 && ctx.AlreadyExpired(ttl)) return Applied();
  data::Entry entry{std::move(decoded.value().value), ttl != 0 ? ttl : data::Entry::kNoExpiry};
  ctx.db().Assign(argv[1], std::move(entry));
  return Applied();
}

}  // namespace conformance::keyspace
