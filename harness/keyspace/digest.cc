// ComputeDigest: see the scheme in keyspace.h. SipHash-1-3 with a 128-bit output, fixed keys;
// implemented here from the published algorithm (Aumasson and Bernstein).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

#include "harness/keyspace/keyspace.h"
#include "harness/data/packed.h"

namespace conformance::keyspace {

std::string Hash128::ToHex() const { return fmt::format("{:016x}{:016x}", high, low); }

namespace {

constexpr uint64_t kKey0 = 0x636f6e666f726d61ULL;  // "conforma"
constexpr uint64_t kKey1 = 0x6e63656b65797370ULL;  // "nceKeysp"

// Streaming SipHash-1-3 (one compression round, three finalization rounds), 128-bit output.
class Hasher {
 public:
  Hasher()
      : v0_(kKey0 ^ 0x736f6d6570736575ULL),
        v1_(kKey1 ^ 0x646f72616e646f6dULL ^ 0xee),
        v2_(kKey0 ^ 0x6c7967656e657261ULL),
        v3_(kKey1 ^ 0x7465646279746573ULL) {}

  void AddU64(uint64_t value) {
    total_ += 8;
    AddWord(value);
  }
  void AddI64(int64_t value) { AddU64(static_cast<uint64_t>(value)); }
  void AddDouble(double value) { AddU64(std::bit_cast<uint64_t>(value)); }
  void AddHash(const Hash128& h) {
    AddU64(h.high);
    AddU64(h.low);
  }
  // Length-prefixed, so adjacent strings cannot run into each other.
  void AddBytes(std::string_view bytes) {
    AddU64(bytes.size());
    Update(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }

  Hash128 Finish() const {
    uint64_t v0 = v0_, v1 = v1_, v2 = v2_, v3 = v3_;
    const uint64_t last = (static_cast<uint64_t>(total_) << 56) | tail_;
    v3 ^= last;
    Round(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xee;
    for (int i = 0; i < 3; ++i) Round(v0, v1, v2, v3);
    Hash128 out;
    out.low = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xdd;
    for (int i = 0; i < 3; ++i) Round(v0, v1, v2, v3);
    out.high = v0 ^ v1 ^ v2 ^ v3;
    return out;
  }

 private:
  static void Round(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
    v0 += v1;
    v1 = std::rotl(v1, 13);
    v1 ^= v0;
    v0 = std::rotl(v0, 32);
    v2 += v3;
    v3 = std::rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = std::rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = std::rotl(v1, 17);
    v1 ^= v2;
    v2 = std::rotl(v2, 32);
  }

  void Compress(uint64_t m) {
    v3_ ^= m;
    Round(v0_, v1_, v2_, v3_);
    v0_ ^= m;
  }

  // Feeds 8 bytes (little-endian) after whatever partial word is pending.
  void AddWord(uint64_t word) {
    if (tail_len_ == 0) {
      Compress(word);
      return;
    }
    const unsigned shift = 8 * static_cast<unsigned>(tail_len_);
    Compress(tail_ | (word << shift));
    tail_ = word >> (64 - shift);
  }

  static uint64_t LoadLittleEndian(const unsigned char* p, size_t n) {
    uint64_t word = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&word, p, n);
    } else {
      for (size_t b = 0; b < n; ++b) word |= static_cast<uint64_t>(p[b]) << (8 * b);
    }
    return word;
  }

  void Update(const unsigned char* data, size_t n) {
    total_ += n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) AddWord(LoadLittleEndian(data + i, 8));
    const size_t rest = n - i;
    if (rest == 0) return;
    const uint64_t word = LoadLittleEndian(data + i, rest);
    const size_t room = 8 - tail_len_;
    if (rest < room) {
      tail_ |= word << (8 * tail_len_);
      tail_len_ += rest;
      return;
    }
    // Completes the pending word and keeps the remainder.
    Compress(tail_ | (word << (8 * tail_len_)));
    tail_ = room == 8 ? 0 : word >> (8 * room);
    tail_len_ = rest - room;
  }

