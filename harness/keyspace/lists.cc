// List commands (t_list.c). A master propagates blocking pops as their non-blocking forms and
// LMPOP as LPOP/RPOP with a count; the client forms are modelled too. A command from the
// master never blocks, so a blocking form that finds nothing does nothing.
#include <algorithm>
#include <limits>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"

namespace conformance::keyspace {

namespace {

constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();

// LEFT/RIGHT, case-insensitive: true for LEFT.
Result<bool> ParseLeft(const std::string& text) {
  if (EqualsIgnoreCase(text, "LEFT")) return true;
  if (EqualsIgnoreCase(text, "RIGHT")) return false;
  return Error{std::string(kSyntaxError)};
}

void Pop(data::List& list, bool left, int64_t count) {
  const auto n = static_cast<size_t>(std::min<int64_t>(count, static_cast<int64_t>(list.size())));
  if (left) {
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n));
  } else {
    list.erase(list.end() - static_cast<std::ptrdiff_t>(n), list.end());
  }
}

ApplyResult Push(CommandContext& ctx, const Argv& argv, bool left, bool only_if_exists) {
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) {
    if (only_if_exists) return Applied();
    KS_ASSIGN_OR_FAIL(list, ctx.GetOrCreate<data::List>(argv[1]));
  }
  for (size_t j = 2; j < argv.size(); ++j) {
    if (left) {
      list->push_front(argv[j]);
    } else {
      list->push_back(argv[j]);
    }
  }
  return Applied();
}

// LPOP/RPOP key [count]
ApplyResult PopCommand(CommandContext& ctx, const Argv& argv, bool left) {
  if (argv.size() > 3) {
    return Failed("ERR wrong number of arguments for '" + ToLower(argv[0]) + "' command");
  }
  int64_t count = 1;
  if (argv.size() == 3) {
    KS_ASSIGN_OR_FAIL(count, ParseInt64InRange(argv[2], 0, kLongMax, kNotPositive));
  }
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) return Applied();
  Pop(*list, left, count);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// BLPOP/BRPOP key [key ...] timeout: pops one element from the first non-empty list.
ApplyResult BlockingPop(CommandContext& ctx, const Argv& argv, bool left) {
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv.back()));
  static_cast<void>(timeout);
  for (size_t j = 1; j + 1 < argv.size(); ++j) {
    KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[j]));
    if (list == nullptr || list->empty()) continue;
    Pop(*list, left, 1);
    ctx.EraseIfEmpty(argv[j]);
    return Applied();
  }
  return Applied();
}

// lmoveGenericCommand: the source's type is checked first, the destination's only when the
// source holds something.
ApplyResult Move(CommandContext& ctx, const std::string& source_key,
                 const std::string& destination_key, bool from_left, bool to_left) {
  KS_ASSIGN_OR_FAIL(data::List * source, ctx.Get<data::List>(source_key));
  if (source == nullptr || source->empty()) return Applied();
  if (ctx.WrongType<data::List>(destination_key)) return Failed(std::string(kWrongType));
  std::string element = from_left ? std::move(source->front()) : std::move(source->back());
  Pop(*source, from_left, 1);
  KS_ASSIGN_OR_FAIL(data::List * destination, ctx.GetOrCreate<data::List>(destination_key));
  if (to_left) {
    destination->push_front(std::move(element));
  } else {
    destination->push_back(std::move(element));
  }
  ctx.EraseIfEmpty(source_key);
  return Applied();
}

// LMPOP/BLMPOP from numkeys_index: numkeys key [key ...] LEFT|RIGHT [COUNT count]
ApplyResult MultiPop(CommandContext& ctx, const Argv& argv, size_t numkeys_index) {
  KS_ASSIGN_OR_FAIL(
      const int64_t numkeys,
      ParseInt64InRange(argv[numkeys_index], 1, kLongMax, "ERR numkeys should be greater than 0"));
  const size_t available = argv.size() - numkeys_index - 1;
  if (static_cast<uint64_t>(numkeys) >= available) return Failed(std::string(kSyntaxError));
  const size_t where_index = numkeys_index + static_cast<size_t>(numkeys) + 1;
  KS_ASSIGN_OR_FAIL(const bool left, ParseLeft(argv[where_index]));
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
  for (size_t j = numkeys_index + 1; j < where_index; ++j) {
    KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[j]));
    if (list == nullptr || list->empty()) continue;
    Pop(*list, left, count);
    ctx.EraseIfEmpty(argv[j]);
    return Applied();
  }
  return Applied();
}

}  // namespace

ApplyResult LPushCommand(CommandContext& ctx, const Argv& argv) {
  return Push(ctx, argv, /*left=*/true, /*only_if_exists=*/false);
}

ApplyResult RPushCommand(CommandContext& ctx, const Argv& argv) {
  return Push(ctx, argv, /*left=*/false, /*only_if_exists=*/false);
}

ApplyResult LPushXCommand(CommandContext& ctx, const Argv& argv) {
  return Push(ctx, argv, /*left=*/true, /*only_if_exists=*/true);
}

