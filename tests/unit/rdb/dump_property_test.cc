// DUMP payloads as a property over every type x RDB version: a value either reads back exactly
// (DecodeDumpPayload(EncodeDumpPayload(v)) == v) or the encoder returns an error, never a
// payload that loses data or that the decoder refuses. Values are the shared samples plus
// seeded random ones with the edges of each type (stream metadata, never-active consumers,
// module payloads that are no opcode stream, field TTLs, special scores).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "harness/rdb/dump.h"
#include "harness/rdb/opcodes.h"
#include "test_util.h"

namespace conformance::rdb::testing {
namespace {

constexpr int kValuesPerType = 40;

std::vector<int> AllVersions() {
  std::vector<int> versions;
  for (int v = 1; v <= kMaxRedisVersion; ++v) versions.push_back(v);
  versions.push_back(kValkeyVersion);
  return versions;
}

class RandomValues {
 public:
  explicit RandomValues(uint32_t seed) : rng_(seed) {}

  std::string Bytes(size_t max_size) {
    std::string s(Below(max_size + 1), '\0');
    for (char& ch : s) ch = static_cast<char>(Below(256));
    return s;
  }
  // Text the encoder treats specially: integers of every width, near-integers, binary.
  std::string Element() {
    switch (Below(5)) {
      case 0: return std::to_string(static_cast<int64_t>(rng_()) >> Below(64));
      case 1: return "0" + std::to_string(Below(100));
      case 2: return std::string(Below(3) == 0 ? 100 : 5, static_cast<char>('a' + Below(26)));
      default: return Bytes(12);
    }
  }
  data::Value List() {
    data::List list;
    for (size_t i = Below(300); i > 0; --i) list.push_back(Element());
    return list;
  }
  data::Value Set() {
    data::Set set;
    const bool ints = Below(2) == 0;
    for (size_t i = Below(300); i > 0; --i)
      set.insert(ints ? std::to_string(Below(100000)) : Element());
    return set;
  }
  double Score() {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    switch (Below(8)) {
      case 0: return kInf;
      case 1: return -kInf;
      case 2: return -0.0;
      case 3: return std::numeric_limits<double>::denorm_min();
      case 4: return static_cast<double>(static_cast<int64_t>(rng_()) >> Below(64));
      default: return std::ldexp(static_cast<double>(rng_()), static_cast<int>(Below(200)) - 100);
    }
  }
  data::Value ZSet() {
    data::ZSet zset;
    for (size_t i = Below(300); i > 0; --i) zset.Insert(Element(), Score());
    return zset;
  }
  data::Value Hash() {
    data::Hash hash;
    const bool ttls = Below(3) == 0;
    for (size_t i = Below(300); i > 0; --i) {
      int64_t expiry = data::HashField::kNoExpiry;
      if (ttls && Below(2) == 0) {
        // Up to 2^48 - 1 is what Redis keeps; beyond is past what the format carries.
        expiry = Below(20) == 0 ? (int64_t{1} << 50)
                                : 1700000000000 + static_cast<int64_t>(Below(1 << 30));
      }
      hash[Element()] = {Element(), expiry};
    }
    return hash;
  }
  data::StreamId Id(uint64_t ms) { return {ms, Below(4)}; }
  data::Value Stream() {
    data::Stream s;
    uint64_t ms = 1700000000000 + Below(1000);
    for (size_t i = Below(200); i > 0; --i) {
      ms += Below(3);
      data::StreamFields fields;
      for (size_t f = 1 + Below(3); f > 0; --f) fields.emplace_back(Element(), Element());
      s.entries[{ms, i}] = std::move(fields);
    }
    s.last_id = s.entries.empty() ? Id(ms) : s.entries.rbegin()->first;
    if (Below(3) == 0) s.last_id.seq += 1 + Below(5);
    // Either what RDB 9 derives (so that it can carry the value) or arbitrary metadata.
    const bool derived = Below(2) == 0;
    s.first_id =
        s.entries.empty() ? data::StreamId{UINT64_MAX, UINT64_MAX} : s.entries.begin()->first;
    s.entries_added = s.entries.size();
    if (!derived) {
      if (Below(2) == 0) s.first_id = Id(ms - Below(50));
      if (Below(2) == 0) s.max_deleted_id = Id(ms - 1000);
      s.entries_added += Below(10);
    }
    for (size_t g = Below(3); g > 0; --g) {
      data::StreamGroup group;
      group.name = fmt::format("g{}", g);
      group.last_delivered = Below(2) == 0 ? s.last_id : data::StreamId{0, 0};
      group.entries_read = derived ? (group.last_delivered == s.last_id ? s.entries_added : 0)
                                   : static_cast<int64_t>(Below(5)) - 1;
      for (size_t c = Below(3); c > 0; --c) {
        const int64_t seen = 1700000000000 + static_cast<int64_t>(Below(100000));
        group.consumers.push_back({fmt::format("c{}", c), seen,
                                   Below(3) == 0 ? -1 : seen - static_cast<int64_t>(Below(1000))});
      }
      std::sort(group.consumers.begin(), group.consumers.end(),
                [](const auto& a, const auto& b) { return a.name < b.name; });
      if (!group.consumers.empty()) {
        for (const auto& [id, fields] : s.entries) {
          if (Below(4) != 0) continue;
          group.pending.push_back({id, group.consumers[Below(group.consumers.size())].name,
                                   1700000000000 + static_cast<int64_t>(Below(100000)),
                                   1 + Below(9)});
        }
      }
      s.groups.push_back(std::move(group));
    }
    std::sort(s.groups.begin(), s.groups.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return s;
  }
  data::Value Module() {
    // A well-formed opcode stream, or bytes that are none (a Dragonfly JSON document).
    if (Below(2) == 0) return data::ModuleValue{0, "{\"a\":[1,2,{\"b\":\"" + Element() + "\"}]}"};
    std::string raw;
    for (size_t i = Below(6); i > 0; --i) {
      raw += Len(static_cast<uint64_t>(ModuleOpcode::kUInt)) + Len(Below(1 << 20));
      raw += Len(static_cast<uint64_t>(ModuleOpcode::kString)) + Str(Element());
    }
    return data::ModuleValue{rng_() << 10 | Below(1024), raw};
  }

 private:
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  std::mt19937_64 rng_;
};

// Samples plus kValuesPerType random values of each type.
std::vector<std::pair<std::string, data::Value>> AllValues() {
  std::vector<std::pair<std::string, data::Value>> values;
  for (SampleValue& s : SampleValues()) values.emplace_back(s.name, std::move(s.value));
  RandomValues random(20240611);
  for (int i = 0; i < kValuesPerType; ++i) {
    values.emplace_back(fmt::format("random-string-{}", i), data::String(random.Bytes(200)));
    values.emplace_back(fmt::format("random-list-{}", i), random.List());
    values.emplace_back(fmt::format("random-set-{}", i), random.Set());
    values.emplace_back(fmt::format("random-zset-{}", i), random.ZSet());
    values.emplace_back(fmt::format("random-hash-{}", i), random.Hash());
    values.emplace_back(fmt::format("random-stream-{}", i), random.Stream());
    values.emplace_back(fmt::format("random-module-{}", i), random.Module());
  }
  return values;
}

TEST(DumpProperty, EveryValueReadsBackExactlyOrIsAnError) {
  const auto values = AllValues();
  for (int version : AllVersions()) {
    size_t encoded = 0;
    for (const auto& [name, value] : values) {
      auto payload = EncodeDumpPayload(value, version);
      if (!payload.ok()) continue;
      ++encoded;
      auto back = DecodeDumpPayload(*payload);
      ASSERT_TRUE(back.ok()) << name << " v" << version << ": the decoder refuses what the "
                             << "encoder wrote: " << back.message();
      ASSERT_TRUE(ValuesEqual(value, back->value)) << name << " v" << version;
    }
    EXPECT_GT(encoded, values.size() / 3) << "v" << version << ": nearly everything refused";
  }
}

TEST(DumpProperty, WhatTheVersionCanCarryIsNotRefused) {
  // Strings, lists, sets, sorted sets (no NaN) and hashes without TTLs fit every version;
  // streams whose metadata is what RDB 9 derives fit 9 and up.
  for (int version : AllVersions()) {
    for (const SampleValue& s : SampleValues()) {
      if (s.min_version > version || std::holds_alternative<data::Stream>(s.value)) continue;
      auto payload = EncodeDumpPayload(s.value, version);
      EXPECT_TRUE(payload.ok()) << s.name << " v" << version << ": " << payload.message();
    }
  }
  data::Stream derived;
  derived.entries[{5, 1}] = {{"f", "v"}};
  derived.last_id = {5, 1};
  derived.first_id = {5, 1};
  derived.entries_added = 1;
  for (int version : {9, 10, 11, 12, kValkeyVersion}) {
    auto payload = EncodeDumpPayload(derived, version);
    EXPECT_TRUE(payload.ok()) << "v" << version << ": " << payload.message();
  }
}

}  // namespace
}  // namespace conformance::rdb::testing