  uint64_t v0_, v1_, v2_, v3_;
  uint64_t tail_ = 0;
  size_t tail_len_ = 0;
  size_t total_ = 0;
};

void Accumulate(Hash128& sum, const Hash128& h) {
  sum.high += h.high;
  sum.low += h.low;
}

// Per-type tags, so a one-member set never collides with a one-field hash.
enum Tag : uint64_t { kString = 1, kList, kSet, kZSet, kHash, kStream, kModule };

void HashStream(Hasher& h, const data::Stream& stream) {
  h.AddU64(kStream);
  h.AddU64(stream.entries.size());
  for (const auto& [id, fields] : stream.entries) {
    h.AddU64(id.ms);
    h.AddU64(id.seq);
    h.AddU64(fields.size());
    for (const auto& [field, value] : fields) {
      h.AddBytes(field);
      h.AddBytes(value);
    }
  }
  h.AddU64(stream.last_id.ms);
  h.AddU64(stream.last_id.seq);
  h.AddU64(stream.max_deleted_id.ms);
  h.AddU64(stream.max_deleted_id.seq);
  h.AddU64(stream.entries_added);
  // Groups, their pending entries and consumers in a canonical order, whatever the input's.
  std::vector<const data::StreamGroup*> groups;
  for (const data::StreamGroup& g : stream.groups) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return a->name < b->name; });
  h.AddU64(groups.size());
  for (const data::StreamGroup* g : groups) {
    h.AddBytes(g->name);
    h.AddU64(g->last_delivered.ms);
    h.AddU64(g->last_delivered.seq);
    h.AddI64(g->entries_read);
    std::vector<const data::StreamPendingEntry*> pending;
    for (const auto& p : g->pending) pending.push_back(&p);
    std::sort(pending.begin(), pending.end(), [](auto* a, auto* b) { return a->id < b->id; });
    h.AddU64(pending.size());
    for (const data::StreamPendingEntry* p : pending) {
      h.AddU64(p->id.ms);
      h.AddU64(p->id.seq);
      h.AddBytes(p->consumer);
      h.AddI64(p->delivery_time_ms);
      h.AddU64(p->delivery_count);
    }
    std::vector<std::string_view> consumers;
    for (const auto& c : g->consumers) consumers.push_back(c.name);
    std::sort(consumers.begin(), consumers.end());
    h.AddU64(consumers.size());
    for (std::string_view name : consumers) h.AddBytes(name);  // seen/active times excluded
  }
}

void HashValue(Hasher& h, const data::Value& value) {
  std::visit(
      [&h](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, data::String>) {
          h.AddU64(kString);
          h.AddBytes(v);
        } else if constexpr (std::is_same_v<T, data::List>) {
          h.AddU64(kList);
          h.AddU64(v.size());
          for (const std::string& item : v) h.AddBytes(item);
        } else if constexpr (std::is_same_v<T, data::Set>) {
          Hash128 sum;
          for (const std::string& member : v) {
            Hasher e;
            e.AddBytes(member);
            Accumulate(sum, e.Finish());
          }
          h.AddU64(kSet);
          h.AddU64(v.size());
          h.AddHash(sum);
        } else if constexpr (std::is_same_v<T, data::ZSet>) {
          Hash128 sum;
          for (const auto& [member, score] : v.scores()) {
            Hasher e;
            e.AddBytes(member);
            e.AddDouble(score);
            Accumulate(sum, e.Finish());
          }
          h.AddU64(kZSet);
          h.AddU64(v.size());
          h.AddHash(sum);
        } else if constexpr (std::is_same_v<T, data::Hash>) {
          Hash128 sum;
          for (const auto& [field, f] : v) {
            Hasher e;
            e.AddBytes(field);
            e.AddBytes(f.value);
            e.AddI64(f.expire_at_ms);
            Accumulate(sum, e.Finish());
          }
          h.AddU64(kHash);
          h.AddU64(v.size());
          h.AddHash(sum);
        } else if constexpr (std::is_same_v<T, data::Stream>) {
          HashStream(h, v);
        } else {
          static_assert(std::is_same_v<T, data::ModuleValue>);
          h.AddU64(kModule);
          h.AddU64(v.module_id);
          h.AddBytes(v.raw);
        }
      },
      value);
}

// The same hash as HashValue of the unpacked value, read straight from packed bytes.
void HashPacked(Hasher& h, data::ValueType type, std::string_view bytes) {
  if (type == data::ValueType::kString) {
    h.AddU64(kString);
    h.AddBytes(bytes);
    return;
  }
  data::PackedReader reader(bytes);
  const uint64_t count = reader.ReadCount();
  if (type == data::ValueType::kList) {
    h.AddU64(kList);
    h.AddU64(count);
    for (uint64_t i = 0; i < count; ++i) h.AddBytes(reader.ReadBytes());
    return;
  }
  Hash128 sum;
  for (uint64_t i = 0; i < count; ++i) {
    Hasher e;
    e.AddBytes(reader.ReadBytes());
    if (type == data::ValueType::kZSet) e.AddDouble(reader.ReadScore());
    if (type == data::ValueType::kHash) {
      e.AddBytes(reader.ReadBytes());
      e.AddI64(data::HashField::kNoExpiry);
    }
    Accumulate(sum, e.Finish());
  }
  h.AddU64(type == data::ValueType::kSet    ? kSet
           : type == data::ValueType::kZSet ? kZSet
                                            : kHash);
  h.AddU64(count);
  h.AddHash(sum);
}

}  // namespace

Digest Keyspace::ComputeDigest() const {
  Digest digest;
  digest.per_db.resize(dbs_.size());
  for (size_t i = 0; i < dbs_.size(); ++i) {
    Hash128& db_sum = digest.per_db[i];
    dbs_[i].ForEach([&db_sum](const Database::View& view) {
      Hasher h;
      h.AddBytes(view.key());
      h.AddI64(view.expire_at_ms());
      if (view.packed()) {
        HashPacked(h, view.type(), view.packed_bytes());
      } else {
        HashValue(h, view.unpacked()->value);
      }
      Accumulate(db_sum, h.Finish());
    });
    if (dbs_[i].empty()) continue;
    Hasher d;
    d.AddU64(i);
    d.AddU64(dbs_[i].size());
    d.AddHash(db_sum);
    Accumulate(digest.total, d.Finish());
  }
  return digest;
}

}  // namespace conformance::keyspace
