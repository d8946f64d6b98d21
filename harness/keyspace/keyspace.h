// The keyspace model: the oracle for what a server must hold after applying a replication
// stream. A fake replica loads it from the RDB (Set) and applies every command of the stream
// (Apply); a fake master applies commands to it and streams them. It is then compared with the
// real server (ComputeDigest, Diff).
//
// Semantics, deliberately literal:
//  - The model never expires keys or hash fields by itself. A replica keeps logically expired
//    keys until the master's DEL (or HDEL) arrives, and commands from the master see them.
//  - Relative expiries (EXPIRE, SET EX, ...) become absolute with options.now_ms(), read once
//    per command like Redis' commandTimeSnapshot().
//  - An expiry already in the past deletes the key (EXPIRE, SET PXAT, GETEX EXAT, RESTORE ABSTTL,
//    HEXPIRE...) when options.role is kMaster, and is stored as is when it is kReplica: Redis
//    does the same (expire.c checkAlreadyExpired ignores past times when masterhost is set).
//  - A command that fails (arity, WRONGTYPE, not an integer...) returns kError and changes
//    nothing. A command the model does not know, or knows it cannot model exactly, returns
//    kUnmodelled and changes nothing: never silently dropped.
//  - MULTI queues until EXEC (a queued command returns kApplied with message "QUEUED"). EXEC
//    applies the queue as a unit; like Redis, a command that fails at run time does not undo
//    the others (EXEC then returns kError naming it). An arity error while queuing aborts the
//    transaction (EXECABORT), and so does an unknown or unmodelled command (EXEC returns
//    kUnmodelled, nothing applied). A command that turns out unmodelled only at run time (SPOP
//    with a random choice, RESTORE without a decoder...) makes EXEC return kUnmodelled after the
//    others were applied: the model is then no longer trustworthy.
//
// Not modelled (kUnmodelled, see SupportedCommands() for the full table): scripts (EVAL, FCALL:
// Redis 7 propagates their effects, not the script), HyperLogLog (PFADD's sparse/dense byte
// encoding), SORT STORE, GEO*STORE, random choices (SPOP/SRANDMEMBER that do not take
// everything), approximate stream trimming (~) that would trim, XREADGROUP in client form.
//
// Digest scheme (ComputeDigest): every key hashes to 128 bits with SipHash-1-3 (fixed keys)
// over a canonical encoding: key, type tag, expiry (ms, -1 if none) and the value. Strings are
// their bytes; lists and stream entries are hashed in order; sets, hashes and sorted sets are
// the 128-bit sum of their element hashes (member; field, value, field expiry; member, score
// bits), so container order never matters. A database's digest is the sum of its keys' hashes;
// the total is the sum over non-empty databases of hash(db index, db digest). Sums are per
// 64-bit lane, modulo 2^64. An empty keyspace digests to all zeros. Stream consumer seen/active
// times are excluded (they are the applying server's wall clock); PEL delivery times and counts
// are included (the master propagates them explicitly in XCLAIM).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/keyspace/database.h"

