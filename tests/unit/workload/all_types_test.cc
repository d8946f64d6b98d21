// The all-types profile reaches every type and encoding (as sizes and contents that decide
// Redis 7.0's encodings), through the dataset and through the workload, and its workload
// writes what the brief asks for: every family, conversions, expiries changed on the way,
// MULTI/EXEC, several databases, consumer groups with PELs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <set>

#include "harness/workload/generator.h"
#include "tests/unit/workload/test_util.h"

namespace conformance::workload {
namespace {

using testing::ApplyAll;
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;

bool IsInteger(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

size_t Longest(const auto& strings) {
  size_t longest = 0;
  for (const std::string& s : strings) longest = std::max(longest, s.size());
  return longest;
}

// The encodings a Redis 7.0 master would choose for the keys of a model, named after it.
std::set<std::string> Encodings(const keyspace::Keyspace& model, const std::vector<int>& dbs) {
  std::set<std::string> out;
  for (int db : dbs) {
    for (const auto& [key, entry] : model.db(db).Entries()) {
      if (entry.expire_at_ms != data::Entry::kNoExpiry) out.insert("ttl");
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, data::String>) {
              out.insert(IsInteger(v)     ? "string:int"
                         : v.size() <= 44 ? "string:embstr"
                                          : "string:raw");
              if (v.size() > 1000) out.insert("string:big");
            } else if constexpr (std::is_same_v<T, data::List>) {
              out.insert(v.size() > 128 ? "list:many" : "list:few");
              if (Longest(v) > 64) out.insert("list:long-element");
            } else if constexpr (std::is_same_v<T, data::Hash>) {
              size_t longest = 0;
              for (const auto& [field, value] : v) longest = std::max(longest, value.value.size());
              out.insert(v.size() > 128 || longest > 64 ? "hash:hashtable" : "hash:listpack");
            } else if constexpr (std::is_same_v<T, data::Set>) {
              bool ints = true;
              for (const std::string& m : v) ints = ints && IsInteger(m);
              if (ints && v.size() <= 512) out.insert("set:intset");
              if (ints && v.size() > 512) out.insert("set:hashtable-ints");
              if (!ints) out.insert(v.size() > 128 ? "set:hashtable" : "set:small-strings");
            } else if constexpr (std::is_same_v<T, data::ZSet>) {
              size_t longest = 0;
              for (const auto& [member, score] : v.scores()) {
                longest = std::max(longest, member.size());
              }
              out.insert(v.size() > 128 || longest > 64 ? "zset:skiplist" : "zset:listpack");
              if (key.starts_with("z:geo")) out.insert("zset:geo");
            } else if constexpr (std::is_same_v<T, data::Stream>) {
              out.insert(v.entries.size() > 100 ? "stream:nodes" : "stream:small");
              if (v.max_deleted_id > data::StreamId{}) out.insert("stream:tombstones");
              for (const data::StreamGroup& group : v.groups) {
                out.insert("stream:group");
                if (!group.pending.empty()) out.insert("stream:pel");
              }
            }
          },
          entry.value);
    }
  }
  return out;
}

const std::vector<std::string> kEveryEncoding = {
    "ttl",           "string:int",        "string:embstr", "string:raw",
    "string:big",    "list:few",          "list:many",     "list:long-element",
    "hash:listpack", "hash:hashtable",    "set:intset",    "set:hashtable-ints",
    "set:hashtable", "set:small-strings", "zset:listpack", "zset:skiplist",
    "zset:geo",      "stream:small",      "stream:nodes",  "stream:tombstones",
    "stream:group",  "stream:pel"};

DatasetOptions AllTypes(size_t keys) {
  DatasetOptions options;
  options.seed = 31;
  options.keys = keys;
  options.databases = {0, 5};
  options.expire = true;
  options.profile = Profile::kAllTypes;
  options.form = Form::kReplicated;
  return options;
}

TEST(AllTypes, DatasetHoldsEveryEncoding) {
  keyspace::Keyspace model;
  ASSERT_THAT(ApplyAll(model, GenerateDataset(AllTypes(480))).errors, IsEmpty());
  EXPECT_THAT(Encodings(model, {0, 5}), IsSupersetOf(kEveryEncoding));
  EXPECT_GT(model.db(0).size(), 200u);
  EXPECT_GT(model.db(5).size(), 200u);
}

// A workload alone (from an empty keyspace) creates every encoding through the stream.
TEST(AllTypes, WorkloadAloneCreatesEveryEncoding) {
  WorkloadOptions options;
  options.seed = 32;
  options.commands = 3000;
  options.databases = {0, 5};
  options.multi = true;
  options.expire = true;
  options.profile = Profile::kAllTypes;
  options.form = Form::kReplicated;
  keyspace::Keyspace model;
  ASSERT_THAT(ApplyAll(model, GenerateWorkload(options)).errors, IsEmpty());
  EXPECT_THAT(Encodings(model, {0, 5}), IsSupersetOf(kEveryEncoding));
}

