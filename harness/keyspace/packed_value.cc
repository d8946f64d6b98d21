#include "harness/keyspace/packed_value.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>
#include <vector>

namespace conformance::keyspace {

namespace {

void AppendVarint(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void AppendBytes(std::string* out, std::string_view bytes) {
  AppendVarint(out, bytes.size());
  out->append(bytes);
}

void AppendScore(std::string* out, double score) {
  uint64_t bits = std::bit_cast<uint64_t>(score);
  for (int i = 0; i < 8; ++i, bits >>= 8) out->push_back(static_cast<char>(bits & 0xff));
}

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

bool PackHash(const data::Hash& hash, std::string* out) {
  for (const auto& [field, value] : hash) {
    if (value.expire_at_ms != data::HashField::kNoExpiry) return false;
  }
  AppendVarint(out, hash.size());
  for (const auto* item : SortedBy(hash, [](const auto& pair) -> const std::string& {
         return pair.first;
       })) {
    AppendBytes(out, item->first);
    AppendBytes(out, item->second.value);
  }
  return true;
}

}  // namespace

bool Pack(const data::Value& value, std::string* out) {
  return std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, data::String>) {
          out->append(v);
          return true;
        } else if constexpr (std::is_same_v<T, data::List>) {
          AppendVarint(out, v.size());
          for (const std::string& item : v) AppendBytes(out, item);
          return true;
        } else if constexpr (std::is_same_v<T, data::Set>) {
          AppendVarint(out, v.size());
          for (const std::string* member :
               SortedBy(v, [](const std::string& s) -> const std::string& { return s; })) {
            AppendBytes(out, *member);
          }
          return true;
        } else if constexpr (std::is_same_v<T, data::ZSet>) {
          const auto& scores = v.scores();
          AppendVarint(out, scores.size());
          for (const auto* item : SortedBy(scores, [](const auto& pair) -> const std::string& {
                 return pair.first;
               })) {
            AppendBytes(out, item->first);
            AppendScore(out, item->second);
          }
          return true;
        } else if constexpr (std::is_same_v<T, data::Hash>) {
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

data::Value Unpack(data::ValueType type, std::string_view bytes) {
  if (type == data::ValueType::kString) return data::String(bytes);
  PackedReader reader(bytes);
  const uint64_t count = reader.ReadCount();
  switch (type) {
    case data::ValueType::kList: {
      data::List list;
      for (uint64_t i = 0; i < count; ++i) list.emplace_back(reader.ReadBytes());
      return list;
    }
    case data::ValueType::kSet: {
      data::Set set;
      set.reserve(count);
      for (uint64_t i = 0; i < count; ++i) set.emplace(reader.ReadBytes());
      return set;
    }
    case data::ValueType::kZSet: {
      data::ZSet zset;
      for (uint64_t i = 0; i < count; ++i) {
        const std::string member(reader.ReadBytes());
        zset.Insert(member, reader.ReadScore());
      }
      return zset;
    }
    case data::ValueType::kHash: {
      data::Hash hash;
      hash.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        std::string field(reader.ReadBytes());
        hash.emplace(std::move(field), data::HashField{std::string(reader.ReadBytes())});
      }
      return hash;
    }
    default:
      return data::String();  // no other type packs
  }
}

uint64_t PackedSize(data::ValueType type, std::string_view bytes) {
  if (type == data::ValueType::kString) return bytes.size();
  return PackedReader(bytes).ReadCount();
}

}  // namespace conformance::keyspace