namespace conformance::keyspace {

// Unix time in milliseconds.
using Clock = std::function<int64_t()>;

// Decodes a DUMP payload (RESTORE's third argument). The rdb layer provides one
// (rdb::DecodeDumpPayload); the expiry of the returned entry is ignored.
using DumpDecoder = std::function<Result<data::Entry>(std::string_view payload)>;

// Which side of replication the model stands for; see "an expiry already in the past" above.
enum class Role : uint8_t { kMaster, kReplica };

struct KeyspaceOptions {
  int databases = 16;
  Clock now_ms;               // default: the system clock
  Role role = Role::kMaster;  // kReplica for a fake replica's model of what it received
  DumpDecoder dump_decoder;   // RESTORE is kUnmodelled without one
};

enum class ApplyStatus : uint8_t { kApplied, kUnmodelled, kError };
const char* ToString(ApplyStatus status);

struct ApplyResult {
  ApplyStatus status = ApplyStatus::kApplied;
  // kUnmodelled: the command name (and why); kError: the error Redis would reply.
  std::string message;
  bool ok() const { return status == ApplyStatus::kApplied; }
};

// 128 bits; printed as 32 hex digits, high lane first.
struct Hash128 {
  uint64_t high = 0;
  uint64_t low = 0;
  std::string ToHex() const;
  friend bool operator==(const Hash128&, const Hash128&) = default;
};

struct Digest {
  Hash128 total;                // the whole keyspace
  std::vector<Hash128> per_db;  // one per database, index = db; zero when empty
  std::string ToHex() const { return total.ToHex(); }
  friend bool operator==(const Digest& a, const Digest& b) { return a.total == b.total; }
};

struct KeyDifference {
  enum class Kind : uint8_t {
    kMissing,     // in expected, not in actual
    kUnexpected,  // in actual, not in expected
    kType,        // both hold it, with different types
    kValue,       // same type, different content (includes hash field expiries)
    kExpiry,      // same value, key expiries differ by more than the tolerance
  };
  int db = 0;
  std::string key;
  Kind kind = Kind::kValue;
  std::string expected;  // Describe() of each side, "(none)" when absent
  std::string actual;
  std::string detail;  // where the values first differ, when known ("list index 3: ...")
  std::string ToString() const;
};
const char* ToString(KeyDifference::Kind kind);

// One row of the command table, for documentation.
struct CommandInfo {
  std::string_view name;    // upper case
  std::string_view family;  // "string", "list", ..., "server"
  int arity = 0;            // Redis convention: N exact, -N at least N (command name included)
  bool modelled = false;
  std::string_view notes;
};

class Keyspace {
 public:
  explicit Keyspace(KeyspaceOptions options = {});

  // Applies one command as it arrives in a replication stream (names are case-insensitive).
  ApplyResult Apply(const std::vector<std::string>& argv);

  int selected_db() const { return selected_; }
  void Select(int db);  // ignored when out of range
  bool in_multi() const { return in_multi_; }

  // Stores a key as loading an RDB does (replaces any previous one), in the compact form of
  // Database::Set; ignored when db is out of range (callers check databases(), as ModelLoader
  // does).
  void Set(int db, std::string_view key, data::Entry entry);
  // Set for a value already in packed form (Database::SetPacked).
  void SetPacked(int db, std::string_view key, data::ValueType type, std::string_view packed,
                 int64_t expire_at_ms);
  // Makes room for `keys` more keys in a database (RESIZEDB); ignored when out of range.
  void Reserve(int db, size_t keys);
  // The key's entry (unpacked in place, see Database::Find), nullptr when missing.
  const data::Entry* Find(int db, std::string_view key) const;
  const Database& db(int index) const;  // an empty database when out of range
  int databases() const { return static_cast<int>(dbs_.size()); }
  size_t size() const;  // keys in all databases
  void Clear();         // every database, the function libraries, MULTI

  // Function libraries loaded with FUNCTION LOAD: library name -> source code.
  const std::map<std::string, std::string>& functions() const { return functions_; }

  const KeyspaceOptions& options() const { return options_; }

  Digest ComputeDigest() const;

  // The first differing keys, ordered by (db, key), at most max_differences of them. Key and
  // hash-field expiries within ttl_tolerance_ms of each other count as equal.
  static std::vector<KeyDifference> Diff(const Keyspace& expected, const Keyspace& actual,
                                         size_t max_differences, int64_t ttl_tolerance_ms = 0);

 private:
  friend class CommandContext;

  ApplyResult Execute(const std::vector<std::string>& argv);
  ApplyResult Exec();

  KeyspaceOptions options_;
  std::vector<Database> dbs_;
  int selected_ = 0;
  std::map<std::string, std::string> functions_;

  // MULTI state.
  bool in_multi_ = false;
  std::vector<std::vector<std::string>> queued_;
  std::string multi_error_;       // first queuing error: EXEC aborts
  std::string multi_unmodelled_;  // first unmodelled command: EXEC applies nothing
};

// Readable, escaped rendering of an entry: type, size, the first elements, expiry.
std::string Describe(const data::Entry& entry, size_t max_chars = 200);

// True if the command table models the command (case-insensitive).
bool IsModelled(std::string_view command);

// The command table, sorted by name: modelled commands and known unmodelled ones with why.
std::vector<CommandInfo> SupportedCommands();

}  // namespace conformance::keyspace