TEST(AllTypes, WorkloadChangesSnapshotKeysWithEveryFamily) {
  keyspace::Keyspace before;
  ASSERT_THAT(ApplyAll(before, GenerateDataset(AllTypes(480))).errors, IsEmpty());
  WorkloadOptions options;
  options.seed = 33;
  options.commands = 2000;
  options.databases = {0, 5};
  options.multi = true;
  options.expire = true;
  options.profile = Profile::kAllTypes;
  const auto commands = GenerateWorkload(options, before);
  std::map<std::string, size_t> names;
  for (const Command& command : commands) ++names[command[0]];
  for (const char* name :
       {"SELECT", "MULTI",     "EXEC",    "SET",   "INCRBY",       "APPEND", "SETBIT", "RPUSH",
        "LSET",   "LMOVE",     "HSET",    "HDEL",  "HINCRBYFLOAT", "SADD",   "SREM",   "SMOVE",
        "ZADD",   "ZINCRBY",   "GEOADD",  "XADD",  "XREADGROUP",   "XACK",   "XCLAIM", "XGROUP",
        "EXPIRE", "PEXPIREAT", "PERSIST", "GETEX", "RENAME",       "COPY",   "MOVE",   "DEL"}) {
    EXPECT_GT(names[name], 0u) << name;
  }
  // Keys of the snapshot change: the workload writes the dataset's names.
  keyspace::Keyspace after = before;
  WorkloadOptions replicated = options;
  replicated.form = Form::kReplicated;
  ASSERT_THAT(ApplyAll(after, GenerateWorkload(replicated, before)).errors, IsEmpty());
  size_t changed = 0;
  for (int db : {0, 5}) {
    for (const auto& [key, entry] : before.db(db).Entries()) {
      const data::Entry* now = after.Find(db, key);
      if (now == nullptr || !(now->value == entry.value) ||
          now->expire_at_ms != entry.expire_at_ms) {
        ++changed;
      }
    }
  }
  EXPECT_GT(changed, 100u);
}

TEST(AllTypes, XreadgroupBecomesWhatRedisPropagates) {
  DatasetOptions client = AllTypes(64);
  client.form = Form::kClient;
  DatasetOptions replicated = AllTypes(64);
  const auto a = GenerateDataset(client);
  const auto b = GenerateDataset(replicated);
  size_t reads = 0;
  for (const Command& c : a) reads += c[0] == "XREADGROUP";
  ASSERT_GT(reads, 0u);
  size_t claims = 0;
  size_t setids = 0;
  for (const Command& c : b) {
    EXPECT_NE(c[0], "XREADGROUP");
    if (c[0] == "XCLAIM") {
      ++claims;
      ASSERT_EQ(c.size(), 14u);
      EXPECT_EQ(c[6], "TIME");
      EXPECT_EQ(c[10], "FORCE");
      EXPECT_EQ(c[11], "JUSTID");
      EXPECT_EQ(c[12], "LASTID");
    }
    if (c[0] == "XGROUP" && c[1] == "SETID") {
      ++setids;
      EXPECT_EQ(c[5], "ENTRIESREAD");
    }
  }
  EXPECT_EQ(setids, reads);  // one per XREADGROUP
  EXPECT_GE(claims, reads);  // one per delivered entry
  // The client form pins entries_read with the same XGROUP SETID right after each XREADGROUP;
  // apart from the XCLAIMs, the two forms are then the same commands.
  std::vector<Command> rest_a;
  std::vector<Command> rest_b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i][0] == "XREADGROUP") {
      ASSERT_LT(i + 1, a.size());
      EXPECT_EQ(a[i + 1][1], "SETID");
      continue;
    }
    if (a[i][0] != "XCLAIM") rest_a.push_back(a[i]);
  }
  for (const Command& c : b) {
    if (c[0] != "XCLAIM") rest_b.push_back(c);
  }
  EXPECT_EQ(rest_a, rest_b);
  // Unpinned, the client form leaves entries_read to the master.
  client.pin_entries_read = false;
  size_t unpinned_setids = 0;
  for (const Command& c : GenerateDataset(client)) {
    unpinned_setids += c[0] == "XGROUP" && c[1] == "SETID";
  }
  EXPECT_EQ(unpinned_setids, 0u);
}

TEST(Expiry, OnlyChangesExpiriesOfExistingKeys) {
  DatasetOptions dataset;
  dataset.seed = 41;
  dataset.keys = 300;
  dataset.databases = {0, 2};
  dataset.expire = true;
  keyspace::Keyspace model;
  ASSERT_THAT(ApplyAll(model, GenerateDataset(dataset)).errors, IsEmpty());
  WorkloadOptions options;
  options.seed = 42;
  options.commands = 600;
  options.databases = {0, 2};
  options.profile = Profile::kExpiry;
  const auto commands = GenerateWorkload(options, model);
  std::set<std::string> names;
  for (const Command& c : commands) names.insert(c[0]);
  EXPECT_THAT(names, IsSupersetOf({"SELECT", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT",
                                   "PERSIST", "GETEX", "SET"}));
  for (const std::string& name : names) {
    EXPECT_THAT((std::set<std::string>{"SELECT", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT",
                                       "PERSIST", "GETEX", "SET"}),
                Contains(name));
  }
  const size_t keys = model.size();
  ASSERT_THAT(ApplyAll(model, commands).errors, IsEmpty());
  EXPECT_EQ(model.size(), keys);
}

}  // namespace
}  // namespace conformance::workload
