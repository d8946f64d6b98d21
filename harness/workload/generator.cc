#include "harness/workload/generator.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/workload/kinds.h"
#include "harness/workload/picker.h"
#include "harness/workload/tracked_workload.h"

namespace conformance::workload {

namespace {

// Appends SELECT when `db` differs from the last database selected.
void SelectIfNeeded(std::vector<Command>* out, int* current, int db) {
  if (*current == db) return;
  out->push_back({"SELECT", std::to_string(db)});
  *current = db;
}

void AddKey(std::vector<Command>* out, Picker& pick, size_t index, const DatasetOptions& options) {
  const size_t big = options.big_values && pick.Chance(5) ? 4096 : 0;
  const size_t elements = big ? 200 : 1 + pick.Below(20);
  switch (index % 6) {
    case 0:
      out->push_back(
          {"SET", fmt::format("string:{}", index), big ? pick.Value(big) : pick.Value(40)});
      break;
    case 1:
      out->push_back({"SET", fmt::format("counter:{}", index), pick.Number()});
      break;
    case 2: {
      Command command = {"RPUSH", fmt::format("list:{}", index)};
      for (size_t i = 0; i < elements; ++i) command.push_back(pick.Value(big ? 100 : 12));
      out->push_back(std::move(command));
      break;
    }
    case 3: {
      Command command = {"HSET", fmt::format("hash:{}", index)};
      for (size_t i = 0; i < elements; ++i) {
        command.push_back(fmt::format("field{}", i));
        command.push_back(pick.Value(big ? 100 : 12));
      }
      out->push_back(std::move(command));
      break;
    }
    case 4: {
      Command command = {"SADD", fmt::format("set:{}", index)};
      const bool integers = pick.Chance(50);  // intset vs listpack/hashtable encodings
      for (size_t i = 0; i < elements; ++i) {
        command.push_back(integers ? pick.Number() : pick.Value(10));
      }
      out->push_back(std::move(command));
      break;
    }
    case 5: {
      Command command = {"ZADD", fmt::format("zset:{}", index)};
      for (size_t i = 0; i < elements; ++i) {
        command.push_back(fmt::format("{}.{}", pick.Below(1000), pick.Below(100)));
        command.push_back(pick.Value(big ? 80 : 10));
      }
      out->push_back(std::move(command));
      break;
    }
  }
}

// The original dataset: one key per index, type by index % 6, databases in turn.
void BasicDataset(const DatasetOptions& options, const std::function<void(Command&&)>& sink) {
  Picker pick(options.seed);
  std::vector<Command> out;
  int current = -1;
  for (size_t i = 0; i < options.keys; ++i) {
    const int db = options.databases[i % options.databases.size()];
    SelectIfNeeded(&out, &current, db);
    AddKey(&out, pick, i, options);
    if (options.expire && pick.Chance(10)) {
      out.push_back({"EXPIRE", out.back()[1], std::to_string(600 + pick.Below(600))});
    }
    for (Command& command : out) sink(std::move(command));
    out.clear();
  }
}

// One key of each allowed kind in turn; databases change every round of kinds.
void AllTypesDataset(const DatasetOptions& options, const std::function<void(Command&&)>& sink) {
  Picker pick(options.seed);
  FakeTime time;
  const std::vector<KindInfo> kinds = AllowedKinds(options.types);
  if (kinds.empty()) return;
  int current = -1;
  for (size_t i = 0; i < options.keys; ++i) {
    const int db = DatabaseOf(i, kinds.size(), options.databases);
    if (db != current) {
      sink({"SELECT", std::to_string(db)});
      current = db;
    }
    const KindInfo& kind = kinds[i % kinds.size()];
    const std::string key = KeyName(kind, i);
    Op op = CreateKey(pick, time, kind.kind, key, options.pin_entries_read);
    std::vector<Command> commands = op.For(options.form);
    if (!std::all_of(commands.begin(), commands.end(),
                     [&](const Command& command) { return Accepted(options.accepts, command); })) {
      continue;
    }
    for (Command& command : commands) sink(std::move(command));
    if (options.expire && pick.Chance(options.expire_percent)) sink(ExpireCommand(pick, key));
  }
}

// The benchmark's mix: per 20 keys, 12 strings and 2 each of hashes, lists, sets, sorted sets.
void MixedDataset(const DatasetOptions& options, const std::function<void(Command&&)>& sink) {
  Picker pick(options.seed);
  int current = -1;
  for (size_t i = 0; i < options.keys; ++i) {
    const int db = options.databases[i % options.databases.size()];
    if (db != current) {
      sink({"SELECT", std::to_string(db)});
      current = db;
    }
    const size_t slot = i % 20;
    const size_t elements = 1 + pick.Below(5);
    Command command;
    if (slot < 12) {
      command = {"SET", fmt::format("key:{}", i), pick.Value(24)};
    } else if (slot < 14) {
      command = {"HSET", fmt::format("hash:{}", i)};
      for (size_t e = 0; e < elements; ++e) {
        command.push_back(fmt::format("f{}", e));
        command.push_back(pick.Value(10));
      }
    } else if (slot < 16) {
      command = {"RPUSH", fmt::format("list:{}", i)};
      for (size_t e = 0; e < elements; ++e) command.push_back(pick.Value(10));
    } else if (slot < 18) {
      command = {"SADD", fmt::format("set:{}", i)};
      for (size_t e = 0; e < elements; ++e) command.push_back(pick.Value(8));
    } else {
      command = {"ZADD", fmt::format("zset:{}", i)};
      for (size_t e = 0; e < elements; ++e) {
        command.push_back(std::to_string(pick.Below(1000)));
        command.push_back(pick.Value(8));
      }
    }
    std::string key = command[1];
    sink(std::move(command));
    if (options.expire && pick.Chance(options.expire_percent)) {
      sink({"EXPIRE", std::move(key), std::to_string(pick.Between(3600, 7200))});
    }
  }
}

std::vector<Command> BasicWorkload(const WorkloadOptions& options) {
  Picker pick(options.seed);
  std::vector<Command> out;
  int current = -1;
  size_t in_multi = 0;
  for (size_t i = 0; i < options.commands; ++i) {
    if (in_multi == 0) {
      SelectIfNeeded(&out, &current, options.databases[pick.Below(options.databases.size())]);
      if (options.multi && pick.Chance(12)) {
        out.push_back({"MULTI"});
        in_multi = 2 + pick.Below(4);
      }
    }
    const size_t key = pick.Below(50);
    switch (pick.Below(options.expire ? 12 : 9)) {
      case 0:
        out.push_back({"SET", fmt::format("w:string:{}", key), pick.Value(30)});
        break;
      case 1:
        out.push_back({"INCRBY", fmt::format("w:counter:{}", key), pick.Number()});
        break;
      case 2:
        out.push_back({"APPEND", fmt::format("w:string:{}", key), pick.Value(8)});
        break;
      case 3:
        out.push_back({"LPUSH", fmt::format("w:list:{}", key), pick.Value(8), pick.Value(8)});
        break;
      case 4:
        out.push_back({"RPOP", fmt::format("w:list:{}", key)});
        break;
      case 5:
        out.push_back({"HSET", fmt::format("w:hash:{}", key), pick.Value(4), pick.Value(8)});
        break;
      case 6:
        out.push_back({"SADD", fmt::format("w:set:{}", key), pick.Value(5)});
        break;
      case 7:
        out.push_back({"ZADD", fmt::format("w:zset:{}", key), std::to_string(pick.Below(100)),
                       pick.Value(5)});
        break;
      case 8:
        out.push_back({"DEL", fmt::format("w:string:{}", pick.Below(50))});
        break;
      case 9:
        out.push_back({"SET", fmt::format("w:ttl:{}", key), pick.Value(10), "PX",
                       std::to_string(600000 + pick.Below(60000))});
        break;
      case 10:
        out.push_back(
            {"EXPIRE", fmt::format("w:hash:{}", key), std::to_string(600 + pick.Below(600))});
        break;
      case 11:
        out.push_back({"PERSIST", fmt::format("w:ttl:{}", key)});
        break;
    }
    if (in_multi > 0 && --in_multi == 0) out.push_back({"EXEC"});
  }
  if (in_multi > 0) out.push_back({"EXEC"});
  return out;
}

}  // namespace

const char* ToString(Profile profile) {
  switch (profile) {
    case Profile::kBasic:
      return "basic";
    case Profile::kAllTypes:
      return "all-types";
    case Profile::kMixed:
      return "mixed";
    case Profile::kExpiry:
      return "expiry";
  }
  return "?";
}

const char* ToString(Form form) { return form == Form::kClient ? "client" : "replicated"; }

std::optional<Profile> ParseProfile(std::string_view text) {
  for (Profile profile : {Profile::kBasic, Profile::kAllTypes, Profile::kMixed, Profile::kExpiry}) {
    if (text == ToString(profile)) return profile;
  }
  return std::nullopt;
}

bool TypeFilter::Allows(std::string_view type) const {
  if (type == "string") return string;
  if (type == "list") return list;
  if (type == "set") return set;
  if (type == "zset") return zset;
  if (type == "hash") return hash;
  if (type == "stream") return stream;
  return false;
}

std::optional<TypeFilter> ParseTypes(std::string_view text, std::string* error) {
  if (text.empty()) return TypeFilter{};
  TypeFilter filter{false, false, false, false, false, false};
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    bool* flag = word == "string"   ? &filter.string
                 : word == "list"   ? &filter.list
                 : word == "set"    ? &filter.set
                 : word == "zset"   ? &filter.zset
                 : word == "hash"   ? &filter.hash
                 : word == "stream" ? &filter.stream
                                    : nullptr;
    if (flag == nullptr) {
      *error =
          fmt::format("unknown type '{}' (known: string, list, set, zset, hash, stream)", word);
      return std::nullopt;
    }
    *flag = true;
    start = end + 1;
  }
  return filter;
}

