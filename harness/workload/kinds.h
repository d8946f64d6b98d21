// The kinds of keys of the all-types profile: one per type and encoding Redis 7.0 writes,
// named "<prefix>:<index>" so that a workload finds the dataset's keys again. Sizes straddle
// Redis' defaults (and the harness RDB writer's compact limits, 128 entries / 64 bytes):
//   strings  int-encoded, short (embstr), raw, and compressible KB-sized (LZF in the RDB)
//   lists    a few short elements (one listpack node) / hundreds, some long (several nodes)
//   hashes   listpack (<= 128 fields of <= 64 bytes) / hashtable (more fields or a long value)
//   sets     intset / small strings (listpack from 7.2) / hashtable (> 512 integers or > 128
//            strings)
//   zsets    listpack / skiplist (> 128 members or a long member) / geo (GEOADD)
//   streams  a few entries / hundreds (several listpack nodes) with consumer groups, PELs
//            (XREADGROUP), acknowledgements, deletions (tombstones)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "harness/workload/generator.h"
#include "harness/workload/op.h"
#include "harness/workload/picker.h"

namespace conformance::workload {

enum class Kind : uint8_t {
  kStringInt,
  kStringShort,
  kStringRaw,
  kStringBig,
  kListSmall,
  kListBig,
  kHashSmall,
  kHashBig,
  kSetInt,
  kSetSmall,
  kSetBig,
  kZSetSmall,
  kZSetBig,
  kGeo,
  kStreamSmall,
  kStreamBig,
};

struct KindInfo {
  Kind kind;
  const char* prefix;  // key name prefix
  const char* type;    // TYPE of its keys: "string", "list", ...
};

// Every kind, in a fixed order.
const std::vector<KindInfo>& AllKinds();
// The kinds of the types `filter` allows, in the same order.
std::vector<KindInfo> AllowedKinds(const TypeFilter& filter);

// "<prefix>:<index>".
std::string KeyName(const KindInfo& kind, size_t index);
// The database of the dataset's key `index` (blocks of one key per kind rotate over them).
int DatabaseOf(size_t index, size_t kinds, const std::vector<int>& databases);

// The commands that create `key` of `kind` from nothing (a stream's begin with DEL, so that
// writing the dataset twice works). `time` gives PEL delivery times; `pin_entries_read` as in
// StreamReadGroup (stream_ops.h).
Op CreateKey(Picker& pick, FakeTime& time, Kind kind, const std::string& key,
             bool pin_entries_read);

// A value of the string kind (int, short, raw or compressible).
std::string StringValue(Picker& pick, Kind kind);
// `count` list elements; for big lists about one in ten is 80..200 bytes.
std::vector<std::string> ListElements(Picker& pick, Kind kind, size_t count);
// A set member: an integer for kStringInt-like sets, else a short string.
std::string SetMember(Picker& pick, bool integer);
// A sorted-set score as a client writes it ("12.5", "-3", "1e3").
std::string Score(Picker& pick);
// A longitude/latitude pair valid for GEOADD.
std::pair<std::string, std::string> GeoPoint(Picker& pick);

// The expiry commands for a key that exists (EXPIRE/PEXPIRE relative, EXPIREAT/PEXPIREAT
// absolute in 2100), 10 minutes or more away.
Command ExpireCommand(Picker& pick, const std::string& key);

}  // namespace conformance::workload
