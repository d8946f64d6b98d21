// Lists, hashes, sets, sorted sets and streams (type_ops.h). Elements of unordered containers
// are chosen from a sorted copy: a server's hashtable order varies from run to run, a seed's
// choices must not.
#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "harness/workload/stream_ops.h"
#include "harness/workload/type_ops.h"

namespace conformance::workload {

namespace {

constexpr size_t kConversionElements = 150;  // above every compact threshold but intset's

Op Single(Command command) {
  Op op;
  op.Both(std::move(command));
  return op;
}

template <typename T>
const T* As(const data::Entry* entry) {
  return entry ? std::get_if<T>(&entry->value) : nullptr;
}

template <typename Container>
std::vector<std::string> SortedKeys(const Container& container) {
  std::vector<std::string> keys;
  keys.reserve(container.size());
  for (const auto& item : container) {
    if constexpr (std::is_same_v<Container, data::Set>) {
      keys.push_back(item);
    } else {
      keys.push_back(item.first);
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

const char* Side(Picker& pick) { return pick.Chance(50) ? "LEFT" : "RIGHT"; }

}  // namespace

Op ListOp(const OpContext& c) {
  Picker& pick = c.pick;
  const data::List* list = As<data::List>(c.entry);
  const bool big = c.kind.kind == Kind::kListBig;
  if (list == nullptr || list->empty() || pick.Chance(25)) {
    Command command = {pick.Chance(50) ? "LPUSH" : "RPUSH", c.key};
    const size_t count =
        pick.Chance(big ? 40 : 5) ? pick.Between(40, kConversionElements) : pick.Between(1, 3);
    for (std::string& element : ListElements(pick, c.kind.kind, count)) {
      command.push_back(std::move(element));
    }
    return Single(std::move(command));
  }
  const size_t size = list->size();
  switch (pick.Below(8)) {
    case 0: {
      Command command = {pick.Chance(50) ? "LPOP" : "RPOP", c.key};
      if (pick.Chance(50)) {
        command.push_back(std::to_string(1 + pick.Below(std::min<size_t>(size, 5))));
      }
      return Single(std::move(command));
    }
    case 1: {
      const int64_t index = static_cast<int64_t>(pick.Below(2 * size)) - static_cast<int64_t>(size);
      return Single({"LSET", c.key, std::to_string(index), pick.Value(12)});
    }
    case 2:
      if (pick.Chance(50)) return Single({"LTRIM", c.key, "1", "-1"});
      return Single({"LTRIM", c.key, "0", std::to_string(size / 2 + pick.Below(size / 2 + 1))});
    case 3:
      return Single({"LINSERT", c.key, pick.Chance(50) ? "BEFORE" : "AFTER",
                     (*list)[pick.Below(size)], pick.Value(12)});
    case 4: {
      const int64_t count = static_cast<int64_t>(pick.Below(5)) - 2;
      return Single({"LREM", c.key, std::to_string(count), (*list)[pick.Below(size)]});
    }
    case 5:
      return Single({"LMOVE", c.key, c.sibling, Side(pick), Side(pick)});
    case 6:
      return Single({pick.Chance(50) ? "RPUSHX" : "LPUSHX", c.key, pick.Value(12)});
    default:
      return Single({"RPUSH", c.key, pick.Value(12)});
  }
}

Op HashOp(const OpContext& c) {
  Picker& pick = c.pick;
  const data::Hash* hash = As<data::Hash>(c.entry);
  const bool big = c.kind.kind == Kind::kHashBig;
  const size_t size = hash ? hash->size() : 0;
  switch (hash == nullptr ? 0 : pick.Below(8)) {
    case 0: {
      Command command = {"HSET", c.key};
      const bool convert = pick.Chance(big ? 30 : 5);
      const size_t fields = convert && pick.Chance(50) ? kConversionElements : pick.Between(1, 3);
      for (size_t i = 0; i < fields; ++i) {
        command.push_back(fmt::format("field{}", fields > 3 ? i : pick.Below(size + 5)));
        command.push_back(convert && i == 0 ? pick.Text(pick.Between(80, 200)) : pick.Value(12));
      }
      return Single(std::move(command));
    }
    case 1: {
      const std::vector<std::string> fields = SortedKeys(*hash);
      Command command = {"HDEL", c.key, fields[pick.Below(fields.size())]};
      if (pick.Chance(30)) command.push_back("nosuchfield");
      return Single(std::move(command));
    }
    case 2: {
      auto counter = hash->find("counter");
      const bool integer =
          counter == hash->end() ||
          counter->second.value == std::to_string(std::atoll(counter->second.value.c_str()));
      if (!integer) return Single({"HSET", c.key, "counter", pick.Number()});
      return Single({"HINCRBY", c.key, "counter", pick.Number()});
    }
    case 3: {
      const std::string increment = fmt::format("{}.{}", pick.Below(50), 1 + pick.Below(9));
      keyspace::Keyspace scratch = ScratchKeyspace();
      scratch.Set(0, c.key, *c.entry);
      if (!scratch.Apply({"HINCRBYFLOAT", c.key, "ratio", increment}).ok()) return Op{};
      const data::Hash* after = As<data::Hash>(scratch.Find(0, c.key));
      Op op;
      op.Split({"HINCRBYFLOAT", c.key, "ratio", increment},
               {{"HSET", c.key, "ratio", after->at("ratio").value}});
      return op;
    }
    case 4:
      return Single({"HSETNX", c.key, fmt::format("field{}", pick.Below(size + 3)), pick.Value(8)});
    case 5:
      return Single({"HMSET", c.key, "m1", pick.Value(8), "m2", pick.Value(8)});
    default: {
      const std::vector<std::string> fields = SortedKeys(*hash);
      return Single({"HSET", c.key, fields[pick.Below(fields.size())], pick.Value(12)});
    }
  }
}

Op SetOp(const OpContext& c) {
  Picker& pick = c.pick;
  const data::Set* set = As<data::Set>(c.entry);
  const bool integers =
      c.kind.kind == Kind::kSetInt || (c.kind.kind == Kind::kSetBig && pick.Chance(50));
  switch (set == nullptr ? 0 : pick.Below(6)) {
    case 0: {
      Command command = {"SADD", c.key};
      size_t count = pick.Between(1, 3);
      if (c.kind.kind == Kind::kSetBig && pick.Chance(20)) {
        count = integers ? 520 : kConversionElements;
      }
      for (size_t i = 0; i < count; ++i) command.push_back(SetMember(pick, integers));
      // Now and then a string joins an intset (converting it).
      if (c.kind.kind == Kind::kSetInt && pick.Chance(5)) command.push_back(pick.Value(6));
      return Single(std::move(command));
    }
    case 1: {
      const std::vector<std::string> members = SortedKeys(*set);
      Command command = {"SREM", c.key, members[pick.Below(members.size())]};
      if (pick.Chance(30)) command.push_back(SetMember(pick, integers));
      return Single(std::move(command));
    }
    case 2: {
      const std::vector<std::string> members = SortedKeys(*set);
      return Single({"SMOVE", c.key, c.sibling, members[pick.Below(members.size())]});
    }
    case 3: {
      static constexpr const char* kStores[] = {"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"};
      return Single({kStores[pick.Below(3)], c.sibling, c.key, c.sibling});
    }
    default:
      return Single({"SADD", c.key, SetMember(pick, integers)});
  }
}

Op ZSetOp(const OpContext& c) {
  Picker& pick = c.pick;
  const data::ZSet* zset = As<data::ZSet>(c.entry);
  const bool big = c.kind.kind == Kind::kZSetBig;
  if (c.kind.kind == Kind::kGeo && (zset == nullptr || pick.Chance(50))) {
    auto [longitude, latitude] = GeoPoint(pick);
    return Single({"GEOADD", c.key, longitude, latitude, fmt::format("place{}", pick.Below(20))});
  }
  const size_t size = zset ? zset->size() : 0;
  switch (zset == nullptr ? 0 : pick.Below(10)) {
    case 0: {
      Command command = {"ZADD", c.key};
      if (zset && pick.Chance(40)) {
        static constexpr const char* kFlags[] = {"NX", "XX", "GT", "LT"};
        command.push_back(kFlags[pick.Below(4)]);
      }
      if (pick.Chance(30)) command.push_back("CH");
      const bool convert = pick.Chance(big ? 30 : 3);
      const size_t count = convert && pick.Chance(50) ? kConversionElements : pick.Between(1, 3);
      for (size_t i = 0; i < count; ++i) {
        command.push_back(Score(pick));
        command.push_back(convert && i == 0 ? pick.Text(pick.Between(80, 160))
                                            : fmt::format("m{}", pick.Value(count > 3 ? 10 : 2)));
      }
      return Single(std::move(command));
    }
    case 1: {
      const auto& ordered = zset->ordered();
      auto it = std::next(ordered.begin(), static_cast<long>(pick.Below(size)));
      return Single({"ZINCRBY", c.key, Score(pick), it->second});
    }
    case 2:
      return Single({"ZADD", c.key, "INCR", Score(pick), fmt::format("m{}", pick.Value(2))});
    case 3: {
      auto it = std::next(zset->ordered().begin(), static_cast<long>(pick.Below(size)));
      return Single({"ZREM", c.key, it->second, "nosuchmember"});
    }
    case 4:
      return Single({"ZREMRANGEBYRANK", c.key, "0", std::to_string(pick.Below(2))});
    case 5: {
      auto it = std::next(zset->ordered().begin(), static_cast<long>(pick.Below(size)));
      return Single({"ZREMRANGEBYSCORE", c.key, "-inf", fmt::format("({}", it->first)});
    }
    case 6: {
      Command command = {pick.Chance(50) ? "ZPOPMIN" : "ZPOPMAX", c.key};
      if (pick.Chance(50)) command.push_back(std::to_string(1 + pick.Below(3)));
      return Single(std::move(command));
    }
    case 7: {
      static constexpr const char* kStores[] = {"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"};
      const size_t which = pick.Below(3);
      Command command = {kStores[which], c.sibling, "2", c.key, c.sibling};
      if (which < 2 && pick.Chance(50)) command.insert(command.end(), {"WEIGHTS", "1", "2"});
      if (which < 2 && pick.Chance(50)) command.insert(command.end(), {"AGGREGATE", "MAX"});
      return Single(std::move(command));
    }
    case 8:
      return Single({"ZRANGESTORE", c.sibling, c.key, "0", std::to_string(pick.Below(size + 1))});
    default:
      return Single({"ZADD", c.key, Score(pick), fmt::format("m{}", pick.Value(2))});
  }
}

Op StreamOp(const OpContext& c) {
  Picker& pick = c.pick;
  const data::Stream* stream = As<data::Stream>(c.entry);
  if (stream == nullptr) return StreamAdd(pick, c.key, nullptr, false);
  Op op;
  switch (pick.Below(20)) {
    case 0:
    case 1:
    case 2:
      op = StreamReadGroup(pick, c.time, c.key, *stream, c.pin_entries_read);
      break;
    case 3:
    case 4:
      op = StreamAck(pick, c.key, *stream);
      break;
    case 5:
    case 6:
      if (stream->groups.size() < 3) op = StreamCreateGroup(pick, c.key, *stream);
      break;
    case 7:
    case 8:
      op = StreamClaim(pick, c.time, c.key, *stream);
      break;
    case 9:
      op = StreamDelete(pick, c.key, *stream);
      break;
    case 10:
      op = StreamTrim(pick, c.key, *stream);
      break;
    case 11:
      op = StreamConsumer(pick, c.key, *stream);
      break;
    case 12:
      if (pick.Chance(30)) op = StreamDestroyGroup(pick, c.key, *stream);
      break;
    default:
      break;
  }
  if (op.empty()) op = StreamAdd(pick, c.key, stream, true);
  return op;
}

}  // namespace conformance::workload
