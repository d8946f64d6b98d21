// String commands (t_string.c). Masters propagate SET EX/PX/EXAT as SET PXAT, GETSET and
// SET GET as SET, GETEX as PEXPIREAT/PERSIST/DEL, GETDEL as DEL and INCRBYFLOAT as
// SET KEEPTTL; the client forms are modelled too.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

// proto-max-bulk-len's default; a bound for SETRANGE/APPEND so a hostile offset cannot make the
// model allocate gigabytes.
constexpr int64_t kMaxStringLength = 512LL * 1024 * 1024;

constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

std::string ExpireTimeError(std::string_view command) {
  return fmt::format("ERR invalid expire time in '{}' command", ToLower(command));
}

enum class ExpireUnit : uint8_t { kNone, kEx, kPx, kExAt, kPxAt };

// The options SET and GETEX share (t_string.c parseExtendedCommandArgumentsOrReply).
struct ExtendedArgs {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  std::optional<std::string> if_eq;  // valkey 8.1 SET IFEQ
  ExpireUnit unit = ExpireUnit::kNone;
  const std::string* expire = nullptr;
};

enum class ExtendedFor : uint8_t { kSet, kGetEx };

Result<ExtendedArgs> ParseExtendedArgs(const Argv& argv, size_t first, ExtendedFor command) {
  ExtendedArgs args;
  const bool is_set = command == ExtendedFor::kSet;
  for (size_t j = first; j < argv.size(); ++j) {
    const std::string& opt = argv[j];
    const bool has_next = j + 1 < argv.size();
    const bool has_expire = args.unit != ExpireUnit::kNone;
    if (is_set && EqualsIgnoreCase(opt, "NX") && !args.xx && !args.if_eq) {
      args.nx = true;
    } else if (is_set && EqualsIgnoreCase(opt, "XX") && !args.nx && !args.if_eq) {
      args.xx = true;
    } else if (is_set && EqualsIgnoreCase(opt, "IFEQ") && has_next && !args.nx && !args.xx) {
      args.if_eq = argv[++j];
    } else if (is_set && EqualsIgnoreCase(opt, "GET")) {
      args.get = true;
    } else if (is_set && EqualsIgnoreCase(opt, "KEEPTTL") && !has_expire) {
      args.keep_ttl = true;
    } else if (!is_set && EqualsIgnoreCase(opt, "PERSIST") && !has_expire) {
      args.persist = true;
    } else {
      ExpireUnit unit = ExpireUnit::kNone;
      if (EqualsIgnoreCase(opt, "EX")) unit = ExpireUnit::kEx;
      if (EqualsIgnoreCase(opt, "PX")) unit = ExpireUnit::kPx;
      if (EqualsIgnoreCase(opt, "EXAT")) unit = ExpireUnit::kExAt;
      if (EqualsIgnoreCase(opt, "PXAT")) unit = ExpireUnit::kPxAt;
      // The same expiry option may repeat (the last wins); two different ones conflict.
      const bool conflict = args.keep_ttl || args.persist || (has_expire && args.unit != unit);
      if (unit == ExpireUnit::kNone || conflict || !has_next) {
        return Error{std::string(kSyntaxError)};
      }
      args.unit = unit;
      args.expire = &argv[++j];
    }
  }
  return args;
}

// The absolute expiry (ms) of an EX/PX/EXAT/PXAT argument (getExpireMillisecondsOrReply).
Result<int64_t> AbsoluteExpiry(CommandContext& ctx, const std::string& command,
                               const std::string& text, ExpireUnit unit) {
  int64_t when = 0;
  if (!StringToInt64(text, &when)) return Error{std::string(kNotInteger)};
  const bool seconds = unit == ExpireUnit::kEx || unit == ExpireUnit::kExAt;
  if (when <= 0 || (seconds && when > std::numeric_limits<int64_t>::max() / 1000)) {
    return Error{ExpireTimeError(command)};
  }
  if (seconds) when *= 1000;
  if (unit == ExpireUnit::kEx || unit == ExpireUnit::kPx) {
    // Redis adds and checks for a wrap to a non-positive value.
    when = static_cast<int64_t>(static_cast<uint64_t>(when) + static_cast<uint64_t>(ctx.Now()));
  }
  if (when <= 0) return Error{ExpireTimeError(command)};
  return when;
}

