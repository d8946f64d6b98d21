// One database of the keyspace model: key -> entry, kept small enough that a model of a
// server's keyspace costs no more memory than the server itself.
//
// Each key is one allocation holding the key, its expiry and its value in the packed form of
// data/packed.h (what Set stores: values loaded from an RDB). A value commands work on is
// unpacked in place the first time it is looked up with Find, and stays unpacked: pointers
// from Find and FindOrInsert stay valid until that key is erased, overwritten, or the database
// cleared, whatever happens to other keys (like std::unordered_map's). The table is open
// addressing with linear probing over node pointers, with a byte of each key's hash beside
// each slot so that probing reads one contiguous array and touches a node only on a likely
// match.
//
// Comparisons and digests read packed values without unpacking them (View).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/data/value.h"

namespace conformance::keyspace {

class Database {
 public:
  struct Node;

  // A stored entry as it is, packed or not; valid while the key is unchanged.
  class View {
   public:
    explicit View(const Node* node) : node_(node) {}
    std::string_view key() const;
    data::ValueType type() const;
    int64_t expire_at_ms() const;
    bool packed() const;
    std::string_view packed_bytes() const;  // packed only
    const data::Entry* unpacked() const;    // nullptr when packed
    data::Entry Copy() const;               // the entry, unpacked into a new value

   private:
    const Node* node_;
  };

  Database() = default;
  ~Database();
  Database(const Database& other);
  Database& operator=(const Database& other);
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Makes room for `keys` keys without rehashing (an RDB's RESIZEDB announces them).
  void Reserve(size_t keys);
  void Clear();

  bool Contains(std::string_view key) const { return Slot(key) != kNotFound; }
  // The key's entry, unpacked so it can be read or changed; nullptr when missing. The const
  // form also unpacks (the stored form changes, the entry does not).
  data::Entry* Find(std::string_view key);
  const data::Entry* Find(std::string_view key) const;
  // The key's entry as stored, without unpacking it.
  std::optional<View> Lookup(std::string_view key) const;

  // The key's entry, a new empty one (a default data::Entry) when missing; .second is true
  // when it was inserted.
  std::pair<data::Entry*, bool> FindOrInsert(std::string_view key);
  // Stores an entry as loading does, packed when its value has a packed form.
  void Set(std::string_view key, data::Entry entry);
  // Stores a value already in packed form (data/packed.h; the RDB reader decodes into it).
  void SetPacked(std::string_view key, data::ValueType type, std::string_view packed,
                 int64_t expire_at_ms);
  // Stores an entry unpacked (commands change it next) and returns it.
  data::Entry* Assign(std::string_view key, data::Entry entry);
  bool Erase(std::string_view key);
  // Removes the key and hands its entry over.
  std::optional<data::Entry> Take(std::string_view key);

  // Visits every key in table order (no particular order).
  void ForEach(const std::function<void(const View&)>& visit) const;
  // Every key, sorted bytewise; the views stay valid while the database is unchanged.
  std::vector<View> SortedViews() const;
  // Every key with a copy of its entry, sorted by key: for tests and small databases.
  std::vector<std::pair<std::string, data::Entry>> Entries() const;

 private:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  size_t Slot(std::string_view key) const;
  size_t SlotFor(std::string_view key, uint32_t hash) const;
  void Insert(Node* node);  // key known absent; grows the table as needed
  void RemoveSlot(size_t slot);
  void Rehash(size_t capacity);
  void Replace(std::string_view key, Node* node);

  static uint8_t Tag(uint32_t hash) { return static_cast<uint8_t>(0x80 | (hash >> 25)); }

  std::vector<Node*> slots_;   // a power of two in size, or empty
  std::vector<uint8_t> tags_;  // per slot: 0 when empty, else Tag(hash)
  size_t size_ = 0;
  std::string pack_buffer_;  // Set's scratch, kept to spare an allocation per key; never copied
};

}  // namespace conformance::keyspace
