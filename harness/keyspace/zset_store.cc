// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE (t_zset.c zunionInterDiffGenericCommand). Sources may
// be sets (every member scores 1). Like Redis, union and intersection visit the sources from the
// smallest to the largest, which fixes the order floating-point sums are taken in.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

enum class ZSetOp : uint8_t { kUnion, kInter, kDiff };
enum class Aggregate : uint8_t { kSum, kMin, kMax };

// One source: a zset, a set, or nothing (missing key).
struct Source {
  const data::ZSet* zset = nullptr;
  const data::Set* set = nullptr;
  double weight = 1.0;
  size_t size() const { return zset ? zset->size() : (set ? set->size() : 0); }
  const double* Score(const std::string& member, double* scratch) const {
    if (zset) return zset->Score(member);
    if (set && set->count(member) > 0) {
      *scratch = 1.0;
      return scratch;
    }
    return nullptr;
  }
  template <typename F>
  void ForEach(F&& f) const {
    if (zset) {
      for (const auto& [member, score] : zset->scores()) f(member, score);
    } else if (set) {
      for (const std::string& member : *set) f(member, 1.0);
    }
  }
};

void AggregateInto(double* target, double value, Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::kSum:
      *target += value;
      if (std::isnan(*target)) *target = 0.0;  // inf + -inf
      break;
    case Aggregate::kMin:
      *target = std::min(*target, value);
      break;
    case Aggregate::kMax:
      *target = std::max(*target, value);
      break;
  }
}

double Weighted(double score, double weight) {
  const double value = score * weight;
  return std::isnan(value) ? 0.0 : value;  // 0 * inf
}

ApplyResult StoreZSetOp(CommandContext& ctx, const Argv& argv, ZSetOp op) {
  const std::string command = ToLower(argv[0]);
  KS_ASSIGN_OR_FAIL(const int64_t numkeys, ParseInt64(argv[2]));
  if (numkeys < 1) {
    return Failed(fmt::format("ERR at least 1 input key is needed for '{}' command", command));
  }
  if (static_cast<uint64_t>(numkeys) > argv.size() - 3) return Failed(std::string(kSyntaxError));
  const auto count = static_cast<size_t>(numkeys);
  std::vector<Source> sources(count);
  for (size_t i = 0; i < count; ++i) {
    const data::Entry* entry = ctx.Find(argv[3 + i]);
    if (entry == nullptr) continue;
    if (const auto* zset = std::get_if<data::ZSet>(&entry->value)) {
      sources[i].zset = zset;
    } else if (const auto* set = std::get_if<data::Set>(&entry->value)) {
      sources[i].set = set;
    } else {
      return Failed(std::string(kWrongType));
    }
  }
  Aggregate aggregate = Aggregate::kSum;
  for (size_t j = 3 + count; j < argv.size(); ++j) {
    const size_t remaining = argv.size() - j - 1;
    if (op != ZSetOp::kDiff && EqualsIgnoreCase(argv[j], "WEIGHTS") && remaining >= count) {
      for (size_t i = 0; i < count; ++i) {
        KS_ASSIGN_OR_FAIL(sources[i].weight,
                          ParseDouble(argv[++j], "ERR weight value is not a float"));
      }
    } else if (op != ZSetOp::kDiff && EqualsIgnoreCase(argv[j], "AGGREGATE") && remaining >= 1) {
      const std::string& name = argv[++j];
      if (EqualsIgnoreCase(name, "SUM")) {
        aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(name, "MIN")) {
        aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(name, "MAX")) {
        aggregate = Aggregate::kMax;
      } else {
        return Failed(std::string(kSyntaxError));
      }
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }

  std::unordered_map<std::string, double> result;
  double scratch = 0;
  if (op == ZSetOp::kDiff) {
    sources[0].ForEach([&](const std::string& member, double score) {
      for (size_t i = 1; i < count; ++i) {
        if (sources[i].Score(member, &scratch) != nullptr) return;
      }
      result.emplace(member, score);
    });
  } else {
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
    if (op == ZSetOp::kInter) {
      if (sources[0].size() > 0) {
        sources[0].ForEach([&](const std::string& member, double score) {
          double value = Weighted(score, sources[0].weight);
          for (size_t i = 1; i < count; ++i) {
            const double* other = sources[i].Score(member, &scratch);
            if (other == nullptr) return;
            AggregateInto(&value, Weighted(*other, sources[i].weight), aggregate);
          }
          result.emplace(member, value);
        });
      }
    } else {
      for (const Source& source : sources) {
        source.ForEach([&](const std::string& member, double score) {
          const double value = Weighted(score, source.weight);
          auto [it, inserted] = result.try_emplace(member, value);
          if (!inserted) AggregateInto(&it->second, value, aggregate);
        });
      }
    }
  }
  if (result.empty()) {
    ctx.Erase(argv[1]);
    return Applied();
  }
  data::ZSet stored;
  for (const auto& [member, score] : result) stored.Insert(member, score);
  ctx.Store(argv[1], std::move(stored));
  return Applied();
}

}  // namespace

ApplyResult ZUnionStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreZSetOp(ctx, argv, ZSetOp::kUnion);
}

ApplyResult ZInterStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreZSetOp(ctx, argv, ZSetOp::kInter);
}

ApplyResult ZDiffStoreCommand(CommandContext& ctx, const Argv& argv) {
  return StoreZSetOp(ctx, argv, ZSetOp::kDiff);
}

}  // namespace conformance::keyspace
