// Stream entry commands (t_stream.c): XADD, XTRIM, XDEL, XSETID. Masters propagate XADD with
// the generated id and approximate trimming ("~") rewritten as exact ("="), so the model trims
// exactly; a "~" that would trim is kUnmodelled, because Redis then removes whole radix-tree
// nodes whose boundaries depend on stream-node-max-entries/bytes.
#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <optional>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"
#include "harness/keyspace/stream_util.h"

namespace conformance::keyspace {

namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

// string2ull: a decimal uint64 (the text stops at a NUL, as a C string does).
bool StringToUint64(const std::string& text, uint64_t* value) {
  int64_t signed_value = 0;
  if (StringToInt64(text, &signed_value)) {
    if (signed_value < 0) return false;
    *value = static_cast<uint64_t>(signed_value);
    return true;
  }
  errno = 0;
  char* end = nullptr;
  *value = std::strtoull(text.c_str(), &end, 10);
  return errno != EINVAL && errno != ERANGE && text.c_str()[0] != '\0' && *end == '\0';
}

enum class Trim : uint8_t { kNone, kMaxLen, kMinId };

struct TrimArgs {
  Trim strategy = Trim::kNone;
  bool approx = false;
  int64_t maxlen = 0;
  data::StreamId minid;
  // XADD only.
  bool nomkstream = false;
  bool id_given = false;
  ParsedStreamId id;
  size_t id_index = 0;
};

// streamParseAddOrTrimArgsOrReply. A replica obeys its master: LIMIT is then ignored.
Result<TrimArgs> ParseTrimArgs(CommandContext& ctx, const Argv& argv, bool xadd) {
  TrimArgs args;
  int64_t limit = 0;
  bool limit_given = false;
  size_t i = 2;
  const std::string_view both =
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
  for (; i < argv.size(); ++i) {
    const size_t more = argv.size() - 1 - i;
    const std::string& opt = argv[i];
    const bool maxlen = EqualsIgnoreCase(opt, "MAXLEN");
    if (xadd && opt == "*") break;
    if ((maxlen || EqualsIgnoreCase(opt, "MINID")) && more > 0) {
      if (args.strategy != Trim::kNone) return Error{std::string(both)};
      args.approx = false;
      if (more >= 2 && (argv[i + 1] == "~" || argv[i + 1] == "=")) {
        args.approx = argv[i + 1] == "~";
        ++i;
      }
      if (maxlen) {
        auto n = ParseInt64(argv[i + 1]);
        if (!n.ok()) return n.error();
        if (*n < 0) return Error{"ERR The MAXLEN argument must be >= 0."};
        args.maxlen = *n;
        args.strategy = Trim::kMaxLen;
      } else {
        auto id = ParseStreamId(argv[i + 1], 0, /*strict=*/true);
        if (!id.ok()) return id.error();
        args.minid = id->id;
        args.strategy = Trim::kMinId;
      }
      ++i;
    } else if (EqualsIgnoreCase(opt, "LIMIT") && more > 0) {
      auto n = ParseInt64(argv[i + 1]);
      if (!n.ok()) return n.error();
      if (*n < 0) return Error{"ERR The LIMIT argument must be >= 0."};
      limit = *n;
      limit_given = true;
      ++i;
    } else if (xadd && EqualsIgnoreCase(opt, "NOMKSTREAM")) {
      args.nomkstream = true;
    } else if (xadd) {
      auto id = ParseStreamId(opt, 0, /*strict=*/true, /*allow_auto_seq=*/true);
      if (!id.ok()) return id.error();
      args.id = *id;
      args.id_given = true;
      break;
    } else {
      return Error{std::string(kSyntaxError)};
    }
  }
  args.id_index = i;
  if (limit != 0 && args.strategy == Trim::kNone) {
    return Error{"ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"};
  }
  if (!xadd && args.strategy == Trim::kNone) {
    return Error{"ERR syntax error, XTRIM must be called with a trimming strategy"};
  }
  if (ctx.DeletesPastExpiry() && limit_given && !args.approx) {
    // Only a master checks this; commands from the master skip it (mustObeyClient).
    return Error{"ERR syntax error, LIMIT cannot be used without the special ~ option"};
  }
  return args;
}

// How many entries an exact trim removes from the head.
size_t EntriesToTrim(const data::Stream& stream, const TrimArgs& args) {
  if (args.strategy == Trim::kMaxLen) {
    const auto maxlen = static_cast<uint64_t>(args.maxlen);
    return stream.entries.size() > maxlen ? stream.entries.size() - maxlen : 0;
  }
  if (args.strategy == Trim::kMinId) {
    size_t n = 0;
    for (auto it = stream.entries.begin(); it != stream.entries.end() && it->first < args.minid;
         ++it) {
      ++n;
    }
    return n;
  }
  return 0;
}

// Trimming never moves max_deleted_id (only XDEL does).
void TrimHead(data::Stream& stream, size_t count) {
  auto end = stream.entries.begin();
  std::advance(end, static_cast<std::ptrdiff_t>(count));
  stream.entries.erase(stream.entries.begin(), end);
  stream.first_id = FirstId(stream);
}

constexpr std::string_view kApproxTrim =
    "{}: approximate (~) trimming removes whole radix-tree nodes, which depend on the server's "
    "stream-node-max-* settings (masters propagate it as an exact trim)";

}  // namespace

