// Sorted set commands (t_zset.c) other than the multi-key stores (zset_store.cc). Masters
// propagate ZMPOP/BZPOP* as ZPOPMIN/ZPOPMAX with a count; the client forms are modelled too.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();
using Element = std::pair<double, std::string>;  // a ZSet::ordered() entry

// zslParseRange: "(1.5" is exclusive; strtod up to the first NUL; "" parses as 0 like Redis.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  bool GteMin(double v) const { return min_exclusive ? v > min : v >= min; }
  bool LteMax(double v) const { return max_exclusive ? v < max : v <= max; }
};

bool ParseScoreBound(const std::string& text, double* value, bool* exclusive) {
  const std::string buffer = text;  // NUL-terminated, as sds
  const char* start = buffer.c_str();
  *exclusive = !buffer.empty() && buffer[0] == '(';
  if (*exclusive) ++start;
  char* end = nullptr;
  *value = std::strtod(start, &end);
  return *end == '\0' && !std::isnan(*value);
}

Result<ScoreRange> ParseScoreRange(const std::string& min, const std::string& max) {
  ScoreRange range;
  if (!ParseScoreBound(min, &range.min, &range.min_exclusive) ||
      !ParseScoreBound(max, &range.max, &range.max_exclusive)) {
    return Error{"ERR min or max is not a float"};
  }
  return range;
}

// zslParseLexRange: "-" and "+" are the extremes, "[x" inclusive, "(x" exclusive.
struct LexBound {
  enum class Kind : uint8_t { kMinusInf, kPlusInf, kValue } kind = Kind::kValue;
  std::string value;
  bool exclusive = false;
};

