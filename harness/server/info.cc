#include "harness/server/info.h"

#include <algorithm>
#include <charconv>
#include <strings.h>

namespace conformance::server {
namespace {

std::optional<std::string> Find(const Fields& fields, std::string_view key) {
  for (const auto& [name, value] : fields) {
    if (name == key) return value;
  }
  return std::nullopt;
}

// "slave12" -> 12; nullopt for anything else (e.g. "slave_repl_offset").
std::optional<int> NumberAfter(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view digits = key.substr(prefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto number = ParseInt(digits);
  if (!number || *number > INT32_MAX) return std::nullopt;
  return static_cast<int>(*number);
}

ReplicaInfo ParseReplicaLine(int index, std::string_view value) {
  ReplicaInfo replica;
  replica.index = index;
  if (value.find('=') == std::string_view::npos) {
    // Redis 2.6: "ip,port,state".
    const Fields items = ParseKeyValueList(value);
    const char* names[] = {"ip", "port", "state"};
    for (size_t i = 0; i < items.size(); ++i) {
      replica.fields.emplace_back(i < 3 ? names[i] : "field" + std::to_string(i), items[i].first);
    }
  } else {
    replica.fields = ParseKeyValueList(value);
  }
  replica.ip = Find(replica.fields, "ip").value_or("");
  replica.state = Find(replica.fields, "state").value_or("");
  if (auto port = Find(replica.fields, "port")) replica.port = ParseInt(*port);
  if (auto offset = Find(replica.fields, "offset")) replica.offset = ParseInt(*offset);
  if (auto lag = Find(replica.fields, "lag")) replica.lag = ParseInt(*lag);
  return replica;
}

}  // namespace

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

Fields ParseKeyValueList(std::string_view text) {
  Fields fields;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      fields.emplace_back(std::string(item), "");
    } else {
      fields.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
    start = comma + 1;
  }
  return fields;
}

std::optional<std::string> ReplicaInfo::Get(std::string_view key) const {
  return Find(fields, key);
}

std::optional<std::string> KeyspaceInfo::Get(std::string_view key) const {
  return Find(fields, key);
}

Info Info::Parse(std::string_view text) {
  Info info;
  info.text_ = std::string(text);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      line.remove_prefix(1);
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      info.sections_.push_back(InfoSection{std::string(line), {}});
      continue;
    }
    // Split at the first ':' only: values may hold more (master_host:::1, executable:/a:b).
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      info.unparsed_.emplace_back(line);
      continue;
    }
    if (info.sections_.empty()) info.sections_.push_back(InfoSection{});
    info.sections_.back().fields.emplace_back(std::string(line.substr(0, colon)),
                                              std::string(line.substr(colon + 1)));
  }
  return info;
}

std::optional<std::string> Info::Get(std::string_view key) const {
  for (const InfoSection& section : sections_) {
    if (auto value = Find(section.fields, key)) return value;
  }
  return std::nullopt;
}

std::optional<int64_t> Info::GetInt(std::string_view key) const {
  const auto value = Get(key);
  return value ? ParseInt(*value) : std::nullopt;
}

const InfoSection* Info::Section(std::string_view name) const {
  for (const InfoSection& section : sections_) {
    if (section.name.size() == name.size() &&
        strncasecmp(section.name.data(), name.data(), name.size()) == 0) {
      return &section;
    }
  }
  return nullptr;
}

std::vector<ReplicaInfo> Info::Replicas() const {
  std::vector<ReplicaInfo> replicas;
  for (const InfoSection& section : sections_) {
    for (const auto& [key, value] : section.fields) {
      if (auto index = NumberAfter(key, "slave")) {
        replicas.push_back(ParseReplicaLine(*index, value));
      }
    }
  }
  std::stable_sort(replicas.begin(), replicas.end(),
                   [](const ReplicaInfo& a, const ReplicaInfo& b) { return a.index < b.index; });
  return replicas;
}

std::vector<KeyspaceInfo> Info::Keyspace() const {
  std::vector<KeyspaceInfo> dbs;
  for (const InfoSection& section : sections_) {
    for (const auto& [key, value] : section.fields) {
      const auto db = NumberAfter(key, "db");
      if (!db) continue;
      KeyspaceInfo entry;
      entry.db = *db;
      entry.fields = ParseKeyValueList(value);
      auto number = [&](std::string_view name) {
        const auto field = Find(entry.fields, name);
        return field ? ParseInt(*field).value_or(0) : 0;
      };
      entry.keys = number("keys");
      entry.expires = number("expires");
      entry.avg_ttl = number("avg_ttl");
      dbs.push_back(std::move(entry));
    }
  }
  std::stable_sort(dbs.begin(), dbs.end(),
                   [](const KeyspaceInfo& a, const KeyspaceInfo& b) { return a.db < b.db; });
  return dbs;
}

}  // namespace conformance::server
