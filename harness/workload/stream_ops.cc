#include "harness/workload/stream_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <vector>

namespace conformance::workload {

namespace {

using data::StreamId;

std::string Id(const StreamId& id) { return id.ToString(); }

// The id after `last`: the same millisecond with the next sequence, or a later millisecond.
StreamId NextId(Picker& pick, const StreamId& last) {
  if (last.ms == 0 && last.seq == 0) return StreamId{1 + pick.Below(1000), 0};
  if (pick.Chance(30)) return StreamId{last.ms, last.seq + 1};
  return StreamId{last.ms + 1 + pick.Below(5), pick.Below(2)};
}

// Entries after `after`, in order.
std::vector<StreamId> EntriesAfter(const data::Stream& stream, const StreamId& after) {
  std::vector<StreamId> ids;
  for (auto it = stream.entries.upper_bound(after); it != stream.entries.end(); ++it) {
    ids.push_back(it->first);
  }
  return ids;
}

const data::StreamGroup* PickGroup(Picker& pick, const data::Stream& stream,
                                   bool (*usable)(const data::Stream&, const data::StreamGroup&)) {
  std::vector<const data::StreamGroup*> candidates;
  for (const data::StreamGroup& group : stream.groups) {
    if (usable(stream, group)) candidates.push_back(&group);
  }
  if (candidates.empty()) return nullptr;
  return candidates[pick.Below(candidates.size())];
}

bool HasUndelivered(const data::Stream& stream, const data::StreamGroup& group) {
  return stream.entries.upper_bound(group.last_delivered) != stream.entries.end();
}

bool HasPending(const data::Stream&, const data::StreamGroup& group) {
  return !group.pending.empty();
}

bool HasClaimable(const data::Stream& stream, const data::StreamGroup& group) {
  for (const data::StreamPendingEntry& entry : group.pending) {
    if (stream.entries.count(entry.id) != 0) return true;
  }
  return false;
}

std::string Consumer(Picker& pick) { return fmt::format("c{}", pick.Below(3)); }

}  // namespace

Op StreamAdd(Picker& pick, const std::string& key, const data::Stream* stream, bool trim) {
  const StreamId id = NextId(pick, stream ? stream->last_id : StreamId{});
  Command command = {"XADD", key};
  if (trim && stream && stream->entries.size() > 5 && pick.Chance(15)) {
    const size_t keep = stream->entries.size() - pick.Below(3);
    command.insert(command.end(), {"MAXLEN", "=", std::to_string(keep)});
  }
  command.push_back(Id(id));
  const size_t fields = 1 + pick.Below(3);
  for (size_t i = 0; i < fields; ++i) {
    command.push_back(fmt::format("f{}", i + pick.Below(2)));
    command.push_back(pick.Chance(30) ? pick.Number() : pick.Value(12));
  }
  Op op;
  op.Both(std::move(command));
  return op;
}

Op StreamDelete(Picker& pick, const std::string& key, const data::Stream& stream) {
  Op op;
  if (stream.entries.empty()) return op;
  auto it = std::next(stream.entries.begin(), static_cast<long>(pick.Below(stream.entries.size())));
  op.Both({"XDEL", key, Id(it->first)});
  return op;
}

Op StreamTrim(Picker& pick, const std::string& key, const data::Stream& stream) {
  Op op;
  const size_t size = stream.entries.size();
  if (size < 4) return op;
  op.Both({"XTRIM", key, "MAXLEN", "=", std::to_string(size - 1 - pick.Below(size / 4))});
  return op;
}

Op StreamCreateGroup(Picker& pick, const std::string& key, const data::Stream& stream) {
  size_t n = stream.groups.size() + pick.Below(2);
  auto taken = [&](const std::string& name) {
    return std::any_of(stream.groups.begin(), stream.groups.end(),
                       [&](const data::StreamGroup& g) { return g.name == name; });
  };
  while (taken(fmt::format("g{}", n))) ++n;
  const bool at_end = pick.Chance(25);
  std::string start = at_end ? std::string("$") : std::string("0");
  if (!stream.entries.empty() && pick.Chance(25)) {
    start =
        Id(std::next(stream.entries.begin(), static_cast<long>(pick.Below(stream.entries.size())))
               ->first);
  }
  Op op;
  op.Both({"XGROUP", "CREATE", key, fmt::format("g{}", n), start});
  return op;
}

Op StreamReadGroup(Picker& pick, FakeTime& time, const std::string& key, const data::Stream& stream,
                   bool pin_entries_read) {
  Op op;
  const data::StreamGroup* group = PickGroup(pick, stream, HasUndelivered);
  if (group == nullptr) return op;
  const std::vector<StreamId> undelivered = EntriesAfter(stream, group->last_delivered);
  const size_t count = 1 + pick.Below(std::min<size_t>(undelivered.size(), 20));
  const std::string consumer = Consumer(pick);
  std::vector<Command> replicated;
  for (size_t i = 0; i < count; ++i) {
    const std::string id = Id(undelivered[i]);
    replicated.push_back({"XCLAIM", key, group->name, consumer, "0", id, "TIME",
                          std::to_string(time.Next()), "RETRYCOUNT", "1", "FORCE", "JUSTID",
                          "LASTID", id});
  }
  // What the group has read: every entry ever added minus those still after its new position.
  const StreamId last = undelivered[count - 1];
  const uint64_t after = undelivered.size() - count;
  const int64_t entries_read =
      stream.entries_added >= after ? static_cast<int64_t>(stream.entries_added - after) : -1;
  Command setid = {
      "XGROUP", "SETID", key, group->name, Id(last), "ENTRIESREAD", std::to_string(entries_read)};
  replicated.push_back(setid);
  op.client.push_back({"XREADGROUP", "GROUP", group->name, consumer, "COUNT", std::to_string(count),
                       "STREAMS", key, ">"});
  if (pin_entries_read) op.client.push_back(std::move(setid));
  op.replicated = std::move(replicated);
  return op;
}

Op StreamAck(Picker& pick, const std::string& key, const data::Stream& stream) {
  Op op;
  const data::StreamGroup* group = PickGroup(pick, stream, HasPending);
  if (group == nullptr) return op;
  Command command = {"XACK", key, group->name};
  const size_t count = 1 + pick.Below(std::min<size_t>(group->pending.size(), 3));
  const size_t first = pick.Below(group->pending.size() - count + 1);
  for (size_t i = first; i < first + count; ++i) command.push_back(Id(group->pending[i].id));
  op.Both(std::move(command));
  return op;
}

Op StreamClaim(Picker& pick, FakeTime& time, const std::string& key, const data::Stream& stream) {
  Op op;
  const data::StreamGroup* group = PickGroup(pick, stream, HasClaimable);
  if (group == nullptr) return op;
  std::vector<const data::StreamPendingEntry*> claimable;
  for (const data::StreamPendingEntry& entry : group->pending) {
    if (stream.entries.count(entry.id) != 0) claimable.push_back(&entry);
  }
  const data::StreamPendingEntry& entry = *claimable[pick.Below(claimable.size())];
  const std::string consumer = Consumer(pick);
  const std::string id = Id(entry.id);
  std::vector<Command> replicated = {{"XCLAIM", key, group->name, consumer, "0", id, "TIME",
                                      std::to_string(time.Next()), "RETRYCOUNT",
                                      std::to_string(entry.delivery_count + 1), "FORCE", "JUSTID",
                                      "LASTID", Id(group->last_delivered)}};
  op.Split({"XCLAIM", key, group->name, consumer, "0", id}, std::move(replicated));
  return op;
}

Op StreamConsumer(Picker& pick, const std::string& key, const data::Stream& stream) {
  Op op;
  if (stream.groups.empty()) return op;
  const data::StreamGroup& group = stream.groups[pick.Below(stream.groups.size())];
  if (!group.consumers.empty() && pick.Chance(40)) {
    const std::string& name = group.consumers[pick.Below(group.consumers.size())].name;
    op.Both({"XGROUP", "DELCONSUMER", key, group.name, name});
  } else {
    op.Both({"XGROUP", "CREATECONSUMER", key, group.name, fmt::format("c{}", pick.Below(5))});
  }
  return op;
}

Op StreamDestroyGroup(Picker& pick, const std::string& key, const data::Stream& stream) {
  Op op;
  if (stream.groups.empty()) return op;
  op.Both({"XGROUP", "DESTROY", key, stream.groups[pick.Below(stream.groups.size())].name});
  return op;
}

}  // namespace conformance::workload
