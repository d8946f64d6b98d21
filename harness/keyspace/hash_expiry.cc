// Hash field expiration (Redis 7.4+, t_hash.c): HEXPIRE and friends, HPERSIST, and the
// Redis 8 HSETEX/HGETEX. Masters propagate HPEXPIREAT with absolute times, HDEL for fields whose
// new time is already past, and HSETEX with PXAT.
#include <fmt/format.h>

#include <limits>
#include <optional>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/hash_fields.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

Result<size_t> ParseFieldsClause(const Argv& argv, size_t fields_index,
                                 std::string_view numfields_error) {
  if (fields_index + 1 >= argv.size() || !EqualsIgnoreCase(argv[fields_index], "FIELDS")) {
    return Error{"ERR Mandatory argument FIELDS is missing or not at the right position"};
  }
  int64_t numfields = 0;
  if (!StringToInt64(argv[fields_index + 1], &numfields) || numfields < 1) {
    return Error{std::string(numfields_error)};
  }
  if (static_cast<uint64_t>(numfields) != argv.size() - fields_index - 2) {
    return Error{"ERR The `numfields` parameter must match the number of arguments"};
  }
  return fields_index + 2;
}

Result<int64_t> ParseFieldExpireTime(const std::string& text, bool seconds, int64_t basetime,
                                     std::string_view command) {
  int64_t value = 0;
  if (!StringToInt64(text, &value)) return Error{std::string(kNotInteger)};
  if (value < 0) return Error{"ERR invalid expire time, must be >= 0"};
  const std::string invalid =
      fmt::format("ERR invalid expire time in '{}' command", ToLower(command));
  if (seconds) {
    if (value > kMaxFieldExpireMs / 1000) return Error{invalid};
    value *= 1000;
  }
  if (value > kMaxFieldExpireMs - basetime) return Error{invalid};
  return value + basetime;
}

FieldExpiryResult SetFieldExpiry(CommandContext& ctx, data::Hash& hash, const std::string& field,
                                 int64_t when_ms, FieldCondition condition) {
  auto it = hash.find(field);
  if (it == hash.end()) return FieldExpiryResult::kNoField;
  const int64_t current = it->second.expire_at_ms;
  if (current == data::HashField::kNoExpiry) {
    if (condition == FieldCondition::kXx || condition == FieldCondition::kGt) {
      return FieldExpiryResult::kConditionNotMet;
    }
  } else if (condition == FieldCondition::kNx ||
             (condition == FieldCondition::kGt && current >= when_ms) ||
             (condition == FieldCondition::kLt && current <= when_ms)) {
    return FieldExpiryResult::kConditionNotMet;
  }
  if (ctx.AlreadyExpired(when_ms)) {
    hash.erase(it);
    return FieldExpiryResult::kDeleted;
  }
  it->second.expire_at_ms = when_ms;
  return FieldExpiryResult::kSet;
}

