// Hash commands without field expiry options (t_hash.c). HINCRBYFLOAT is propagated as HSET
// (Redis 7) or HSETEX KEEPTTL (Redis 8); the client form is modelled too.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/hash_fields.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

// HSET key field value [field value ...] (also HMSET). Setting a field clears its TTL.
ApplyResult HSetCommand(CommandContext& ctx, const Argv& argv) {
  if (argv.size() % 2 == 1) {
    return Failed(fmt::format("ERR wrong number of arguments for '{}' command", ToLower(argv[0])));
  }
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.GetOrCreate<data::Hash>(argv[1]));
  for (size_t j = 2; j < argv.size(); j += 2) (*hash)[argv[j]] = data::HashField{argv[j + 1]};
  return Applied();
}

ApplyResult HSetNxCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.GetOrCreate<data::Hash>(argv[1]));
  hash->try_emplace(argv[2], data::HashField{argv[3]});
  return Applied();
}

ApplyResult HDelCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  if (hash == nullptr) return Applied();
  for (size_t j = 2; j < argv.size(); ++j) hash->erase(argv[j]);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// HINCRBY key field increment; the field keeps its TTL.
ApplyResult HIncrByCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t increment, ParseInt64(argv[3]));
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  int64_t value = 0;
  if (hash != nullptr) {
    auto it = hash->find(argv[2]);
    if (it != hash->end() && !StringToInt64(it->second.value, &value)) {
      return Failed("ERR hash value is not an integer");
    }
  }
  if ((increment < 0 && value < 0 && increment < std::numeric_limits<int64_t>::min() - value) ||
      (increment > 0 && value > 0 && increment > std::numeric_limits<int64_t>::max() - value)) {
    return Failed("ERR increment or decrement would overflow");
  }
  KS_ASSIGN_OR_FAIL(hash, ctx.GetOrCreate<data::Hash>(argv[1]));
  (*hash)[argv[2]].value = std::to_string(value + increment);
  return Applied();
}

// HINCRBYFLOAT key field increment; the field keeps its TTL.
ApplyResult HIncrByFloatCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const long double increment, ParseLongDouble(argv[3]));
  if (std::isnan(increment) || std::isinf(increment)) {
    return Failed("ERR value is NaN or Infinity");
  }
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  long double value = 0;
  if (hash != nullptr) {
    auto it = hash->find(argv[2]);
    if (it != hash->end() && !StringToLongDouble(it->second.value, &value)) {
      return Failed("ERR hash value is not a float");
    }
  }
  value += increment;
  if (std::isnan(value) || std::isinf(value)) {
    return Failed("ERR increment would produce NaN or Infinity");
  }
  KS_ASSIGN_OR_FAIL(hash, ctx.GetOrCreate<data::Hash>(argv[1]));
  (*hash)[argv[2]].value = FormatLongDouble(value);
  return Applied();
}

// HGETDEL key FIELDS numfields field [field ...] (Redis 8)
ApplyResult HGetDelCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const size_t first_field,
                    ParseFieldsClause(argv, 2, "ERR Number of fields must be a positive integer"));
  KS_ASSIGN_OR_FAIL(data::Hash * hash, ctx.Get<data::Hash>(argv[1]));
  if (hash == nullptr) return Applied();
  for (size_t j = first_field; j < argv.size(); ++j) hash->erase(argv[j]);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

}  // namespace conformance::keyspace
