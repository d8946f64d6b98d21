// Key-level writes, expiries and strings (type_ops.h).
#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <variant>

#include "harness/workload/type_ops.h"

namespace conformance::workload {

namespace {

Op Single(Command command) {
  Op op;
  op.Both(std::move(command));
  return op;
}

// The integer a string holds, if it is one Redis' INCR accepts far from overflowing.
std::optional<int64_t> SafeInteger(const data::Entry* entry) {
  if (entry == nullptr) return int64_t{0};
  const auto* text = std::get_if<data::String>(&entry->value);
  if (text == nullptr || text->empty() || text->size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  if (std::to_string(value) != *text) return std::nullopt;  // "+1", "007": not canonical
  if (value > (int64_t{1} << 60) || value < -(int64_t{1} << 60)) return std::nullopt;
  return value;
}

size_t StringLength(const data::Entry* entry) {
  const auto* text = entry ? std::get_if<data::String>(&entry->value) : nullptr;
  return text ? text->size() : 0;
}

// SET options that give the new value an expiry (or keep the old one).
void AddSetExpiry(Picker& pick, Command& command) {
  switch (pick.Below(5)) {
    case 0:
      command.insert(command.end(), {"EX", std::to_string(pick.Between(600, 7200))});
      break;
    case 1:
      command.insert(command.end(), {"PX", std::to_string(pick.Between(600000, 7200000))});
      break;
    case 2:
      command.insert(command.end(),
                     {"EXAT", std::to_string(kFarFutureMs / 1000 + pick.Below(86400))});
      break;
    case 3:
      command.insert(command.end(), {"PXAT", std::to_string(kFarFutureMs + pick.Below(86400000))});
      break;
    default:
      command.push_back("KEEPTTL");
      break;
  }
}

Op SetString(const OpContext& c) {
  Command command = {"SET", c.key, StringValue(c.pick, c.kind.kind)};
  if (c.expire && c.pick.Chance(30)) AddSetExpiry(c.pick, command);
  return Single(std::move(command));
}

// INCRBYFLOAT: Redis propagates the result as SET <key> <result> KEEPTTL; the result is what
// the model computes from the same value.
Op IncrByFloat(const OpContext& c) {
  const std::string increment = fmt::format("{}.{}", c.pick.Below(100), 1 + c.pick.Below(9));
  keyspace::Keyspace scratch = ScratchKeyspace();
  if (c.entry) scratch.Set(0, c.key, *c.entry);
  if (!scratch.Apply({"INCRBYFLOAT", c.key, increment}).ok()) return Op{};
  const data::Entry* result = scratch.Find(0, c.key);
  const auto* text = result ? std::get_if<data::String>(&result->value) : nullptr;
  if (text == nullptr) return Op{};
  Op op;
  op.Split({"INCRBYFLOAT", c.key, increment}, {{"SET", c.key, *text, "KEEPTTL"}});
  return op;
}

Op IntegerOp(const OpContext& c) {
  const std::optional<int64_t> value = SafeInteger(c.entry);
  if (!value) return SetString(c);
  switch (c.pick.Below(6)) {
    case 0:
      return Single({"INCRBY", c.key, c.pick.Number()});
    case 1:
      return Single({"DECRBY", c.key, c.pick.Number()});
    case 2:
      return Single({"INCR", c.key});
    case 3:
      return Single({"DECR", c.key});
    case 4:
      return IncrByFloat(c);
    default:
      return SetString(c);
  }
}

}  // namespace

Op RecreateOp(const OpContext& c) {
  Op op;
  if (c.entry && c.kind.kind != Kind::kStreamSmall && c.kind.kind != Kind::kStreamBig) {
    op.Both({"DEL", c.key});
  }
  op.Append(CreateKey(c.pick, c.time, c.kind.kind, c.key, c.pin_entries_read));
  if (c.expire && c.pick.Chance(30)) op.Both(ExpireCommand(c.pick, c.key));
  return op;
}

Op KeyOp(const OpContext& c) {
  if (c.entry == nullptr) return Op{};
  switch (c.pick.Below(5)) {
    case 0:
      return Single({"DEL", c.key});
    case 1:
      return Single({"UNLINK", c.key});
    case 2:
      return Single({"RENAME", c.key, c.sibling});
    case 3: {
      if (c.databases.size() > 1 && c.pick.Chance(50)) {
        const int target = c.databases[c.pick.Below(c.databases.size())];
        if (target != c.db) {
          return Single({"COPY", c.key, c.sibling, "DB", std::to_string(target), "REPLACE"});
        }
      }
      return Single({"COPY", c.key, c.sibling, "REPLACE"});
    }
    default: {
      for (int target : c.databases) {
        if (target != c.db && c.pick.Chance(50)) {
          return Single({"MOVE", c.key, std::to_string(target)});
        }
      }
      return Single({"RENAME", c.key, c.sibling});
    }
  }
}

Op ExpiryOp(const OpContext& c) {
  if (c.entry == nullptr) return Op{};
  const bool is_string = std::holds_alternative<data::String>(c.entry->value);
  switch (c.pick.Below(is_string ? 7 : 4)) {
    case 0:
    case 1:
      return Single(ExpireCommand(c.pick, c.key));
    case 2: {
      static constexpr const char* kFlags[] = {"NX", "XX", "GT", "LT"};
      return Single({c.pick.Chance(50) ? "EXPIRE" : "PEXPIRE", c.key,
                     std::to_string(c.pick.Between(700, 7000) * 1000), kFlags[c.pick.Below(4)]});
    }
    case 3:
      return Single({"PERSIST", c.key});
    case 4: {
      Command command = {"GETEX", c.key};
      if (c.pick.Chance(20)) {
        command.push_back("PERSIST");
      } else {
        AddSetExpiry(c.pick, command);
        if (command.back() == "KEEPTTL") command.pop_back();  // GETEX has no KEEPTTL
      }
      return Single(std::move(command));
    }
    default: {
      Command command = {"SET", c.key, StringValue(c.pick, c.kind.kind)};
      AddSetExpiry(c.pick, command);
      return Single(std::move(command));
    }
  }
}

Op StringOp(const OpContext& c) {
  if (c.entry == nullptr) return SetString(c);
  Picker& pick = c.pick;
  switch (c.kind.kind) {
    case Kind::kStringInt:
      return IntegerOp(c);
    case Kind::kStringBig:
      if (pick.Chance(50)) {
        return Single({"APPEND", c.key, pick.Compressible(pick.Between(100, 800))});
      }
      return SetString(c);
    case Kind::kStringRaw:
      switch (pick.Below(4)) {
        case 0: {
          const size_t offset = pick.Below(8 * StringLength(c.entry) + 64);
          return Single({"SETBIT", c.key, std::to_string(offset), pick.Chance(50) ? "1" : "0"});
        }
        case 1:
          return Single({"APPEND", c.key, pick.Text(pick.Between(10, 60))});
        case 2:
          return Single({"SETRANGE", c.key, std::to_string(pick.Below(StringLength(c.entry) + 8)),
                         pick.Value(20)});
        default:
          return SetString(c);
      }
    default:
      switch (pick.Below(8)) {
        case 0:
          return Single({"APPEND", c.key, pick.Value(8)});
        case 1:
          return Single({"SETRANGE", c.key, std::to_string(pick.Below(StringLength(c.entry) + 4)),
                         pick.Value(5)});
        case 2:
          return Single({"GETSET", c.key, pick.Value(30)});
        case 3:
          return Single({"SET", c.key, pick.Value(30), "GET"});
        case 4:
          return Single({"SETNX", c.key, pick.Value(10)});
        case 5:
          return Single({"GETDEL", c.key});
        case 6:
          return Single({"MSET", c.key, pick.Value(20), c.sibling, pick.Value(20)});
        default:
          return SetString(c);
      }
  }
}

}  // namespace conformance::workload