struct LexRange {
  LexBound min;
  LexBound max;
  // -1, 0, 1 comparing a member with a bound.
  static int Compare(const std::string& member, const LexBound& bound) {
    if (bound.kind == LexBound::Kind::kMinusInf) return 1;
    if (bound.kind == LexBound::Kind::kPlusInf) return -1;
    const int c = member.compare(bound.value);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  bool GteMin(const std::string& m) const {
    const int c = Compare(m, min);
    return min.exclusive ? c > 0 : c >= 0;
  }
  bool LteMax(const std::string& m) const {
    const int c = Compare(m, max);
    return max.exclusive ? c < 0 : c <= 0;
  }
};

bool ParseLexBound(const std::string& text, LexBound* bound) {
  if (text.empty()) return false;
  switch (text[0]) {
    case '+':
      if (text.size() != 1) return false;
      bound->kind = LexBound::Kind::kPlusInf;
      bound->exclusive = true;
      return true;
    case '-':
      if (text.size() != 1) return false;
      bound->kind = LexBound::Kind::kMinusInf;
      bound->exclusive = true;
      return true;
    case '(':
    case '[':
      bound->exclusive = text[0] == '(';
      bound->value = text.substr(1);
      return true;
    default:
      return false;
  }
}

Result<LexRange> ParseLexRange(const std::string& min, const std::string& max) {
  LexRange range;
  if (!ParseLexBound(min, &range.min) || !ParseLexBound(max, &range.max)) {
    return Error{"ERR min or max not valid string range item"};
  }
  return range;
}

// Lexicographic ranges are only defined when every score is equal; otherwise Redis' answer
// depends on the levels of its skiplist nodes, which are random.
bool SingleScore(const data::ZSet& zset) {
  return zset.empty() || zset.ordered().begin()->first == zset.ordered().rbegin()->first;
}

constexpr std::string_view kLexMixedScores =
    "{}: lexicographic range over members with different scores (Redis' answer depends on its "
    "random skiplist levels)";

// Rank range normalisation shared by ZREMRANGEBYRANK and ZRANGESTORE: returns false when empty.
bool NormalizeRanks(int64_t size, int64_t* start, int64_t* end) {
  if (*start < 0) *start = size + *start;
  if (*end < 0) *end = size + *end;
  if (*start < 0) *start = 0;
  if (*start > *end || *start >= size) return false;
  if (*end >= size) *end = size - 1;
  return true;
}

void EraseAll(data::ZSet& zset, const std::vector<Element>& elements) {
  for (const Element& e : elements) zset.Erase(e.second);
}

// ZADD/ZINCRBY (zaddGenericCommand). zincrby: argv is ZINCRBY key increment member.
ApplyResult ZAddGeneric(CommandContext& ctx, const Argv& argv, bool zincrby) {
  bool nx = false, xx = false, gt = false, lt = false, incr = zincrby;
  size_t score_index = 2;
  if (!zincrby) {
    for (; score_index < argv.size(); ++score_index) {
      const std::string& opt = argv[score_index];
      if (EqualsIgnoreCase(opt, "NX")) {
        nx = true;
      } else if (EqualsIgnoreCase(opt, "XX")) {
        xx = true;
      } else if (EqualsIgnoreCase(opt, "GT")) {
        gt = true;
      } else if (EqualsIgnoreCase(opt, "LT")) {
        lt = true;
      } else if (EqualsIgnoreCase(opt, "CH")) {
        // Changes only the reply.
      } else if (EqualsIgnoreCase(opt, "INCR")) {
        incr = true;
      } else {
        break;
      }
    }
  }
  const size_t remaining = argv.size() - score_index;
  if (remaining == 0 || remaining % 2 != 0) return Failed(std::string(kSyntaxError));
  if (nx && xx) return Failed("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return Failed("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && remaining > 2)
    return Failed("ERR INCR option supports a single increment-element pair");
  std::vector<double> scores;
  for (size_t j = score_index; j < argv.size(); j += 2) {
    KS_ASSIGN_OR_FAIL(const double score, ParseDouble(argv[j]));
    scores.push_back(score);
  }
  KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[1]));
  if (zset == nullptr && xx) return Applied();
  if (incr && zset != nullptr) {
    if (const double* current = zset->Score(argv[score_index + 1]); current != nullptr && !nx) {
      if (std::isnan(*current + scores[0])) {
        return Failed("ERR resulting score is not a number (NaN)");
      }
    }
  }
  KS_ASSIGN_OR_FAIL(zset, ctx.GetOrCreate<data::ZSet>(argv[1]));
  for (size_t i = 0; i < scores.size(); ++i) {
    const std::string& member = argv[score_index + 2 * i + 1];
    double score = scores[i];
    const double* current = zset->Score(member);
    if (current == nullptr) {
      if (!xx) zset->Insert(member, score);
      continue;
    }
    if (nx) continue;
    if (incr) score += *current;
    if ((lt && score >= *current) || (gt && score <= *current)) continue;
    zset->Insert(member, score);  // a no-op when the score is equal
  }
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// The elements to pop: the count lowest (or highest) of zset.
std::vector<Element> Lowest(const data::ZSet& zset, bool max, int64_t count) {
  std::vector<Element> taken;
  const auto n = static_cast<size_t>(std::min<int64_t>(count, static_cast<int64_t>(zset.size())));
  taken.reserve(n);
  if (max) {
    for (auto it = zset.ordered().rbegin(); taken.size() < n; ++it) taken.push_back(*it);
  } else {
    for (auto it = zset.ordered().begin(); taken.size() < n; ++it) taken.push_back(*it);
  }
  return taken;
}

// Pops from the first existing key among argv[first..last) (ZPOPMIN/ZPOPMAX/ZMPOP/BZ*); its type
// must be zset. Blocking forms skip missing keys the same way, since zsets are never empty.
ApplyResult PopFirst(CommandContext& ctx, const Argv& argv, size_t first, size_t last, bool max,
                     int64_t count) {
  for (size_t j = first; j < last; ++j) {
    KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[j]));
    if (zset == nullptr) continue;
    EraseAll(*zset, Lowest(*zset, max, count));
    ctx.EraseIfEmpty(argv[j]);
    return Applied();
  }
  return Applied();
}

// ZPOPMIN/ZPOPMAX key [count]
ApplyResult ZPopGeneric(CommandContext& ctx, const Argv& argv, bool max) {
  if (argv.size() > 3) return Failed(std::string(kSyntaxError));
  int64_t count = 1;
  if (argv.size() == 3) {
    KS_ASSIGN_OR_FAIL(count, ParseInt64InRange(argv[2], 0, kLongMax,
                                               "ERR value is out of range, must be positive"));
    if (count == 0) return Applied();
  }
  return PopFirst(ctx, argv, 1, 2, max, count);
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
ApplyResult BZPopGeneric(CommandContext& ctx, const Argv& argv, bool max) {
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv.back()));
  static_cast<void>(timeout);
  return PopFirst(ctx, argv, 1, argv.size() - 1, max, 1);
}