ApplyResult RPushXCommand(CommandContext& ctx, const Argv& argv) {
  return Push(ctx, argv, /*left=*/false, /*only_if_exists=*/true);
}

ApplyResult LPopCommand(CommandContext& ctx, const Argv& argv) {
  return PopCommand(ctx, argv, true);
}

ApplyResult RPopCommand(CommandContext& ctx, const Argv& argv) {
  return PopCommand(ctx, argv, false);
}

ApplyResult BLPopCommand(CommandContext& ctx, const Argv& argv) {
  return BlockingPop(ctx, argv, true);
}

ApplyResult BRPopCommand(CommandContext& ctx, const Argv& argv) {
  return BlockingPop(ctx, argv, false);
}

// LINSERT key BEFORE|AFTER pivot element
ApplyResult LInsertCommand(CommandContext& ctx, const Argv& argv) {
  bool after = false;
  if (EqualsIgnoreCase(argv[2], "AFTER")) {
    after = true;
  } else if (!EqualsIgnoreCase(argv[2], "BEFORE")) {
    return Failed(std::string(kSyntaxError));
  }
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) return Applied();
  auto pivot = std::find(list->begin(), list->end(), argv[3]);
  if (pivot == list->end()) return Applied();
  list->insert(after ? pivot + 1 : pivot, argv[4]);
  return Applied();
}

// LSET key index element
ApplyResult LSetCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t index, ParseInt64(argv[2]));
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) return Failed(std::string(kNoSuchKey));
  const auto size = static_cast<int64_t>(list->size());
  const int64_t position = index < 0 ? size + index : index;
  if (position < 0 || position >= size) return Failed("ERR index out of range");
  (*list)[static_cast<size_t>(position)] = argv[3];
  return Applied();
}

// LREM key count element: count > 0 from the head, < 0 from the tail, 0 all.
ApplyResult LRemCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t count, ParseInt64(argv[2]));
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) return Applied();
  const std::string& element = argv[3];
  // Saturate: -INT64_MIN does not fit, and no list is that long anyway.
  const uint64_t limit = count == 0  ? std::numeric_limits<uint64_t>::max()
                         : count > 0 ? static_cast<uint64_t>(count)
                                     : static_cast<uint64_t>(-(count + 1)) + 1;
  uint64_t removed = 0;
  data::List kept;
  if (count >= 0) {
    for (std::string& item : *list) {
      if (removed < limit && item == element) {
        ++removed;
      } else {
        kept.push_back(std::move(item));
      }
    }
  } else {
    for (auto it = list->rbegin(); it != list->rend(); ++it) {
      if (removed < limit && *it == element) {
        ++removed;
      } else {
        kept.push_front(std::move(*it));
      }
    }
  }
  *list = std::move(kept);
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// LTRIM key start stop
ApplyResult LTrimCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(int64_t start, ParseInt64(argv[2]));
  KS_ASSIGN_OR_FAIL(int64_t end, ParseInt64(argv[3]));
  KS_ASSIGN_OR_FAIL(data::List * list, ctx.Get<data::List>(argv[1]));
  if (list == nullptr) return Applied();
  const auto size = static_cast<int64_t>(list->size());
  if (start < 0) start = size + start;
  if (end < 0) end = size + end;
  if (start < 0) start = 0;
  if (start > end || start >= size) {
    list->clear();
  } else {
    if (end >= size) end = size - 1;
    list->erase(list->begin() + end + 1, list->end());
    list->erase(list->begin(), list->begin() + start);
  }
  ctx.EraseIfEmpty(argv[1]);
  return Applied();
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
ApplyResult LMoveCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const bool from_left, ParseLeft(argv[3]));
  KS_ASSIGN_OR_FAIL(const bool to_left, ParseLeft(argv[4]));
  return Move(ctx, argv[1], argv[2], from_left, to_left);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
ApplyResult BLMoveCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const bool from_left, ParseLeft(argv[3]));
  KS_ASSIGN_OR_FAIL(const bool to_left, ParseLeft(argv[4]));
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv[5]));
  static_cast<void>(timeout);
  return Move(ctx, argv[1], argv[2], from_left, to_left);
}

ApplyResult RPopLPushCommand(CommandContext& ctx, const Argv& argv) {
  return Move(ctx, argv[1], argv[2], /*from_left=*/false, /*to_left=*/true);
}

// BRPOPLPUSH source destination timeout
ApplyResult BRPopLPushCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv[3]));
  static_cast<void>(timeout);
  return Move(ctx, argv[1], argv[2], /*from_left=*/false, /*to_left=*/true);
}

ApplyResult LMPopCommand(CommandContext& ctx, const Argv& argv) { return MultiPop(ctx, argv, 1); }

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
ApplyResult BLMPopCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const int64_t timeout, ParseTimeoutSeconds(argv[1]));
  static_cast<void>(timeout);
  return MultiPop(ctx, argv, 2);
}

}  // namespace conformance::keyspace
