// Consumer group commands (t_stream.c): XGROUP, XACK, XCLAIM, XAUTOCLAIM. A master propagates
// XREADGROUP and XAUTOCLAIM as XCLAIM ... TIME t RETRYCOUNT n FORCE JUSTID LASTID id, plus
// XGROUP SETID/CREATECONSUMER; all of those are modelled.
//
// data::StreamGroup keeps pending entries sorted by id and consumers sorted by name; a
// consumer's own PEL is the pending entries naming it.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>

#include "harness/keyspace/commands.h"
#include "harness/keyspace/parse.h"
#include "harness/keyspace/stream_util.h"

namespace conformance::keyspace {

namespace {

using PendingList = std::vector<data::StreamPendingEntry>;

PendingList::iterator FindPending(data::StreamGroup& group, const data::StreamId& id) {
  auto it = std::lower_bound(
      group.pending.begin(), group.pending.end(), id,
      [](const data::StreamPendingEntry& e, const data::StreamId& i) { return e.id < i; });
  return (it != group.pending.end() && it->id == id) ? it : group.pending.end();
}

data::StreamConsumer* FindConsumer(data::StreamGroup& group, std::string_view name) {
  auto it = std::lower_bound(
      group.consumers.begin(), group.consumers.end(), name,
      [](const data::StreamConsumer& c, std::string_view n) { return c.name < n; });
  return (it != group.consumers.end() && it->name == name) ? &*it : nullptr;
}

// streamCreateConsumer: seen now, never active. Returns the consumer, existing or new.
data::StreamConsumer& LookupOrCreateConsumer(CommandContext& ctx, data::StreamGroup& group,
                                             const std::string& name) {
  auto it = std::lower_bound(
      group.consumers.begin(), group.consumers.end(), name,
      [](const data::StreamConsumer& c, const std::string& n) { return c.name < n; });
  if (it != group.consumers.end() && it->name == name) return *it;
  return *group.consumers.insert(it, data::StreamConsumer{name, ctx.Now(), -1});
}

// now - delivery_time with two's complement wrap, as Redis computes idle times.
int64_t Idle(int64_t now, int64_t delivery_time) {
  return static_cast<int64_t>(static_cast<uint64_t>(now) - static_cast<uint64_t>(delivery_time));
}

std::string NoGroup(const std::string& key, const std::string& group) {
  return fmt::format("NOGROUP No such key '{}' or consumer group '{}'", key, group);
}

std::string SubcommandError(const std::string& sub) {
  return fmt::format(
      "ERR unknown subcommand or wrong number of arguments for '{}'. Try XGROUP HELP.", sub);
}

// The stream and group XCLAIM/XAUTOCLAIM work on, or the error Redis replies.
struct GroupRef {
  data::Stream* stream;
  data::StreamGroup* group;
};

Result<GroupRef> LookupGroup(CommandContext& ctx, const Argv& argv) {
  auto stream = ctx.Get<data::Stream>(argv[1]);
  if (!stream.ok()) return stream.error();
  data::StreamGroup* group = *stream != nullptr ? FindGroup(**stream, argv[2]) : nullptr;
  if (group == nullptr) return Error{NoGroup(argv[1], argv[2])};
  return GroupRef{*stream, group};
}

}  // namespace

// XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER ...
ApplyResult XGroupCommand(CommandContext& ctx, const Argv& argv) {
  const std::string& sub = argv[1];
  const size_t argc = argv.size();
  if (argc == 2 && EqualsIgnoreCase(sub, "HELP")) return Applied();
  const bool create = EqualsIgnoreCase(sub, "CREATE");
  const bool setid = EqualsIgnoreCase(sub, "SETID");
  bool mkstream = false;
  int64_t entries_read = -1;
  data::Stream* stream = nullptr;
  data::StreamGroup* group = nullptr;
  if (argc >= 4) {
    for (size_t i = 5; i < argc;) {
      if (create && EqualsIgnoreCase(argv[i], "MKSTREAM")) {
        mkstream = true;
        ++i;
      } else if ((create || setid) && EqualsIgnoreCase(argv[i], "ENTRIESREAD") && i + 1 < argc) {
        KS_ASSIGN_OR_FAIL(entries_read, ParseInt64(argv[i + 1]));
        if (entries_read < 0 && entries_read != -1) {
          return Failed("ERR value for ENTRIESREAD must be positive or -1");
        }
        i += 2;
      } else {
        return Failed(SubcommandError(sub));
      }
    }
    KS_ASSIGN_OR_FAIL(stream, ctx.Get<data::Stream>(argv[2]));
    if (stream != nullptr) group = FindGroup(*stream, argv[3]);
    if (!mkstream) {
      if (stream == nullptr) {
        return Failed(
            "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
            "want to use the MKSTREAM option to create an empty stream automatically.");
      }
      if (group == nullptr && (setid || EqualsIgnoreCase(sub, "CREATECONSUMER") ||
                               EqualsIgnoreCase(sub, "DELCONSUMER"))) {
        return Failed(
            fmt::format("NOGROUP No such consumer group '{}' for key name '{}'", argv[3], argv[2]));
      }
    }
  }
  if (create && argc >= 5 && argc <= 8) {
    data::StreamId id;
    if (argv[4] == "$") {
      if (stream != nullptr) id = stream->last_id;
    } else {
      KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed, ParseStreamId(argv[4], 0, /*strict=*/true));
      id = parsed.id;
    }
    if (group != nullptr) return Failed("BUSYGROUP Consumer Group name already exists");
    if (stream == nullptr) {
      KS_ASSIGN_OR_FAIL(stream, ctx.GetOrCreate<data::Stream>(argv[2]));
    }
    auto at = std::lower_bound(
        stream->groups.begin(), stream->groups.end(), argv[3],
        [](const data::StreamGroup& g, const std::string& n) { return g.name < n; });
    data::StreamGroup created;
    created.name = argv[3];
    created.last_delivered = id;
    created.entries_read = entries_read;
    stream->groups.insert(at, std::move(created));
    return Applied();
  }
  if (setid && (argc == 5 || argc == 7)) {
    data::StreamId id = stream->last_id;
    if (argv[4] != "$") {
      KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed, ParseStreamId(argv[4], 0, /*strict=*/false));
      id = parsed.id;
    }
    group->last_delivered = id;
    group->entries_read = entries_read;
    return Applied();
  }
  if (EqualsIgnoreCase(sub, "DESTROY") && argc == 4) {
    if (group != nullptr) {
      stream->groups.erase(stream->groups.begin() + (group - stream->groups.data()));
    }
    return Applied();
  }
  if (EqualsIgnoreCase(sub, "CREATECONSUMER") && argc == 5) {
    LookupOrCreateConsumer(ctx, *group, argv[4]);
    return Applied();
  }
  if (EqualsIgnoreCase(sub, "DELCONSUMER") && argc == 5) {
    data::StreamConsumer* consumer = FindConsumer(*group, argv[4]);
    if (consumer == nullptr) return Applied();
    std::erase_if(group->pending,
                  [&](const data::StreamPendingEntry& e) { return e.consumer == argv[4]; });
    group->consumers.erase(group->consumers.begin() + (consumer - group->consumers.data()));
    return Applied();
  }
  return Failed(SubcommandError(sub));
}