// ZMPOP/BZMPOP from numkeys_index: numkeys key [key ...] MIN|MAX [COUNT count]
ApplyResult ZMPopGeneric(CommandContext& ctx, const Argv& argv, size_t numkeys_index) {
  KS_ASSIGN_OR_FAIL(
      const int64_t numkeys,
      ParseInt64InRange(argv[numkeys_index], 1, kLongMax, "ERR numkeys should be greater than 0"));
  if (static_cast<uint64_t>(numkeys) >= argv.size() - numkeys_index - 1) {
    return Failed(std::string(kSyntaxError));
  }
  const size_t where_index = numkeys_index + static_cast<size_t>(numkeys) + 1;
  bool max = false;
  if (EqualsIgnoreCase(argv[where_index], "MAX")) {
    max = true;
  } else if (!EqualsIgnoreCase(argv[where_index], "MIN")) {
    return Failed(std::string(kSyntaxError));
  }
  int64_t count = 1;
  bool count_given = false;
  for (size_t j = where_index + 1; j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "COUNT") && j + 1 < argv.size() && !count_given) {
      KS_ASSIGN_OR_FAIL(
          count, ParseInt64InRange(argv[++j], 1, kLongMax, "ERR count should be greater than 0"));
      count_given = true;
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  return PopFirst(ctx, argv, numkeys_index + 1, where_index, max, count);
}

}  // namespace

ApplyResult ZAddCommand(CommandContext& ctx, const Argv& argv) {
  return ZAddGeneric(ctx, argv, /*zincrby=*/false);
}

ApplyResult ZIncrByCommand(CommandContext& ctx, const Argv& argv) {
  return ZAddGeneric(ctx, argv, /*zincrby=*/true);
}

ApplyResult ZRemCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[1]));
  if (zset == nullptr) return Applied();
  for (size_t j = 2; j < argv.size(); ++j) zset->Erase(argv[j]);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

ApplyResult ZRemRangeByScoreCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const ScoreRange range, ParseScoreRange(argv[2], argv[3]));
  KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[1]));
  if (zset == nullptr) return Applied();
  std::vector<Element> doomed;
  for (const Element& e : zset->ordered()) {
    if (range.GteMin(e.first) && range.LteMax(e.first)) doomed.push_back(e);
  }
  EraseAll(*zset, doomed);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

ApplyResult ZRemRangeByRankCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(int64_t start, ParseInt64(argv[2]));
  KS_ASSIGN_OR_FAIL(int64_t end, ParseInt64(argv[3]));
  KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[1]));
  if (zset == nullptr) return Applied();
  if (!NormalizeRanks(static_cast<int64_t>(zset->size()), &start, &end)) return Applied();
  std::vector<Element> doomed;
  int64_t rank = 0;
  for (const Element& e : zset->ordered()) {
    if (rank > end) break;
    if (rank++ >= start) doomed.push_back(e);
  }
  EraseAll(*zset, doomed);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

ApplyResult ZRemRangeByLexCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const LexRange range, ParseLexRange(argv[2], argv[3]));
  KS_ASSIGN_OR_FAIL(data::ZSet * zset, ctx.Get<data::ZSet>(argv[1]));
  if (zset == nullptr) return Applied();
  if (!SingleScore(*zset)) return Unmodelled(fmt::format(kLexMixedScores, "ZREMRANGEBYLEX"));
  std::vector<Element> doomed;
  for (const Element& e : zset->ordered()) {
    if (range.GteMin(e.second) && range.LteMax(e.second)) doomed.push_back(e);
  }
  EraseAll(*zset, doomed);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

ApplyResult ZPopMinCommand(CommandContext& ctx, const Argv& argv) {
  return ZPopGeneric(ctx, argv, /*max=*/false);
}

ApplyResult ZPopMaxCommand(CommandContext& ctx, const Argv& argv) {
  return ZPopGeneric(ctx, argv, /*max=*/true);
}