// setGenericCommand: the shared tail of SET, SETNX, SETEX and PSETEX.
ApplyResult SetGeneric(CommandContext& ctx, const Argv& argv, const std::string& key,
                       const std::string& value, const ExtendedArgs& args) {
  std::optional<int64_t> expire_at;
  if (args.expire != nullptr) {
    KS_ASSIGN_OR_FAIL(expire_at, AbsoluteExpiry(ctx, argv[0], *args.expire, args.unit));
  }
  data::Entry* existing = ctx.Find(key);
  const bool is_string =
      existing != nullptr && existing->value.index() == ValueIndex<data::String>();
  if (args.get && existing != nullptr && !is_string) return Failed(std::string(kWrongType));
  if (args.if_eq) {
    if (existing == nullptr) return Applied();
    if (!is_string) {
      if (!args.get) return Failed(std::string(kWrongType));
      return Applied();
    }
    if (std::get<data::String>(existing->value) != *args.if_eq) return Applied();
  }
  if ((args.nx && existing != nullptr) || (args.xx && existing == nullptr)) return Applied();
  if (expire_at && ctx.AlreadyExpired(*expire_at)) {
    // A master does not store what is already expired; it deletes the old key instead.
    if (existing != nullptr) ctx.Erase(key);
    return Applied();
  }
  ctx.Store(key, data::String(value), args.keep_ttl);
  if (expire_at) ctx.Find(key)->expire_at_ms = *expire_at;
  return Applied();
}

// INCR/DECR/INCRBY/DECRBY. The TTL survives (dbReplaceValue).
ApplyResult IncrDecr(CommandContext& ctx, const std::string& key, int64_t increment) {
  KS_ASSIGN_OR_FAIL(data::String * current, ctx.Get<data::String>(key));
  int64_t value = 0;
  if (current != nullptr && !StringToInt64(*current, &value)) {
    return Failed(std::string(kNotInteger));
  }
  if ((increment < 0 && value < 0 && increment < std::numeric_limits<int64_t>::min() - value) ||
      (increment > 0 && value > 0 && increment > std::numeric_limits<int64_t>::max() - value)) {
    return Failed("ERR increment or decrement would overflow");
  }
  ctx.Store(key, std::to_string(value + increment), /*keep_ttl=*/true);
  return Applied();
}

}  // namespace

ApplyResult SetCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const ExtendedArgs args, ParseExtendedArgs(argv, 3, ExtendedFor::kSet));
  return SetGeneric(ctx, argv, argv[1], argv[2], args);
}

ApplyResult SetNxCommand(CommandContext& ctx, const Argv& argv) {
  ExtendedArgs args;
  args.nx = true;
  return SetGeneric(ctx, argv, argv[1], argv[2], args);
}

ApplyResult SetExCommand(CommandContext& ctx, const Argv& argv) {
  ExtendedArgs args;
  args.unit = ExpireUnit::kEx;
  args.expire = &argv[2];
  return SetGeneric(ctx, argv, argv[1], argv[3], args);
}

ApplyResult PSetExCommand(CommandContext& ctx, const Argv& argv) {
  ExtendedArgs args;
  args.unit = ExpireUnit::kPx;
  args.expire = &argv[2];
  return SetGeneric(ctx, argv, argv[1], argv[3], args);
}

ApplyResult GetSetCommand(CommandContext& ctx, const Argv& argv) {
  if (ctx.WrongType<data::String>(argv[1])) return Failed(std::string(kWrongType));
  ctx.Store(argv[1], data::String(argv[2]));
  return Applied();
}

ApplyResult GetDelCommand(CommandContext& ctx, const Argv& argv) {
  if (ctx.WrongType<data::String>(argv[1])) return Failed(std::string(kWrongType));
  ctx.Erase(argv[1]);
  return Applied();
}

ApplyResult GetExCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const ExtendedArgs args, ParseExtendedArgs(argv, 2, ExtendedFor::kGetEx));
  std::optional<int64_t> expire_at;
  if (args.expire != nullptr) {
    KS_ASSIGN_OR_FAIL(expire_at, AbsoluteExpiry(ctx, argv[0], *args.expire, args.unit));
  }
  KS_ASSIGN_OR_FAIL(data::String * value, ctx.Get<data::String>(argv[1]));
  if (value == nullptr) return Applied();
  const bool absolute = args.unit == ExpireUnit::kExAt || args.unit == ExpireUnit::kPxAt;
  if (absolute && ctx.AlreadyExpired(*expire_at)) {
    ctx.Erase(argv[1]);
  } else if (expire_at) {
    ctx.Find(argv[1])->expire_at_ms = *expire_at;
  } else if (args.persist) {
    ctx.Find(argv[1])->expire_at_ms = data::Entry::kNoExpiry;
  }
  return Applied();
}

