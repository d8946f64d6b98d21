// INFO text, parsed generically: "# Section" headers and "key:value" lines. Nothing here knows
// which fields a server has; callers ask for what they need and get nullopt when it is absent
// (old releases and forks differ in which fields they have).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/server/role.h"

namespace conformance::server {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct InfoSection {
  std::string name;  // as written after "# ", e.g. "Replication"; "" for lines before any header
  Fields fields;
};

// One `slaveN:` line. Redis ≥ 2.8 writes key=value pairs (ip, port, state, offset, lag; valkey
// adds type=...); Redis 2.6 writes "ip,port,state".
struct ReplicaInfo {
  int index = 0;                    // N in slaveN (compacted by the server, see §6.6)
  std::string ip;
  std::optional<int64_t> port;      // 0 when the replica never sent listening-port
  std::string state;                // wait_bgsave, send_bulk, online, valkey bg_transfer
  std::optional<int64_t> offset;    // last ACKed offset; absent in the 2.6 form
  std::optional<int64_t> lag;       // seconds since the last ACK; only when online
  Fields fields;                    // every key=value pair as written (2.6: ip, port, state)

  std::optional<std::string> Get(std::string_view key) const;
};

// One `dbN:` line of the Keyspace section.
struct KeyspaceInfo {
  int db = 0;
  int64_t keys = 0;
  int64_t expires = 0;
  int64_t avg_ttl = 0;
  Fields fields;  // every key=value pair (Redis 7.4 adds subexpiry)

  std::optional<std::string> Get(std::string_view key) const;
};

class Info {
 public:
  // Accepts \r\n or \n line ends; lines without ':' (other than headers) are kept in
  // unparsed() rather than dropped silently.
  static Info Parse(std::string_view text);

  // The first field with this name in any section.
  std::optional<std::string> Get(std::string_view key) const;
  // The field as a whole base-10 integer; nullopt if absent or not an integer.
  std::optional<int64_t> GetInt(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key).has_value(); }

  // The slaveN lines in index order. Malformed lines come back with what could be read.
  std::vector<ReplicaInfo> Replicas() const;
  // The dbN lines in db order.
  std::vector<KeyspaceInfo> Keyspace() const;

  const std::vector<InfoSection>& sections() const { return sections_; }
  // A section by name, case-insensitive ("replication").
  const InfoSection* Section(std::string_view name) const;
  const std::vector<std::string>& unparsed() const { return unparsed_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<InfoSection> sections_;
  std::vector<std::string> unparsed_;
};

// Splits "a=1,b=2" into pairs; an item without '=' becomes {item, ""}.
Fields ParseKeyValueList(std::string_view text);

// A whole base-10 integer (optional leading '-'); nullopt otherwise.
std::optional<int64_t> ParseInt(std::string_view text);

}  // namespace conformance::server
