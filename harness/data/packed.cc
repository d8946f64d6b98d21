#include "harness/data/packed.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>
#include <vector>

namespace conformance::data {

void AppendPackedVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void AppendPackedBytes(std::string* out, std::string_view bytes) {
  AppendPackedVarint(out, bytes.size());
  out->append(bytes);
}

void AppendPackedScore(std::string* out, double score) {
  uint64_t bits = std::bit_cast<uint64_t>(score);
  for (int i = 0; i < 8; ++i, bits >>= 8) out->push_back(static_cast<char>(bits & 0xff));
}

namespace {

// Sorted pointers into a container's keys: the canonical order of sets, hashes and zsets.
template <typename Container, typename KeyOf>
std::vector<typename Container::const_pointer> SortedBy(const Container& items, KeyOf key_of) {
  std::vector<typename Container::const_pointer> sorted;
  sorted.reserve(items.size());
  for (const auto& item : items) sorted.push_back(&item);
  std::sort(sorted.begin(), sorted.end(),
            [&](auto* a, auto* b) { return key_of(*a) < key_of(*b); });
  return sorted;
}

bool PackHash(const Hash& hash, std::string* out) {
  for (const auto& [field, value] : hash) {
    if (value.expire_at_ms != HashField::kNoExpiry) return false;
  }
  AppendPackedVarint(out, hash.size());
  for (const auto* item : SortedBy(hash, [](const auto& pair) -> const std::string& {
         return pair.first;
       })) {
    AppendPackedBytes(out, item->first);
    AppendPackedBytes(out, item->second.value);
  }
  return true;
}

}  // namespace

bool Pack(const Value& value, std::string* out) {
  return std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, String>) {
          out->append(v);
          return true;
        } else if constexpr (std::is_same_v<T, List>) {
          AppendPackedVarint(out, v.size());
          for (const std::string& item : v) AppendPackedBytes(out, item);
          return true;
        } else if constexpr (std::is_same_v<T, Set>) {
          AppendPackedVarint(out, v.size());
          for (const std::string* member :
               SortedBy(v, [](const std::string& s) -> const std::string& { return s; })) {
            AppendPackedBytes(out, *member);
          }
          return true;
        } else if constexpr (std::is_same_v<T, ZSet>) {
          const auto& scores = v.scores();
          AppendPackedVarint(out, scores.size());
          for (const auto* item : SortedBy(scores, [](const auto& pair) -> const std::string& {
                 return pair.first;
               })) {
            AppendPackedBytes(out, item->first);
            AppendPackedScore(out, item->second);
          }
          return true;
        } else if constexpr (std::is_same_v<T, Hash>) {
          return PackHash(v, out);
        } else {
          return false;  // streams and module values
        }
      },
      value);
}

std::string_view PackedReader::ReadBytes() {
  const uint64_t length = ReadVarint();
  std::string_view bytes = bytes_.substr(offset_, length);
  offset_ += bytes.size();
  return bytes;
}

double PackedReader::ReadScore() {
  uint64_t bits = 0;
  for (int i = 0; i < 8 && offset_ < bytes_.size(); ++i) {
    bits |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[offset_++])) << (8 * i);
  }
  return std::bit_cast<double>(bits);
}

uint64_t PackedReader::ReadVarint() {
  uint64_t value = 0;
  for (int shift = 0; offset_ < bytes_.size() && shift < 64; shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes_[offset_++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  return value;
}

Value Unpack(ValueType type, std::string_view bytes) {
  if (type == ValueType::kString) return String(bytes);
  PackedReader reader(bytes);
  const uint64_t count = reader.ReadCount();
  switch (type) {
    case ValueType::kList: {
      List list;
      for (uint64_t i = 0; i < count; ++i) list.emplace_back(reader.ReadBytes());
      return list;
    }
    case ValueType::kSet: {
      Set set;
      set.reserve(count);
      for (uint64_t i = 0; i < count; ++i) set.emplace(reader.ReadBytes());
      return set;
    }
    case ValueType::kZSet: {
      ZSet zset;
      for (uint64_t i = 0; i < count; ++i) {
        const std::string member(reader.ReadBytes());
        zset.Insert(member, reader.ReadScore());
      }
      return zset;
    }
    case ValueType::kHash: {
      Hash hash;
      hash.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        std::string field(reader.ReadBytes());
        hash.emplace(std::move(field), HashField{std::string(reader.ReadBytes())});
      }
      return hash;
    }
    default:
      return String();  // no other type packs
  }
}

uint64_t PackedSize(ValueType type, std::string_view bytes) {
  if (type == ValueType::kString) return bytes.size();
  return PackedReader(bytes).ReadCount();
}

}  // namespace conformance::data
