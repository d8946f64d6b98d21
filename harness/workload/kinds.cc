#include "harness/workload/kinds.h"

#include <fmt/format.h>

#include <variant>

#include "harness/keyspace/keyspace.h"
#include "harness/workload/stream_ops.h"

namespace conformance::workload {

namespace {

constexpr size_t kCompactMaxEntries = 128;  // hash-/zset-max-listpack-entries, RDB writer
constexpr size_t kMaxIntsetEntries = 512;   // set-max-intset-entries

bool IsBig(Kind kind) {
  return kind == Kind::kListBig || kind == Kind::kHashBig || kind == Kind::kSetBig ||
         kind == Kind::kZSetBig || kind == Kind::kStreamBig;
}

Command WithKey(const char* name, const std::string& key) { return {name, key}; }

Op Single(Command command) {
  Op op;
  op.Both(std::move(command));
  return op;
}

Op CreateString(Picker& pick, Kind kind, const std::string& key) {
  return Single({"SET", key, StringValue(pick, kind)});
}

Op CreateList(Picker& pick, Kind kind, const std::string& key) {
  Command command = WithKey(pick.Chance(50) ? "RPUSH" : "LPUSH", key);
  const size_t count =
      IsBig(kind) ? pick.Between(kCompactMaxEntries + 2, 300) : pick.Between(1, 20);
  for (std::string& element : ListElements(pick, kind, count)) {
    command.push_back(std::move(element));
  }
  return Single(std::move(command));
}

Op CreateHash(Picker& pick, Kind kind, const std::string& key) {
  Command command = WithKey("HSET", key);
  size_t fields = pick.Between(1, 20);
  bool long_value = false;
  if (IsBig(kind)) {
    long_value = pick.Chance(40);
    fields = long_value ? pick.Between(3, 10) : pick.Between(kCompactMaxEntries + 2, 200);
  }
  for (size_t i = 0; i < fields; ++i) {
    command.push_back(fmt::format("field{}", i));
    command.push_back(long_value && i == 0 ? pick.Text(pick.Between(80, 200))
                      : pick.Chance(20)    ? pick.Number()
                                           : pick.Value(12));
  }
  return Single(std::move(command));
}

Op CreateSet(Picker& pick, Kind kind, const std::string& key) {
  Command command = WithKey("SADD", key);
  size_t count = pick.Between(1, 20);
  bool integers = kind == Kind::kSetInt;
  if (kind == Kind::kSetInt) count = pick.Between(1, 40);
  if (kind == Kind::kSetBig) {
    integers = pick.Chance(50);
    count = integers ? pick.Between(kMaxIntsetEntries + 8, 600)
                     : pick.Between(kCompactMaxEntries + 2, 200);
  }
  for (size_t i = 0; i < count; ++i) command.push_back(SetMember(pick, integers));
  return Single(std::move(command));
}

Op CreateZSet(Picker& pick, Kind kind, const std::string& key) {
  if (kind == Kind::kGeo) {
    Command command = WithKey("GEOADD", key);
    const size_t count = pick.Between(1, 10);
    for (size_t i = 0; i < count; ++i) {
      auto [longitude, latitude] = GeoPoint(pick);
      command.push_back(longitude);
      command.push_back(latitude);
      command.push_back(fmt::format("place{}", i));
    }
    return Single(std::move(command));
  }
  Command command = WithKey("ZADD", key);
  size_t count = pick.Between(1, 20);
  bool long_member = false;
  if (IsBig(kind)) {
    long_member = pick.Chance(40);
    count = long_member ? pick.Between(3, 10) : pick.Between(kCompactMaxEntries + 2, 200);
  }
  for (size_t i = 0; i < count; ++i) {
    command.push_back(Score(pick));
    command.push_back(long_member && i == 0 ? pick.Text(pick.Between(80, 160))
                                            : fmt::format("m{}", pick.Value(8)));
  }
  return Single(std::move(command));
}

// Appends `next` to `op` and applies its effects to `scratch` (the stream being built).
void Append(Op& op, Op next, keyspace::Keyspace& scratch) {
  for (const Command& command : next.Effects()) scratch.Apply(command);
  op.Append(std::move(next));
}

const data::Stream* StreamOf(const keyspace::Keyspace& scratch, const std::string& key) {
  const data::Entry* entry = scratch.Find(0, key);
  return entry ? std::get_if<data::Stream>(&entry->value) : nullptr;
}

Op CreateStream(Picker& pick, FakeTime& time, Kind kind, const std::string& key,
                bool pin_entries_read) {
  keyspace::Keyspace scratch = ScratchKeyspace();
  Op op;
  Append(op, Single({"DEL", key}), scratch);
  const bool big = IsBig(kind);
  const size_t entries = big ? pick.Between(120, 260) : pick.Between(1, 10);
  for (size_t i = 0; i < entries; ++i) {
    Append(op, StreamAdd(pick, key, StreamOf(scratch, key), false), scratch);
  }
  if (big) {
    for (size_t i = pick.Below(4); i > 0; --i) {
      Append(op, StreamDelete(pick, key, *StreamOf(scratch, key)), scratch);
    }
  }
  if (!big && pick.Chance(40)) return op;
  const size_t groups = big ? pick.Between(1, 2) : 1;
  for (size_t i = 0; i < groups; ++i) {
    Append(op, StreamCreateGroup(pick, key, *StreamOf(scratch, key)), scratch);
  }
  const size_t reads = big ? pick.Between(2, 5) : pick.Below(3);
  for (size_t i = 0; i < reads; ++i) {
    Append(op, StreamReadGroup(pick, time, key, *StreamOf(scratch, key), pin_entries_read),
           scratch);
  }
  if (pick.Chance(60)) Append(op, StreamAck(pick, key, *StreamOf(scratch, key)), scratch);
  if (big && pick.Chance(50)) {
    Append(op, StreamClaim(pick, time, key, *StreamOf(scratch, key)), scratch);
  }
  return op;
}

}  // namespace

const std::vector<KindInfo>& AllKinds() {
  static const std::vector<KindInfo> kKinds = {
      {Kind::kStringInt, "s:int", "string"},     {Kind::kStringShort, "s:short", "string"},
      {Kind::kStringRaw, "s:raw", "string"},     {Kind::kStringBig, "s:big", "string"},
      {Kind::kListSmall, "l:small", "list"},     {Kind::kListBig, "l:big", "list"},
      {Kind::kHashSmall, "h:small", "hash"},     {Kind::kHashBig, "h:big", "hash"},
      {Kind::kSetInt, "set:int", "set"},         {Kind::kSetSmall, "set:small", "set"},
      {Kind::kSetBig, "set:big", "set"},         {Kind::kZSetSmall, "z:small", "zset"},
      {Kind::kZSetBig, "z:big", "zset"},         {Kind::kGeo, "z:geo", "zset"},
      {Kind::kStreamSmall, "x:small", "stream"}, {Kind::kStreamBig, "x:big", "stream"},
  };
  return kKinds;
}

std::vector<KindInfo> AllowedKinds(const TypeFilter& filter) {
  std::vector<KindInfo> kinds;
  for (const KindInfo& kind : AllKinds()) {
    if (filter.Allows(kind.type)) kinds.push_back(kind);
  }
  return kinds;
}

std::string KeyName(const KindInfo& kind, size_t index) {
  return fmt::format("{}:{}", kind.prefix, index);
}

int DatabaseOf(size_t index, size_t kinds, const std::vector<int>& databases) {
  return databases[(index / kinds) % databases.size()];
}

Op CreateKey(Picker& pick, FakeTime& time, Kind kind, const std::string& key,
             bool pin_entries_read) {
  switch (kind) {
    case Kind::kStringInt:
    case Kind::kStringShort:
    case Kind::kStringRaw:
    case Kind::kStringBig:
      return CreateString(pick, kind, key);
    case Kind::kListSmall:
    case Kind::kListBig:
      return CreateList(pick, kind, key);
    case Kind::kHashSmall:
    case Kind::kHashBig:
      return CreateHash(pick, kind, key);
    case Kind::kSetInt:
    case Kind::kSetSmall:
    case Kind::kSetBig:
      return CreateSet(pick, kind, key);
    case Kind::kZSetSmall:
    case Kind::kZSetBig:
    case Kind::kGeo:
      return CreateZSet(pick, kind, key);
    case Kind::kStreamSmall:
    case Kind::kStreamBig:
      return CreateStream(pick, time, kind, key, pin_entries_read);
  }
  return Op{};
}

std::string StringValue(Picker& pick, Kind kind) {
  switch (kind) {
    case Kind::kStringInt: {
      const size_t which = pick.Below(10);
      if (which == 0) return std::to_string(2147483647 - static_cast<int64_t>(pick.Below(100)));
      if (which == 1) {
        return std::to_string(-1234567890123 - static_cast<int64_t>(pick.Below(1000)));
      }
      return pick.Number();
    }
    case Kind::kStringRaw:
      return pick.Text(pick.Between(64, 400));
    case Kind::kStringBig:
      return pick.Compressible(pick.Between(1500, 6000));
    default:
      return pick.Value(40);
  }
}

std::vector<std::string> ListElements(Picker& pick, Kind kind, size_t count) {
  std::vector<std::string> elements;
  elements.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (kind == Kind::kListBig && pick.Chance(10)) {
      elements.push_back(pick.Text(pick.Between(80, 200)));
    } else {
      elements.push_back(pick.Chance(20) ? pick.Number() : pick.Value(12));
    }
  }
  return elements;
}