ApplyResult BZPopMinCommand(CommandContext& ctx, const Argv& argv) {
  return BZPopGeneric(ctx, argv, /*max=*/false);
}

ApplyResult BZPopMaxCommand(CommandContext& ctx, const Argv& argv) {
  return BZPopGeneric(ctx, argv, /*max=*/true);
}

ApplyResult ZMPopCommand(CommandContext& ctx, const Argv& argv) {
  return ZMPopGeneric(ctx, argv, 1);
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
ApplyResult BZMPopCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv[1]));
  static_cast<void>(timeout);
  return ZMPopGeneric(ctx, argv, 2);
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
ApplyResult ZRangeStoreCommand(CommandContext& ctx, const Argv& argv) {
  enum class By : uint8_t { kRank, kScore, kLex } by = By::kRank;
  bool by_given = false;
  bool rev = false;
  int64_t offset = 0;
  int64_t limit = -1;
  bool limit_given = false;
  for (size_t j = 5; j < argv.size(); ++j) {
    const size_t left = argv.size() - j - 1;
    if (EqualsIgnoreCase(argv[j], "LIMIT") && left >= 2) {
      KS_ASSIGN_OR_FAIL(offset, ParseInt64(argv[j + 1]));
      KS_ASSIGN_OR_FAIL(limit, ParseInt64(argv[j + 2]));
      limit_given = true;
      j += 2;
    } else if (!rev && EqualsIgnoreCase(argv[j], "REV")) {
      rev = true;
    } else if (!by_given && EqualsIgnoreCase(argv[j], "BYLEX")) {
      by = By::kLex;
      by_given = true;
    } else if (!by_given && EqualsIgnoreCase(argv[j], "BYSCORE")) {
      by = By::kScore;
      by_given = true;
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  if (limit_given && by == By::kRank) {
    return Failed(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  // With REV, score and lex ranges are written max first.
  const std::string& low = (rev && by != By::kRank) ? argv[4] : argv[3];
  const std::string& high = (rev && by != By::kRank) ? argv[3] : argv[4];
  int64_t start = 0, end = 0;
  ScoreRange scores;
  LexRange lex;
  if (by == By::kRank) {
    KS_ASSIGN_OR_FAIL(start, ParseInt64(argv[3]));
    KS_ASSIGN_OR_FAIL(end, ParseInt64(argv[4]));
  } else if (by == By::kScore) {
    KS_ASSIGN_OR_FAIL(scores, ParseScoreRange(low, high));
  } else {
    KS_ASSIGN_OR_FAIL(lex, ParseLexRange(low, high));
  }
  KS_ASSIGN_OR_FAIL(const data::ZSet* source, ctx.Get<data::ZSet>(argv[2]));
  data::ZSet result;
  if (source != nullptr) {
    std::vector<Element> in_order(source->ordered().begin(), source->ordered().end());
    if (rev) std::reverse(in_order.begin(), in_order.end());
    if (by == By::kRank) {
      if (NormalizeRanks(static_cast<int64_t>(in_order.size()), &start, &end)) {
        for (int64_t r = start; r <= end; ++r) {
          const Element& e = in_order[static_cast<size_t>(r)];
          result.Insert(e.second, e.first);
        }
      }
    } else {
      if (by == By::kLex && !SingleScore(*source)) {
        return Unmodelled(fmt::format(kLexMixedScores, "ZRANGESTORE"));
      }
      int64_t skip = offset;
      int64_t left = limit;
      if (offset >= 0) {
        for (const Element& e : in_order) {
          const bool inside = by == By::kScore ? scores.GteMin(e.first) && scores.LteMax(e.first)
                                               : lex.GteMin(e.second) && lex.LteMax(e.second);
          if (!inside) continue;
          if (skip > 0) {
            --skip;
            continue;
          }
          if (left == 0) break;
          result.Insert(e.second, e.first);
          if (left > 0) --left;
        }
      }
    }
  }
  if (result.empty()) {
    ctx.Erase(argv[1]);
  } else {
    ctx.Store(argv[1], std::move(result));
  }
  return Applied();
}

}  // namespace conformance::keyspace