namespace {

// HEXPIRE key time [NX|XX|GT|LT] FIELDS numfields field [field ...] and its variants.
ApplyResult HExpireGeneric(CommandContext& ctx, const Argv& argv, bool relative, bool seconds) {
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  KS_ASSIGN_OR_FAIL(const int64_t when,
                    ParseFieldExpireTime(argv[2], seconds, relative ? ctx.Now() : 0, argv[0]));
  FieldCondition condition = FieldCondition::kNone;
  if (EqualsIgnoreCase(argv[3], "NX")) condition = FieldCondition::kNx;
  if (EqualsIgnoreCase(argv[3], "XX")) condition = FieldCondition::kXx;
  if (EqualsIgnoreCase(argv[3], "GT")) condition = FieldCondition::kGt;
  if (EqualsIgnoreCase(argv[3], "LT")) condition = FieldCondition::kLt;
  const size_t fields_index = condition == FieldCondition::kNone ? 3 : 4;
  KS_ASSIGN_OR_FAIL(
      const size_t first_field,
      ParseFieldsClause(argv, fields_index, "ERR Parameter `numFields` should be greater than 0"));
  if (hash == nullptr) return Applied();
  for (size_t j = first_field; j < argv.size(); ++j) {
    SetFieldExpiry(ctx, *hash, argv[j], when, condition);
  }
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

enum class FieldTtl : uint8_t { kDrop, kKeep, kSet, kPersist };

struct FieldOptions {
  bool fnx = false;
  bool fxx = false;
  FieldTtl ttl = FieldTtl::kDrop;
  int64_t expire_at = 0;
  size_t first_field = 0;
};

// The options of HSETEX (fields_per_item 2) and HGETEX (1):
// [FNX|FXX] [EX|PX|EXAT|PXAT|KEEPTTL|PERSIST] FIELDS numfields ...
Result<FieldOptions> ParseFieldOptions(CommandContext& ctx, const Argv& argv, bool is_set) {
  FieldOptions options;
  bool expiry_given = false;
  const std::string_view expiry_conflict =
      is_set ? "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"
             : "ERR Only one of EX, PX, EXAT, PXAT or PERSIST arguments can be specified";
  const std::string arity_error =
      fmt::format("ERR wrong number of arguments for '{}' command", ToLower(argv[0]));
  for (size_t i = 2; i < argv.size(); ++i) {
    const std::string& opt = argv[i];
    if (EqualsIgnoreCase(opt, "FIELDS")) {
      const size_t per_item = is_set ? 2 : 1;
      if (i + 1 + per_item >= argv.size()) return Error{arity_error};
      int64_t numfields = 0;
      if (!StringToInt64(argv[i + 1], &numfields) || numfields < 1 ||
          numfields > std::numeric_limits<int32_t>::max()) {
        return Error{"ERR invalid number of fields"};
      }
      const size_t remaining = argv.size() - i - 2;
      if (remaining % per_item != 0 || static_cast<size_t>(numfields) != remaining / per_item) {
        return Error{arity_error};
      }
      options.first_field = i + 2;
      return options;
    }
    const bool ex = EqualsIgnoreCase(opt, "EX");
    const bool px = EqualsIgnoreCase(opt, "PX");
    const bool exat = EqualsIgnoreCase(opt, "EXAT");
    const bool pxat = EqualsIgnoreCase(opt, "PXAT");
    if (ex || px || exat || pxat) {
      if (expiry_given) return Error{std::string(expiry_conflict)};
      if (i + 1 >= argv.size()) return Error{"ERR missing expire time"};
      expiry_given = true;
      const bool relative = ex || px;
      auto when = ParseFieldExpireTime(argv[++i], ex || exat, relative ? ctx.Now() : 0, argv[0]);
      if (!when.ok()) return when.error();
      options.ttl = FieldTtl::kSet;
      options.expire_at = *when;
    } else if ((is_set && EqualsIgnoreCase(opt, "KEEPTTL")) ||
               (!is_set && EqualsIgnoreCase(opt, "PERSIST"))) {
      if (expiry_given) return Error{std::string(expiry_conflict)};
      expiry_given = true;
      options.ttl = is_set ? FieldTtl::kKeep : FieldTtl::kPersist;
    } else if (is_set && (EqualsIgnoreCase(opt, "FNX") || EqualsIgnoreCase(opt, "FXX"))) {
      if (options.fnx || options.fxx) {
        return Error{"ERR Only one of FXX or FNX arguments can be specified"};
      }
      (EqualsIgnoreCase(opt, "FNX") ? options.fnx : options.fxx) = true;
    } else {
      return Error{fmt::format("ERR unknown argument: {}", opt)};
    }
  }
  return Error{std::string(kSyntaxError)};
}

}  // namespace

ApplyResult HExpireCommand(CommandContext& ctx, const Argv& argv) {
  return HExpireGeneric(ctx, argv, /*relative=*/true, /*seconds=*/true);
}

ApplyResult HPExpireCommand(CommandContext& ctx, const Argv& argv) {
  return HExpireGeneric(ctx, argv, /*relative=*/true, /*seconds=*/false);
}

ApplyResult HExpireAtCommand(CommandContext& ctx, const Argv& argv) {
  return HExpireGeneric(ctx, argv, /*relative=*/false, /*seconds=*/true);
}

ApplyResult HPExpireAtCommand(CommandContext& ctx, const Argv& argv) {
  return HExpireGeneric(ctx, argv, /*relative=*/false, /*seconds=*/false);
}

// HPERSIST key FIELDS numfields field [field ...]. A field whose TTL has already passed counts
// as missing, as in Redis (this check uses the clock whatever the role).
ApplyResult HPersistCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  KS_ASSIGN_OR_FAIL(const size_t first_field,
                    ParseFieldsClause(argv, 2, "ERR Number of fields must be a positive integer"));
  if (hash == nullptr) return Applied();
  for (size_t j = first_field; j < argv.size(); ++j) {
    auto it = hash->find(argv[j]);
    if (it == hash->end() || it->second.expire_at_ms == data::HashField::kNoExpiry) continue;
    if (it->second.expire_at_ms < ctx.Now()) continue;
    it->second.expire_at_ms = data::HashField::kNoExpiry;
  }
  return Applied();
}

// HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT|KEEPTTL] FIELDS numfields field value [...]
ApplyResult HSetExCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const FieldOptions options, ParseFieldOptions(ctx, argv, /*is_set=*/true));
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  if (hash == nullptr && options.fxx) return Applied();
  if (options.fnx || options.fxx) {
    size_t found = 0;
    for (size_t j = options.first_field; j < argv.size(); j += 2) {
      if (hash != nullptr && hash->count(argv[j]) > 0) ++found;
    }
    const size_t wanted = (argv.size() - options.first_field) / 2;
    if ((options.fnx && found != 0) || (options.fxx && found != wanted)) return Applied();
  }
  KS_ASSIGN_OR_FAIL(hash, ctx.GetOrCreate<data::Hash>(argv[1]));
  for (size_t j = options.first_field; j < argv.size(); j += 2) {
    data::HashField& field = (*hash)[argv[j]];
    field.value = argv[j + 1];
    if (options.ttl == FieldTtl::kDrop) field.expire_at_ms = data::HashField::kNoExpiry;
    if (options.ttl == FieldTtl::kSet) {
      SetFieldExpiry(ctx, *hash, argv[j], options.expire_at, FieldCondition::kNone);
    }
  }
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// HGETEX key [EX|PX|EXAT|PXAT|PERSIST] FIELDS numfields field [field ...]
ApplyResult HGetExCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const FieldOptions options, ParseFieldOptions(ctx, argv, /*is_set=*/false));
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  if (hash == nullptr) return Applied();
  for (size_t j = options.first_field; j < argv.size(); ++j) {
    auto it = hash->find(argv[j]);
    if (it == hash->end()) continue;
    if (options.ttl == FieldTtl::kPersist) {
      it->second.expire_at_ms = data::HashField::kNoExpiry;
    } else if (options.ttl == FieldTtl::kSet) {
      SetFieldExpiry(ctx, *hash, argv[j], options.expire_at, FieldCondition::kNone);
    }
  }
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

}  // namespace conformance::keyspace