ApplyResult AppendCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::String * value, ctx.Get<data::String>(argv[1]));
  if (value == nullptr) {
    ctx.Store(argv[1], data::String(argv[2]));
    return Applied();
  }
  if (static_cast<int64_t>(value->size() + argv[2].size()) > kMaxStringLength) {
    return Failed(std::string(kStringTooLong));
  }
  value->append(argv[2]);
  return Applied();
}

ApplyResult IncrCommand(CommandContext& ctx, const Argv& argv) { return IncrDecr(ctx, argv[1], 1); }

ApplyResult DecrCommand(CommandContext& ctx, const Argv& argv) {
  return IncrDecr(ctx, argv[1], -1);
}

ApplyResult IncrByCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t increment, ParseInt64(argv[2]));
  return IncrDecr(ctx, argv[1], increment);
}

ApplyResult DecrByCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t decrement, ParseInt64(argv[2]));
  if (decrement == std::numeric_limits<int64_t>::min()) {
    return Failed("ERR decrement would overflow");
  }
  return IncrDecr(ctx, argv[1], -decrement);
}

ApplyResult IncrByFloatCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::String * current, ctx.Get<data::String>(argv[1]));
  long double value = 0;
  if (current != nullptr && !StringToLongDouble(*current, &value)) {
    return Failed(std::string(kNotFloat));
  }
  KS_ASSIGN_OR_FAIL(const long double increment, ParseLongDouble(argv[2]));
  value += increment;
  if (std::isnan(value) || std::isinf(value)) {
    return Failed("ERR increment would produce NaN or Infinity");
  }
  ctx.Store(argv[1], FormatLongDouble(value), /*keep_ttl=*/true);
  return Applied();
}

ApplyResult MSetCommand(CommandContext& ctx, const Argv& argv) {
  if (argv.size() % 2 == 0) {
    return Failed(fmt::format("ERR wrong number of arguments for '{}' command", ToLower(argv[0])));
  }
  for (size_t j = 1; j < argv.size(); j += 2) ctx.Store(argv[j], data::String(argv[j + 1]));
  return Applied();
}

ApplyResult MSetNxCommand(CommandContext& ctx, const Argv& argv) {
  if (argv.size() % 2 == 0) {
    return Failed(fmt::format("ERR wrong number of arguments for '{}' command", ToLower(argv[0])));
  }
  for (size_t j = 1; j < argv.size(); j += 2) {
    if (ctx.Find(argv[j]) != nullptr) return Applied();
  }
  for (size_t j = 1; j < argv.size(); j += 2) ctx.Store(argv[j], data::String(argv[j + 1]));
  return Applied();
}

ApplyResult SetRangeCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t offset, ParseInt64(argv[2]));
  if (offset < 0) return Failed("ERR offset is out of range");
  const std::string& patch = argv[3];
  KS_ASSIGN_OR_FAIL(data::String * value, ctx.Get<data::String>(argv[1]));
  if (patch.empty()) return Applied();  // nothing to write, nothing created
  if (offset > kMaxStringLength - static_cast<int64_t>(patch.size())) {
    return Failed(std::string(kStringTooLong));
  }
  if (value == nullptr) {
    ctx.Store(argv[1], data::String());
    value = &std::get<data::String>(ctx.Find(argv[1])->value);
  }
  const size_t end = static_cast<size_t>(offset) + patch.size();
  if (value->size() < end) value->resize(end, '\0');
  value->replace(static_cast<size_t>(offset), patch.size(), patch);
  return Applied();
}

// DELIFEQ key value (valkey 9): deletes a string key holding exactly value.
ApplyResult DelIfEqCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const data::String* value, ctx.Get<data::String>(argv[1]));
  if (value != nullptr && *value == argv[2]) ctx.Erase(argv[1]);
  return Applied();
}

}  // namespace conformance::keyspace
