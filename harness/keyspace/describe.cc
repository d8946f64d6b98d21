// Describe (readable rendering of an entry) and KeyDifference::ToString.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "harness/common/escape.h"
#include "harness/keyspace/keyspace.h"

namespace conformance::keyspace {

namespace {

// Appends items until the text passes max_chars, then says how many were left out.
class ItemWriter {
 public:
  ItemWriter(std::string* out, size_t max_chars) : out_(out), max_chars_(max_chars) {}
  // Returns false once the budget is spent.
  bool Add(const std::string& item) {
    if (out_->size() >= max_chars_) return false;
    if (count_++ > 0) *out_ += ", ";
    *out_ += item;
    return true;
  }
  void Close(size_t total, char closing) {
    if (count_ < total)
      *out_ += fmt::format("{}... ({} more)", count_ > 0 ? ", " : "", total - count_);
    out_->push_back(closing);
  }

 private:
  std::string* out_;
  size_t max_chars_;
  size_t count_ = 0;
};

std::string Quote(std::string_view bytes, size_t max_chars) {
  return "\"" + EscapeBytes(bytes, max_chars) + "\"";
}

std::string FieldExpiry(int64_t expire_at_ms) {
  return expire_at_ms == data::HashField::kNoExpiry ? ""
                                                    : fmt::format(" (expires at {})", expire_at_ms);
}

template <typename Items>
void WriteSorted(std::string* out, size_t max_chars, Items items, char closing) {
  std::sort(items.begin(), items.end());
  ItemWriter writer(out, max_chars);
  for (const auto& item : items) {
    if (!writer.Add(item)) break;
  }
  writer.Close(items.size(), closing);
}

// "name" {last_delivered=.. entries_read=.. pel=[id "consumer" xcount @time] consumers=[..]},
// the PEL and the consumers each within `max_chars`.
std::string DescribeGroup(const data::StreamGroup& group, size_t max_chars, size_t element_chars) {
  std::string out = fmt::format("{} {{last_delivered={} entries_read={} pel=[",
                                Quote(group.name, element_chars), group.last_delivered.ToString(),
                                group.entries_read);
  ItemWriter pel(&out, out.size() + max_chars);
  for (const data::StreamPendingEntry& p : group.pending) {
    if (!pel.Add(fmt::format("{} {} x{} @{}", p.id.ToString(), Quote(p.consumer, element_chars),
                             p.delivery_count, p.delivery_time_ms))) {
      break;
    }
  }
  pel.Close(group.pending.size(), ']');
  out += " consumers=[";
  ItemWriter consumers(&out, out.size() + max_chars);
  for (const data::StreamConsumer& c : group.consumers) {
    if (!consumers.Add(Quote(c.name, element_chars))) break;
  }
  consumers.Close(group.consumers.size(), ']');
  out += "}";
  return out;
}

}  // namespace

std::string Describe(const data::Entry& entry, size_t max_chars) {
  std::string out;
  const size_t element_chars = std::max<size_t>(16, max_chars / 4);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, data::String>) {
          out = fmt::format("string[{}] {}", v.size(), Quote(v, max_chars));
        } else if constexpr (std::is_same_v<T, data::List>) {
          out = fmt::format("list[{}] [", v.size());
          ItemWriter writer(&out, max_chars);
          for (const std::string& item : v) {
            if (!writer.Add(Quote(item, element_chars))) break;
          }
          writer.Close(v.size(), ']');
        } else if constexpr (std::is_same_v<T, data::Set>) {
          out = fmt::format("set[{}] {{", v.size());
          std::vector<std::string> items;
          for (const std::string& m : v) items.push_back(Quote(m, element_chars));
          WriteSorted(&out, max_chars, std::move(items), '}');
        } else if constexpr (std::is_same_v<T, data::ZSet>) {
          out = fmt::format("zset[{}] {{", v.size());
          ItemWriter writer(&out, max_chars);
          for (const auto& [score, member] : v.ordered()) {
            if (!writer.Add(fmt::format("{}: {}", Quote(member, element_chars), score))) break;
          }
          writer.Close(v.size(), '}');
        } else if constexpr (std::is_same_v<T, data::Hash>) {
          out = fmt::format("hash[{}] {{", v.size());
          std::vector<std::string> items;
          for (const auto& [field, f] : v) {
            items.push_back(fmt::format("{}: {}{}", Quote(field, element_chars),
                                        Quote(f.value, element_chars),
                                        FieldExpiry(f.expire_at_ms)));
          }
          WriteSorted(&out, max_chars, std::move(items), '}');
        } else if constexpr (std::is_same_v<T, data::Stream>) {
          out = fmt::format("stream[{}] last_id={} entries_added={} max_deleted_id={} groups={} [",
                            v.entries.size(), v.last_id.ToString(), v.entries_added,
                            v.max_deleted_id.ToString(), v.groups.size());
          ItemWriter writer(&out, max_chars);
          for (const auto& [id, fields] : v.entries) {
            std::string item = id.ToString() + " {";
            for (size_t i = 0; i < fields.size(); ++i) {
              item += fmt::format("{}{}: {}", i ? ", " : "", Quote(fields[i].first, element_chars),
                                  Quote(fields[i].second, element_chars));
            }
            item += "}";
            if (!writer.Add(item)) break;
          }
          writer.Close(v.entries.size(), ']');
          // Groups get their own budget: a diff of groups must show them past long entries.
          out += " groups [";
          ItemWriter groups(&out, out.size() + max_chars);
          for (const data::StreamGroup& group : v.groups) {
            if (!groups.Add(DescribeGroup(group, max_chars / 2, element_chars))) break;
          }
          groups.Close(v.groups.size(), ']');
        } else {
          out = fmt::format("module[id={:#x}] {} raw bytes", v.module_id, v.raw.size());
        }
      },
      entry.value);
  out += entry.expire_at_ms == data::Entry::kNoExpiry
             ? ", no expiry"
             : fmt::format(", expires at {} ms", entry.expire_at_ms);
  return out;
}

const char* ToString(KeyDifference::Kind kind) {
  switch (kind) {
    case KeyDifference::Kind::kMissing:
      return "missing";
    case KeyDifference::Kind::kUnexpected:
      return "unexpected";
    case KeyDifference::Kind::kType:
      return "type";
    case KeyDifference::Kind::kValue:
      return "value";
    case KeyDifference::Kind::kExpiry:
      return "expiry";
  }
  return "unknown";
}

std::string KeyDifference::ToString() const {
  std::string text = fmt::format("db {} key \"{}\": {} differs", db, EscapeBytes(key, 200),
                                 keyspace::ToString(kind));
  if (kind == Kind::kMissing)
    text = fmt::format("db {} key \"{}\": missing", db, EscapeBytes(key, 200));
  if (kind == Kind::kUnexpected) {
    text = fmt::format("db {} key \"{}\": unexpected", db, EscapeBytes(key, 200));
  }
  if (!detail.empty()) text += fmt::format(" ({})", detail);
  text += fmt::format("\n  Expected: {}\n  Received: {}", expected, actual);
  return text;
}

}  // namespace conformance::keyspace
