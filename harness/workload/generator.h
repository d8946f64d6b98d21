// Seeded generators of writes for the server under test: a dataset (keys of every type) and a
// workload (a mix of writes, optionally with MULTI/EXEC and expiries). The same seed always
// yields the same commands, so a failing case is reproducible from its printed seed.
//
// Profiles (what is generated):
//   basic      the original mix: strings, counters, lists, hashes, sets, sorted sets. Existing
//              callers get exactly the commands they always got.
//   all-types  every type and encoding Redis 7.0 writes, see kinds.h: int/short/raw/LZF-able
//              strings, lists, hashes, sets and sorted sets below and above the compact
//              thresholds (list-max-listpack-size, hash-/zset-max-listpack-entries and -value,
//              set-max-intset-entries), geo members, streams with consumer groups, PELs (read
//              with XREADGROUP), acknowledgements, deletions and trims. Its workload also
//              renames, copies and moves keys, converts encodings both ways, and (with expire)
//              sets, changes and removes relative and absolute expiries.
//   mixed      the benchmark's mix: 60% short strings, 10% each small hashes, lists, sets and
//              sorted sets; `expire_percent` of them with a TTL.
//   expiry     (workload only) changes the expiries of keys that exist: EXPIRE/PEXPIRE,
//              EXPIREAT/PEXPIREAT (absolute, in 2100), NX/XX/GT/LT, PERSIST, GETEX.
//
// Forms (who applies the commands):
//   client      what a client sends to a real master. A consumer group's PEL is filled with
//               XREADGROUP, which keyspace::Keyspace does not model (the master propagates its
//               effects instead), followed by XGROUP SETID ... ENTRIESREAD unless
//               pin_entries_read is off (see there).
//   replicated  what a master propagates for the same writes (XREADGROUP becomes XGROUP
//               CREATECONSUMER, XCLAIM ... TIME t RETRYCOUNT n FORCE JUSTID LASTID id and XGROUP
//               SETID ... ENTRIESREAD n; XCLAIM carries its TIME): a fake master streams these,
//               and keyspace::Keyspace applies every one of them.
//
// The all-types and expiry workloads are valid by construction: they track the keyspace they
// write to (a keyspace::Keyspace started from `initial`, e.g. the server's keyspace read before,
// or the fake master's model) and only emit commands that succeed on it, so a server that
// refuses one (WritePipelined stops on the first error reply) has broken a rule. Expiries are
// long (10+ minutes; absolute ones in 2100) so that no key expires during a case.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/keyspace/keyspace.h"

namespace conformance::workload {

using Command = std::vector<std::string>;
// Whether the server the commands are for takes this one (its name and optional forms); the
// generators leave out what it refuses (a whole op where one command of it is refused, so that
// what is written stays consistent). Empty: everything.
using Accepts = std::function<bool(const Command&)>;
inline bool Accepted(const Accepts& accepts, const Command& command) {
  return !accepts || accepts(command);
}

enum class Profile : uint8_t { kBasic, kAllTypes, kMixed, kExpiry };
enum class Form : uint8_t { kClient, kReplicated };

const char* ToString(Profile profile);
const char* ToString(Form form);
// "basic", "all-types", "mixed", "expiry"; nullopt otherwise.
std::optional<Profile> ParseProfile(std::string_view text);

// The value types a profile may be limited to ("string", "list", "set", "zset", "hash",
// "stream"), e.g. to write RDB versions before streams (9).
struct TypeFilter {
  bool string = true, list = true, set = true, zset = true, hash = true, stream = true;
  bool Allows(std::string_view type) const;
};
// Parses "string,list,hash" (comma-separated; empty means all); an error names the bad word.
std::optional<TypeFilter> ParseTypes(std::string_view text, std::string* error);

struct DatasetOptions {
  uint64_t seed = 1;
  size_t keys = 100;
  std::vector<int> databases = {0};
  bool expire = false;      // give some keys a TTL of minutes (never expires in a case)
  bool big_values = false;  // basic: include values of several KB (plain encodings)
  Profile profile = Profile::kBasic;
  Form form = Form::kClient;
  int expire_percent = 10;  // all-types and mixed: how many keys get a TTL when `expire`
  TypeFilter types;         // all-types: which kinds of keys
  // all-types, client form: follow each XREADGROUP with the XGROUP SETID ... ENTRIESREAD that
  // Redis >= 7.2.4 propagates itself (redis#12898): masters without that fix (Redis 7.0)
  // propagate no entries_read, and their replicas' consumer groups would differ in it.
  bool pin_entries_read = true;
  Accepts accepts;
};

struct WorkloadOptions {
  uint64_t seed = 2;
  size_t commands = 100;
  std::vector<int> databases = {0};
  bool multi = false;   // wrap about one command in eight, with its neighbours, in MULTI/EXEC
  bool expire = false;  // include SET PX/EXPIRE/PERSIST with long TTLs
  Profile profile = Profile::kBasic;
  Form form = Form::kClient;
  TypeFilter types;              // all-types: which kinds of keys
  bool pin_entries_read = true;  // as DatasetOptions::pin_entries_read
  Accepts accepts;               // as DatasetOptions::accepts
};

// Commands that create a dataset, each preceded by SELECT when the database changes.
std::vector<Command> GenerateDataset(const DatasetOptions& options);
// The same commands, handed over one at a time (a million keys need not sit in memory).
void ForEachDatasetCommand(const DatasetOptions& options,
                           const std::function<void(Command&&)>& sink);

// Commands of a mixed write workload, with SELECTs; the tracked profiles start from an empty
// keyspace.
std::vector<Command> GenerateWorkload(const WorkloadOptions& options);
// The same, for a keyspace that holds `initial` before the first command (the basic profile
// ignores it).
std::vector<Command> GenerateWorkload(const WorkloadOptions& options,
                                      const keyspace::Keyspace& initial);

}  // namespace conformance::workload