Result<ParsedStreamId> ParseStreamId(std::string_view text, uint64_t missing_seq, bool strict,
                                     bool allow_auto_seq) {
  const Error invalid{std::string(kInvalidStreamId)};
  if (text.size() > 127) return invalid;
  // Like a C string, the id ends at its first NUL.
  const std::string buffer(text.substr(0, text.find('\0')));
  ParsedStreamId parsed;
  if (buffer == "-" || buffer == "+") {
    if (strict) return invalid;
    parsed.id = buffer == "-" ? data::StreamId{0, 0} : data::StreamId{kU64Max, kU64Max};
    return parsed;
  }
  const size_t dash = buffer.find('-');
  uint64_t ms = 0;
  uint64_t seq = missing_seq;
  if (!StringToUint64(buffer.substr(0, dash), &ms)) return invalid;
  if (dash != std::string::npos) {
    const std::string seq_text = buffer.substr(dash + 1);
    if (allow_auto_seq && seq_text == "*") {
      seq = 0;
      parsed.seq_given = false;
    } else if (!StringToUint64(seq_text, &seq)) {
      return invalid;
    }
  }
  parsed.id = {ms, seq};
  return parsed;
}

data::StreamGroup* FindGroup(data::Stream& stream, std::string_view name) {
  for (data::StreamGroup& group : stream.groups) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [...]
ApplyResult XAddCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const TrimArgs args, ParseTrimArgs(ctx, argv, /*xadd=*/true));
  const size_t field_index = args.id_index + 1;
  if (field_index > argv.size() || (argv.size() - field_index) < 2 ||
      (argv.size() - field_index) % 2 == 1) {
    return Failed("ERR wrong number of arguments for 'xadd' command");
  }
  if (args.id_given && args.id.seq_given && args.id.id == data::StreamId{}) {
    return Failed("ERR The ID specified in XADD must be greater than 0-0");
  }
  KS_ASSIGN_OR_FAIL(data::Stream * stream, ctx.Get<data::Stream>(argv[1]));
  if (stream == nullptr && args.nomkstream) return Applied();
  const data::Stream empty;
  const data::Stream& current = stream != nullptr ? *stream : empty;
  const data::StreamId last = current.last_id;
  if (last.ms == kU64Max && last.seq == kU64Max) {
    return Failed("ERR The stream has exhausted the last possible ID, unable to add more items");
  }
  const std::string_view too_small =
      "ERR The ID specified in XADD is equal or smaller than the target stream top item";
  data::StreamId id;
  if (!args.id_given) {
    const auto now = static_cast<uint64_t>(ctx.Now());
    if (now > last.ms) {
      id = {now, 0};
    } else {
      id = last;
      if (id.seq == kU64Max) {
        id = {id.ms + 1, 0};
      } else {
        ++id.seq;
      }
    }
  } else if (!args.id.seq_given) {
    if (args.id.id.ms == last.ms) {
      if (last.seq == kU64Max) return Failed(std::string(too_small));
      id = {last.ms, last.seq + 1};
    } else {
      id = {args.id.id.ms, 0};
    }
  } else {
    id = args.id.id;
  }
  if (id <= last) return Failed(std::string(too_small));
  size_t total = 0;
  for (size_t j = field_index; j < argv.size(); ++j) total += argv[j].size();
  if (total > (size_t{1} << 30)) return Failed("ERR Elements are too large to be stored");

  // Trimming is judged on the stream as it will be after the append; the new id is the largest.
  size_t to_trim = 0;
  const size_t after = current.entries.size() + 1;
  if (args.strategy == Trim::kMaxLen) {
    const auto maxlen = static_cast<uint64_t>(args.maxlen);
    to_trim = after > maxlen ? after - static_cast<size_t>(maxlen) : 0;
  } else if (args.strategy == Trim::kMinId) {
    to_trim = EntriesToTrim(current, args) + (id < args.minid ? 1 : 0);
  }
  if (args.approx && to_trim > 0) return Unmodelled(fmt::format(kApproxTrim, "XADD"));

  KS_ASSIGN_OR_FAIL(stream, ctx.GetOrCreate<data::Stream>(argv[1]));
  data::StreamFields fields;
  fields.reserve((argv.size() - field_index) / 2);
  for (size_t j = field_index; j < argv.size(); j += 2) fields.emplace_back(argv[j], argv[j + 1]);
  stream->entries.emplace(id, std::move(fields));
  stream->last_id = id;
  ++stream->entries_added;
  if (to_trim > 0) TrimHead(*stream, to_trim);
  stream->first_id = FirstId(*stream);
  return Applied();
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
ApplyResult XTrimCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const TrimArgs args, ParseTrimArgs(ctx, argv, /*xadd=*/false));
  KS_ASSIGN_OR_FAIL(data::Stream * stream, ctx.Get<data::Stream>(argv[1]));
  if (stream == nullptr) return Applied();
  const size_t to_trim = EntriesToTrim(*stream, args);
  if (to_trim == 0) return Applied();
  if (args.approx) return Unmodelled(fmt::format(kApproxTrim, "XTRIM"));
  TrimHead(*stream, to_trim);
  return Applied();
}