std::string SetMember(Picker& pick, bool integer) {
  return integer ? pick.Number() : pick.Value(10);
}

std::string Score(Picker& pick) {
  switch (pick.Below(4)) {
    case 0:
      return std::to_string(static_cast<int64_t>(pick.Below(2000)) - 1000);
    case 1:
      return fmt::format("{}.{}", pick.Below(1000), pick.Below(100));
    case 2:
      return fmt::format("-{}.{}", pick.Below(100), 1 + pick.Below(9));
    default:
      return fmt::format("{}e{}", 1 + pick.Below(9), pick.Below(4));
  }
}

std::pair<std::string, std::string> GeoPoint(Picker& pick) {
  const double longitude = -179.0 + static_cast<double>(pick.Below(358000)) / 1000.0;
  const double latitude = -84.0 + static_cast<double>(pick.Below(168000)) / 1000.0;
  return {fmt::format("{:.3f}", longitude), fmt::format("{:.3f}", latitude)};
}

Command ExpireCommand(Picker& pick, const std::string& key) {
  switch (pick.Below(4)) {
    case 0:
      return {"EXPIRE", key, std::to_string(pick.Between(600, 7200))};
    case 1:
      return {"PEXPIRE", key, std::to_string(pick.Between(600000, 7200000))};
    case 2:
      return {"EXPIREAT", key, std::to_string(kFarFutureMs / 1000 + pick.Below(86400))};
    default:
      return {"PEXPIREAT", key, std::to_string(kFarFutureMs + pick.Below(86400000))};
  }
}

}  // namespace conformance::workload