void ForEachDatasetCommand(const DatasetOptions& options,
                           const std::function<void(Command&&)>& sink) {
  if (options.databases.empty()) return;
  const std::function<void(Command&&)> accepted = [&](Command&& command) {
    if (Accepted(options.accepts, command)) sink(std::move(command));
  };
  switch (options.profile) {
    case Profile::kAllTypes:
      return AllTypesDataset(options, accepted);
    case Profile::kMixed:
      return MixedDataset(options, accepted);
    case Profile::kBasic:
    case Profile::kExpiry:  // no dataset of its own: the basic one
      return BasicDataset(options, accepted);
  }
}

std::vector<Command> GenerateDataset(const DatasetOptions& options) {
  std::vector<Command> out;
  ForEachDatasetCommand(options, [&](Command&& command) { out.push_back(std::move(command)); });
  return out;
}

std::vector<Command> GenerateWorkload(const WorkloadOptions& options) {
  if (options.profile == Profile::kBasic) {
    std::vector<Command> commands = BasicWorkload(options);
    std::erase_if(commands, [&](const Command& c) { return !Accepted(options.accepts, c); });
    return commands;
  }
  return GenerateWorkload(options, keyspace::Keyspace{});
}

std::vector<Command> GenerateWorkload(const WorkloadOptions& options,
                                      const keyspace::Keyspace& initial) {
  if (options.databases.empty()) return {};
  switch (options.profile) {
    case Profile::kBasic:
      return GenerateWorkload(options);
    case Profile::kExpiry:
      return ExpiryWorkload(options, initial);
    case Profile::kAllTypes:
    case Profile::kMixed:  // the mixed profile's keys are a subset of all-types' kinds
      return AllTypesWorkload(options, initial);
  }
  return {};
}

}  // namespace conformance::workload
