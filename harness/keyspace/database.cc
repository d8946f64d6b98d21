#include "harness/keyspace/database.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "harness/data/packed.h"

namespace conformance::keyspace {

// The header of a key's allocation, followed by the key's bytes and then the value area: the
// packed bytes, or a data::Entry* (the value area always has room for one).
struct Database::Node {
  uint32_t hash = 0;
  uint32_t key_size = 0;
  uint32_t value_size = 0;  // packed bytes; 0 when unpacked
  data::ValueType type = data::ValueType::kString;
  bool packed = false;
  int64_t expire_at_ms = data::Entry::kNoExpiry;  // packed only: an unpacked entry has its own

  char* key_bytes() { return reinterpret_cast<char*>(this + 1); }
  const char* key_bytes() const { return reinterpret_cast<const char*>(this + 1); }
  char* value_bytes() { return key_bytes() + key_size; }
  const char* value_bytes() const { return key_bytes() + key_size; }
  std::string_view key() const { return {key_bytes(), key_size}; }

  data::Entry* entry() const {
    data::Entry* entry = nullptr;
    std::memcpy(&entry, value_bytes(), sizeof(entry));
    return entry;
  }
  void set_entry(data::Entry* entry) { std::memcpy(value_bytes(), &entry, sizeof(entry)); }
};

namespace {

using Node = Database::Node;

constexpr size_t kMinCapacity = 16;
// Node sizes are 32-bit: a larger value stays unpacked. Keys are far shorter (the RDB reader
// and the RESP decoder refuse strings over 512 MB).
constexpr size_t kMaxPackedSize = UINT32_MAX;

uint32_t HashKey(std::string_view key) {
  const uint64_t h = std::hash<std::string_view>{}(key);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

size_t AllocationSize(size_t key_size, size_t value_size) {
  return sizeof(Node) + key_size + std::max(value_size, sizeof(data::Entry*));
}

Node* NewNode(std::string_view key, uint32_t hash, size_t value_size) {
  void* memory = ::operator new(AllocationSize(key.size(), value_size));
  Node* node = new (memory) Node;
  node->hash = hash;
  node->key_size = static_cast<uint32_t>(key.size());
  std::memcpy(node->key_bytes(), key.data(), key.size());
  return node;
}

Node* NewUnpacked(std::string_view key, uint32_t hash, std::unique_ptr<data::Entry> entry) {
  Node* node = NewNode(key, hash, 0);
  node->type = data::TypeOf(entry->value);
  node->set_entry(entry.release());
  return node;
}

Node* NewPacked(std::string_view key, uint32_t hash, data::ValueType type,
                std::string_view packed, int64_t expire_at_ms) {
  Node* node = NewNode(key, hash, packed.size());
  node->type = type;
  node->packed = true;
  node->value_size = static_cast<uint32_t>(packed.size());
  node->expire_at_ms = expire_at_ms;
  std::memcpy(node->value_bytes(), packed.data(), packed.size());
  return node;
}

Node* CopyNode(const Node* node) {
  if (node->packed) {
    return NewPacked(node->key(), node->hash, node->type,
                     std::string_view(node->value_bytes(), node->value_size),
                     node->expire_at_ms);
  }
  return NewUnpacked(node->key(), node->hash, std::make_unique<data::Entry>(*node->entry()));
}

void FreeNode(Node* node) {
  if (!node->packed) delete node->entry();
  node->~Node();
  ::operator delete(node);
}

// Unpacks a node's value in place; its allocation keeps its size.
data::Entry* UnpackNode(Node* node) {
  if (!node->packed) return node->entry();
  auto entry = std::make_unique<data::Entry>();
  entry->value = data::Unpack(node->type, std::string_view(node->value_bytes(), node->value_size));
  entry->expire_at_ms = node->expire_at_ms;
  node->packed = false;
  node->value_size = 0;
  node->set_entry(entry.get());
  return entry.release();
}

}  // namespace

std::string_view Database::View::key() const { return node_->key(); }

data::ValueType Database::View::type() const {
  return node_->packed ? node_->type : data::TypeOf(node_->entry()->value);
}

int64_t Database::View::expire_at_ms() const {
  return node_->packed ? node_->expire_at_ms : node_->entry()->expire_at_ms;
}

bool Database::View::packed() const { return node_->packed; }

std::string_view Database::View::packed_bytes() const {
  return node_->packed ? std::string_view(node_->value_bytes(), node_->value_size)
                       : std::string_view();
}

const data::Entry* Database::View::unpacked() const {
  return node_->packed ? nullptr : node_->entry();
}

data::Entry Database::View::Copy() const {
  if (!node_->packed) return *node_->entry();
  data::Entry entry;
  entry.value = data::Unpack(node_->type, packed_bytes());
  entry.expire_at_ms = node_->expire_at_ms;
  return entry;
}

Database::~Database() { Clear(); }

Database::Database(const Database& other) { *this = other; }

Database& Database::operator=(const Database& other) {
  if (this == &other) return *this;
  Clear();
  slots_.assign(other.slots_.size(), nullptr);
  tags_ = other.tags_;
  for (size_t i = 0; i < other.slots_.size(); ++i) {
    if (other.slots_[i] != nullptr) slots_[i] = CopyNode(other.slots_[i]);
  }
  size_ = other.size_;
  return *this;
}

Database::Database(Database&& other) noexcept
    : slots_(std::move(other.slots_)),
      tags_(std::move(other.tags_)),
      size_(std::exchange(other.size_, 0)) {
  other.slots_.clear();
  other.tags_.clear();
}

Database& Database::operator=(Database&& other) noexcept {
  if (this == &other) return *this;
  Clear();
  slots_ = std::move(other.slots_);
  tags_ = std::move(other.tags_);
  other.slots_.clear();
  other.tags_.clear();
  size_ = std::exchange(other.size_, 0);
  return *this;
}

void Database::Reserve(size_t keys) {
  size_t capacity = kMinCapacity;
  while (capacity / 8 * 7 < keys) capacity *= 2;
  if (capacity > slots_.size()) Rehash(capacity);
}

void Database::Clear() {
  for (Node* node : slots_) {
    if (node != nullptr) FreeNode(node);
  }
  slots_.clear();
  slots_.shrink_to_fit();
  tags_.clear();
  tags_.shrink_to_fit();
  size_ = 0;
}

size_t Database::SlotFor(std::string_view key, uint32_t hash) const {
  if (slots_.empty()) return kNotFound;
  const size_t mask = slots_.size() - 1;
  const uint8_t tag = Tag(hash);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (tags_[i] == 0) return kNotFound;
    if (tags_[i] != tag) continue;
    const Node* node = slots_[i];
    if (node->hash == hash && node->key() == key) return i;
  }
}

size_t Database::Slot(std::string_view key) const { return SlotFor(key, HashKey(key)); }

data::Entry* Database::Find(std::string_view key) {
  const size_t slot = Slot(key);
  return slot == kNotFound ? nullptr : UnpackNode(slots_[slot]);
}

const data::Entry* Database::Find(std::string_view key) const {
  const size_t slot = Slot(key);
  return slot == kNotFound ? nullptr : UnpackNode(slots_[slot]);
}

std::optional<Database::View> Database::Lookup(std::string_view key) const {
  const size_t slot = Slot(key);
  if (slot == kNotFound) return std::nullopt;
  return View(slots_[slot]);
}

void Database::Insert(Node* node) {
  if ((size_ + 1) * 8 > slots_.size() * 7) Rehash(std::max(kMinCapacity, slots_.size() * 2));
  const size_t mask = slots_.size() - 1;
  size_t i = node->hash & mask;
  while (tags_[i] != 0) i = (i + 1) & mask;
  slots_[i] = node;
  tags_[i] = Tag(node->hash);
  ++size_;
}

void Database::Rehash(size_t capacity) {
  std::vector<Node*> old = std::move(slots_);
  slots_.assign(capacity, nullptr);
  tags_.assign(capacity, 0);
  const size_t mask = capacity - 1;
  for (Node* node : old) {
    if (node == nullptr) continue;
    size_t i = node->hash & mask;
    while (tags_[i] != 0) i = (i + 1) & mask;
    slots_[i] = node;
    tags_[i] = Tag(node->hash);
  }
}

// Backward-shift deletion: later nodes of the probe run move up, so no tombstones are needed.
void Database::RemoveSlot(size_t slot) {
  const size_t mask = slots_.size() - 1;
  size_t hole = slot;
  slots_[hole] = nullptr;
  tags_[hole] = 0;
  for (size_t i = (hole + 1) & mask; tags_[i] != 0; i = (i + 1) & mask) {
    const size_t home = slots_[i]->hash & mask;
    // The node at i may fill the hole unless its home lies cyclically in (hole, i].
    const bool home_after_hole = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (home_after_hole) continue;
    slots_[hole] = slots_[i];
    tags_[hole] = tags_[i];
    slots_[i] = nullptr;
    tags_[i] = 0;
    hole = i;
  }
  --size_;
}

void Database::Replace(std::string_view key, Node* node) {
  const size_t slot = SlotFor(key, node->hash);
  if (slot == kNotFound) {
    Insert(node);
    return;
  }
  FreeNode(slots_[slot]);
  slots_[slot] = node;
}

std::pair<data::Entry*, bool> Database::FindOrInsert(std::string_view key) {
  const uint32_t hash = HashKey(key);
  const size_t slot = SlotFor(key, hash);
  if (slot != kNotFound) return {UnpackNode(slots_[slot]), false};
  Node* node = NewUnpacked(key, hash, std::make_unique<data::Entry>());
  Insert(node);
  return {node->entry(), true};
}

void Database::Set(std::string_view key, data::Entry entry) {
  const uint32_t hash = HashKey(key);
  const data::ValueType type = data::TypeOf(entry.value);
  const auto* string = std::get_if<data::String>(&entry.value);
  if (string != nullptr && string->size() <= kMaxPackedSize) {  // packs to its own bytes
    Replace(key, NewPacked(key, hash, type, *string, entry.expire_at_ms));
    return;
  }
  pack_buffer_.clear();
  if (string == nullptr && data::Pack(entry.value, &pack_buffer_) &&
      pack_buffer_.size() <= kMaxPackedSize) {
    Replace(key, NewPacked(key, hash, type, pack_buffer_, entry.expire_at_ms));
  } else {
    Replace(key, NewUnpacked(key, hash, std::make_unique<data::Entry>(std::move(entry))));
  }
}

void Database::SetPacked(std::string_view key, data::ValueType type, std::string_view packed,
                         int64_t expire_at_ms) {
  if (packed.size() > kMaxPackedSize) {
    Set(key, data::Entry{data::Unpack(type, packed), expire_at_ms});
    return;
  }
  Replace(key, NewPacked(key, HashKey(key), type, packed, expire_at_ms));
}

data::Entry* Database::Assign(std::string_view key, data::Entry entry) {
  Node* node = NewUnpacked(key, HashKey(key), std::make_unique<data::Entry>(std::move(entry)));
  Replace(key, node);
  return node->entry();
}

bool Database::Erase(std::string_view key) {
  const size_t slot = Slot(key);
  if (slot == kNotFound) return false;
  Node* node = slots_[slot];
  RemoveSlot(slot);
  FreeNode(node);
  return true;
}

std::optional<data::Entry> Database::Take(std::string_view key) {
  const size_t slot = Slot(key);
  if (slot == kNotFound) return std::nullopt;
  Node* node = slots_[slot];
  data::Entry entry = std::move(*UnpackNode(node));
  RemoveSlot(slot);
  FreeNode(node);
  return entry;
}

void Database::ForEach(const std::function<void(const View&)>& visit) const {
  for (const Node* node : slots_) {
    if (node != nullptr) visit(View(node));
  }
}

std::vector<Database::View> Database::SortedViews() const {
  std::vector<View> views;
  views.reserve(size_);
  ForEach([&](const View& view) { views.push_back(view); });
  std::sort(views.begin(), views.end(),
            [](const View& a, const View& b) { return a.key() < b.key(); });
  return views;
}

std::vector<std::pair<std::string, data::Entry>> Database::Entries() const {
  std::vector<std::pair<std::string, data::Entry>> entries;
  entries.reserve(size_);
  for (const View& view : SortedViews()) entries.emplace_back(view.key(), view.Copy());
  return entries;
}

}  // namespace conformance::keyspace