// XDEL key id [id ...]
ApplyResult XDelCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Stream * stream, ctx.Get<data::Stream>(argv[1]));
  if (stream == nullptr) return Applied();
  std::vector<data::StreamId> ids;
  for (size_t j = 2; j < argv.size(); ++j) {
    KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed, ParseStreamId(argv[j], 0, /*strict=*/true));
    ids.push_back(parsed.id);
  }
  for (const data::StreamId& id : ids) {
    if (stream->entries.erase(id) == 0) continue;
    if (id > stream->max_deleted_id) stream->max_deleted_id = id;
  }
  stream->first_id = FirstId(*stream);
  return Applied();
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
ApplyResult XSetIdCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const ParsedStreamId id, ParseStreamId(argv[2], 0, /*strict=*/true));
  std::optional<int64_t> entries_added;
  std::optional<data::StreamId> max_deleted;
  for (size_t i = 3; i < argv.size(); i += 2) {
    const bool more = i + 1 < argv.size();
    if (EqualsIgnoreCase(argv[i], "ENTRIESADDED") && more) {
      KS_ASSIGN_OR_FAIL(entries_added, ParseInt64(argv[i + 1]));
      if (*entries_added < 0) return Failed("ERR entries_added must be positive");
    } else if (EqualsIgnoreCase(argv[i], "MAXDELETEDID") && more) {
      KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed,
                        ParseStreamId(argv[i + 1], 0, /*strict=*/true));
      if (id.id < parsed.id) {
        return Failed(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
      max_deleted = parsed.id;
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  KS_ASSIGN_OR_FAIL(data::Stream * stream, ctx.Get<data::Stream>(argv[1]));
  if (stream == nullptr) return Failed(std::string(kNoSuchKey));
  if (id.id < stream->max_deleted_id) {
    return Failed("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
  }
  if (!stream->entries.empty()) {
    if (id.id < stream->entries.rbegin()->first) {
      return Failed("ERR The ID specified in XSETID is smaller than the target stream top item");
    }
    if (entries_added && static_cast<uint64_t>(*entries_added) < stream->entries.size()) {
      return Failed(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
    }
  }
  stream->last_id = id.id;
  if (entries_added) stream->entries_added = static_cast<uint64_t>(*entries_added);
  if (max_deleted && !(*max_deleted == data::StreamId{})) stream->max_deleted_id = *max_deleted;
  return Applied();
}

}  // namespace conformance::keyspace
