#include "harness/workload/generator.h"

#include <fmt/format.h>

#include <random>

namespace conformance::workload {

namespace {

class Picker {
 public:
  explicit Picker(uint64_t seed) : rng_(seed) {}
  size_t Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  std::string Value(size_t max_size) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const size_t size = 1 + Below(max_size);
    std::string value(size, 'x');
    for (char& c : value) c = kAlphabet[Below(sizeof(kAlphabet) - 1)];
    return value;
  }
  std::string Number() { return std::to_string(static_cast<int64_t>(Below(100000)) - 50000); }

 private:
  std::mt19937_64 rng_;
};

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
      out->push_back({"SET", fmt::format("string:{}", index), big ? pick.Value(big) : pick.Value(40)});
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
      for (size_t i = 0; i < elements; ++i) command.push_back(integers ? pick.Number() : pick.Value(10));
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

}  // namespace

std::vector<Command> GenerateDataset(const DatasetOptions& options) {
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
  }
  return out;
}

std::vector<Command> GenerateWorkload(const WorkloadOptions& options) {
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
      case 0: out.push_back({"SET", fmt::format("w:string:{}", key), pick.Value(30)}); break;
      case 1: out.push_back({"INCRBY", fmt::format("w:counter:{}", key), pick.Number()}); break;
      case 2: out.push_back({"APPEND", fmt::format("w:string:{}", key), pick.Value(8)}); break;
      case 3: out.push_back({"LPUSH", fmt::format("w:list:{}", key), pick.Value(8), pick.Value(8)}); break;
      case 4: out.push_back({"RPOP", fmt::format("w:list:{}", key)}); break;
      case 5: out.push_back({"HSET", fmt::format("w:hash:{}", key), pick.Value(4), pick.Value(8)}); break;
      case 6: out.push_back({"SADD", fmt::format("w:set:{}", key), pick.Value(5)}); break;
      case 7: out.push_back({"ZADD", fmt::format("w:zset:{}", key), std::to_string(pick.Below(100)), pick.Value(5)}); break;
      case 8: out.push_back({"DEL", fmt::format("w:string:{}", pick.Below(50))}); break;
      case 9:
        out.push_back({"SET", fmt::format("w:ttl:{}", key), pick.Value(10), "PX", std::to_string(600000 + pick.Below(60000))});
        break;
      case 10: out.push_back({"EXPIRE", fmt::format("w:hash:{}", key), std::to_string(600 + pick.Below(600))}); break;
      case 11: out.push_back({"PERSIST", fmt::format("w:ttl:{}", key)}); break;
    }
    if (in_multi > 0 && --in_multi == 0) out.push_back({"EXEC"});
  }
  if (in_multi > 0) out.push_back({"EXEC"});
  return out;
}

}  // namespace conformance::workload
