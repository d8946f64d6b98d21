// Set commands (t_set.c). Masters propagate SPOP as SREM (or DEL/UNLINK when it takes every
// member): the model applies SPOP itself only when no random choice is involved.
#include <algorithm>
#include <limits>
#include <vector>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

enum class SetOp : uint8_t { kInter, kUnion, kDiff };

// SINTERSTORE/SUNIONSTORE/SDIFFSTORE destination key [key ...]. Every source's type is checked
// first; a missing source is an empty set. An empty result deletes the destination.
ApplyResult StoreSetOp(CommandContext& ctx, const Argv& argv, SetOp op) {
  std::vector<const data::Set*> sources;
  for (size_t j = 2; j < argv.size(); ++j) {
    KS_ASSIGN_OR_FAIL(const data::Set* set, ctx.Get<data::Set>(argv[j]));
    sources.push_back(set);
  }
  data::Set result;
  switch (op) {
    case SetOp::kInter: {
      if (std::find(sources.begin(), sources.end(), nullptr) != sources.end()) break;
      auto smallest = std::min_element(sources.begin(), sources.end(),
                                       [](auto* a, auto* b) { return a->size() < b->size(); });
      for (const std::string& member : **smallest) {
        bool everywhere = std::all_of(sources.begin(), sources.end(),
                                      [&](const data::Set* s) { return s->count(member) > 0; });
        if (everywhere) result.insert(member);
      }
      break;
    }
    case SetOp::kUnion:
      for (const data::Set* set : sources) {
        if (set != nullptr) result.insert(set->begin(), set->end());
      }
      break;
    case SetOp::kDiff:
      if (sources[0] == nullptr) break;
      for (const std::string& member : *sources[0]) {
        bool elsewhere = std::any_of(sources.begin() + 1, sources.end(), [&](const data::Set* s) {
          return s != nullptr && s->count(member) > 0;
        });
        if (!elsewhere) result.insert(member);
      }
      break;
  }
  if (result.empty()) {
    ctx.Erase(argv[1]);
  } else {
    ctx.Store(argv[1], std::move(result));
  }
  return Applied();
}

}  // namespace

ApplyResult SAddCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Set * set, ctx.GetOrCreate<data::Set>(argv[1]));
  set->insert(argv.begin() + 2, argv.end());
  return Applied();
}

ApplyResult SRemCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Set * set, ctx.Get<data::Set>(argv[1]));
  if (set == nullptr) return Applied();
  for (size_t j = 2; j < argv.size(); ++j) set->erase(argv[j]);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// SMOVE source destination member
ApplyResult SMoveCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Set * source, ctx.Get<data::Set>(argv[1]));
  if (source == nullptr) return Applied();
  if (ctx.WrongType<data::Set>(argv[2])) return Failed(std::string(kWrongType));
  if (argv[1] == argv[2]) return Applied();
  if (source->erase(argv[3]) == 0) return Applied();
  KS_ASSIGN_OR_FAIL(data::Set * destination, ctx.GetOrCreate<data::Set>(argv[2]));
  destination->insert(argv[3]);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// SPOP key [count]
ApplyResult SPopCommand(CommandContext& ctx, const Argv& argv) {
  if (argv.size() > 3) return Failed(std::string(kSyntaxError));
  int64_t count = 1;
  if (argv.size() == 3) {
    KS_ASSIGN_OR_FAIL(count, ParseInt64InRange(argv[2], 0, std::numeric_limits<int64_t>::max(),
                                               "ERR value is out of range, must be positive"));
  }
  KS_ASSIGN_OR_FAIL(data::Set * set, ctx.Get<data::Set>(argv[1]));
  if (set == nullptr || count == 0) return Applied();
  if (static_cast<uint64_t>(count) < set->size()) {
    return Unmodelled(
        "SPOP: picks members at random (a master propagates the members it took as SREM)");
  }
  ctx.Erase(argv[1]);
  return Applied();
}

ApplyResult SInterStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreSetOp(ctx, argv, SetOp::kInter);
}

ApplyResult SUnionStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreSetOp(ctx, argv, SetOp::kUnion);
}

ApplyResult SDiffStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreSetOp(ctx, argv, SetOp::kDiff);
}

}  // namespace conformance::keyspace