// XACK key group id [id ...]: a missing key or group acknowledges nothing, without error.
ApplyResult XAckCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(data::Stream * stream, ctx.Get<data::Stream>(argv[1]));
  data::StreamGroup* group = stream != nullptr ? FindGroup(*stream, argv[2]) : nullptr;
  if (group == nullptr) return Applied();
  std::vector<data::StreamId> ids;
  for (size_t j = 3; j < argv.size(); ++j) {
    KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed, ParseStreamId(argv[j], 0, /*strict=*/true));
    ids.push_back(parsed.id);
  }
  for (const data::StreamId& id : ids) {
    auto it = FindPending(*group, id);
    if (it != group->pending.end()) group->pending.erase(it);
  }
  return Applied();
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n]
//        [FORCE] [JUSTID] [LASTID id]
ApplyResult XClaimCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(const GroupRef ref, LookupGroup(ctx, argv));
  KS_ASSIGN_OR_FAIL(int64_t min_idle,
                    ParseInt64(argv[4], "ERR Invalid min-idle-time argument for XCLAIM"));
  if (min_idle < 0) min_idle = 0;
  // Ids run until the first argument that is not one; the rest are options.
  std::vector<data::StreamId> ids;
  size_t j = 5;
  for (; j < argv.size(); ++j) {
    auto parsed = ParseStreamId(argv[j], 0, /*strict=*/true);
    if (!parsed.ok()) break;
    ids.push_back(parsed->id);
  }
  const int64_t now = ctx.Now();
  bool force = false;
  bool justid = false;
  int64_t retry_count = -1;
  int64_t delivery_time = -1;
  data::StreamId last_id;
  for (; j < argv.size(); ++j) {
    const bool more = j + 1 < argv.size();
    const std::string& opt = argv[j];
    if (EqualsIgnoreCase(opt, "FORCE")) {
      force = true;
    } else if (EqualsIgnoreCase(opt, "JUSTID")) {
      justid = true;
    } else if (EqualsIgnoreCase(opt, "IDLE") && more) {
      KS_ASSIGN_OR_FAIL(const int64_t idle,
                        ParseInt64(argv[++j], "ERR Invalid IDLE option argument for XCLAIM"));
      delivery_time =
          static_cast<int64_t>(static_cast<uint64_t>(now) - static_cast<uint64_t>(idle));
    } else if (EqualsIgnoreCase(opt, "TIME") && more) {
      KS_ASSIGN_OR_FAIL(delivery_time,
                        ParseInt64(argv[++j], "ERR Invalid TIME option argument for XCLAIM"));
    } else if (EqualsIgnoreCase(opt, "RETRYCOUNT") && more) {
      KS_ASSIGN_OR_FAIL(retry_count,
                        ParseInt64(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM"));
    } else if (EqualsIgnoreCase(opt, "LASTID") && more) {
      KS_ASSIGN_OR_FAIL(const ParsedStreamId parsed, ParseStreamId(argv[++j], 0, /*strict=*/true));
      last_id = parsed.id;
    } else {
      return Failed(fmt::format("ERR Unrecognized XCLAIM option '{}'", opt));
    }
  }
  data::Stream& stream = *ref.stream;
  data::StreamGroup& group = *ref.group;
  if (last_id > group.last_delivered) group.last_delivered = last_id;
  // A bogus time is replaced by now rather than rejected, as in Redis.
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;
  const std::string& consumer_name = argv[3];
  LookupOrCreateConsumer(ctx, group, consumer_name).seen_time_ms = now;
  for (const data::StreamId& id : ids) {
    auto pending = FindPending(group, id);
    if (stream.entries.count(id) == 0) {
      // The entry is gone: drop its pending entry.
      if (pending != group.pending.end()) group.pending.erase(pending);
      continue;
    }
    bool created = false;
    if (pending == group.pending.end()) {
      if (!force) continue;
      auto at = std::lower_bound(
          group.pending.begin(), group.pending.end(), id,
          [](const data::StreamPendingEntry& e, const data::StreamId& i) { return e.id < i; });
      pending = group.pending.insert(at, data::StreamPendingEntry{id, "", now, 1});
      created = true;
    }
    if (!created && min_idle > 0 && Idle(now, pending->delivery_time_ms) < min_idle) continue;
    pending->delivery_time_ms = delivery_time;
    if (retry_count >= 0) {
      pending->delivery_count = static_cast<uint64_t>(retry_count);
    } else if (!justid) {
      ++pending->delivery_count;
    }
    pending->consumer = consumer_name;
    FindConsumer(group, consumer_name)->active_time_ms = now;
  }
  return Applied();
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
ApplyResult XAutoClaimCommand(CommandContext& ctx, const Argv& argv) {
  KS_ASSIGN_OR_FAIL(int64_t min_idle,
                    ParseInt64(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
  if (min_idle < 0) min_idle = 0;
  const std::string& start_text = argv[5];
  const bool exclusive = start_text.size() > 1 && start_text[0] == '(';
  KS_ASSIGN_OR_FAIL(const ParsedStreamId start_parsed,
                    ParseStreamId(exclusive ? std::string_view(start_text).substr(1)
                                            : std::string_view(start_text),
                                  0, /*strict=*/exclusive));
  data::StreamId start = start_parsed.id;
  if (exclusive) {
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    if (start.seq == kMax && start.ms == kMax)
      return Failed("ERR invalid start ID for the interval");
    if (start.seq == kMax) {
      start = {start.ms + 1, 0};
    } else {
      ++start.seq;
    }
  }
  int64_t count = 100;
  bool justid = false;
  for (size_t j = 6; j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "COUNT") && j + 1 < argv.size()) {
      KS_ASSIGN_OR_FAIL(count,
                        ParseInt64InRange(argv[++j], 1, std::numeric_limits<int64_t>::max() / 16,
                                          "ERR COUNT must be > 0"));
    } else if (EqualsIgnoreCase(argv[j], "JUSTID")) {
      justid = true;
    } else {
      return Failed(std::string(kSyntaxError));
    }
  }
  KS_ASSIGN_OR_FAIL(const GroupRef ref, LookupGroup(ctx, argv));
  data::Stream& stream = *ref.stream;
  data::StreamGroup& group = *ref.group;
  const int64_t now = ctx.Now();
  const std::string& consumer_name = argv[3];
  LookupOrCreateConsumer(ctx, group, consumer_name).seen_time_ms = now;
  int64_t attempts = count * 10;
  auto it = std::lower_bound(
      group.pending.begin(), group.pending.end(), start,
      [](const data::StreamPendingEntry& e, const data::StreamId& i) { return e.id < i; });
  size_t index = static_cast<size_t>(it - group.pending.begin());
  while (attempts-- > 0 && count > 0 && index < group.pending.size()) {
    data::StreamPendingEntry& pending = group.pending[index];
    if (stream.entries.count(pending.id) == 0) {
      group.pending.erase(group.pending.begin() + static_cast<std::ptrdiff_t>(index));
      --count;
      continue;
    }
    if (min_idle > 0 && Idle(now, pending.delivery_time_ms) < min_idle) {
      ++index;
      continue;
    }
    pending.delivery_time_ms = now;
    if (!justid) ++pending.delivery_count;
    pending.consumer = consumer_name;
    FindConsumer(group, consumer_name)->active_time_ms = now;
    --count;
    ++index;
  }
  return Applied();
}

}  // namespace conformance::keyspace
