// Internal to the RDB codec: builds data/packed.h's canonical form straight from the elements
// the reader decodes (listpack, ziplist, zipmap, intset, quicklist nodes, and plain
// count-prefixed collections), for handlers that take packed values (Handler::TakesPacked): no
// data::Value and no string per element. Members
// of sets, hashes and sorted sets are copied into one reused arena and sorted when the value is
// finished. A repeated member or field is refused as it arrives, with the words the per-key
// path (data::Value) uses, so that both paths report the same error at the same offset, also
// when the value is truncated after the repeat.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/result.h"
#include "harness/data/value.h"
#include "harness/rdb/compact_item.h"

namespace conformance::rdb {

class CompactPacker {
 public:
  // Starts a value of this type (string, list, set, zset or hash without field TTLs).
  void Start(data::ValueType type);
  // A string value: its bytes.
  void SetString(std::string_view bytes);
  // Each Add refuses a repeated set member, hash field or sorted set member (the first repeat in
  // input order).
  // List elements or set members, one per item.
  Status AddElements(const std::vector<CompactItem>& items);
  // One list element or set member.
  Status AddElement(std::string_view bytes);
  // Set members stored as integers (intset).
  Status AddIntegers(const std::vector<int64_t>& integers);
  // One hash field with its value.
  Status AddField(std::string_view field, std::string_view value);
  // One sorted set member with its score.
  Status AddScored(std::string_view member, double score);
  // Hash (field, value) or sorted set (member, score) pairs: an even number of items. A score
  // that is not a number is an error naming it.
  Status AddPairs(const std::vector<CompactItem>& items);
  // Elements (members, fields) added so far.
  uint64_t size() const { return count_; }
  // Sorts and writes the packed form.
  void Finish();

  data::ValueType type() const { return type_; }
  // The packed value; valid after Finish until the next Start.
  std::string_view bytes() const { return out_; }

 private:
  // A member or field in arena_, with its value (hash) or score (zset).
  struct Element {
    uint32_t offset = 0;
    uint32_t size = 0;
    uint32_t value_offset = 0;
    uint32_t value_size = 0;
    double score = 0;
  };

  std::string_view Bytes(uint32_t offset, uint32_t size) const {
    return std::string_view(arena_).substr(offset, size);
  }
  // Appends to arena_; returns (offset, size).
  std::pair<uint32_t, uint32_t> Keep(const CompactItem& item);
  std::pair<uint32_t, uint32_t> Keep(std::string_view bytes);
  // Adds the element to elements_, or refuses it (and forgets its bytes) if its name repeats.
  Status Add(const Element& element);
  // Places elements_[index] in slots_; false if an equal name is there already.
  bool Place(uint32_t index);

  data::ValueType type_ = data::ValueType::kString;
  uint64_t count_ = 0;
  std::string list_body_;  // lists: elements already in packed form, in order
  std::string arena_;      // sets, hashes, zsets: element bytes until Finish sorts them
  std::vector<Element> elements_;
  // Open addressing over elements_ by name: 0 = empty, else index + 1.
  std::vector<uint32_t> slots_;
  std::string out_;
};

}  // namespace conformance::rdb
