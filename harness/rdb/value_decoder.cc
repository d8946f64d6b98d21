#include "harness/rdb/value_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "harness/common/escape.h"
#include "harness/rdb/intset.h"
#include "harness/rdb/listpack.h"
#include "harness/rdb/stream_listpack.h"
#include "harness/rdb/ziplist.h"
#include "harness/rdb/zipmap.h"

namespace conformance::rdb {
namespace {

// Redis keeps hash field expiry times below 2^48 (EB_EXPIRE_TIME_MAX).
constexpr uint64_t kMaxFieldExpire = (uint64_t{1} << 48) - 1;

// Reads one unit; on a short read rewinds to its start and reports kNeedMore.
#define RDB_UNIT(...)                         \
  do {                                        \
    const size_t rdb_unit_start_ = c.pos();   \
    if (!(__VA_ARGS__)) {                     \
      if (c.has_error()) return Step::kError; \
      c.Rewind(rdb_unit_start_);              \
      return Step::kNeedMore;                 \
    }                                         \
  } while (0)

bool ItemToDouble(const CompactItem& item, double* out) {
  if (item.is_int) {
    *out = static_cast<double>(item.integer);
    return true;
  }
  return ParseScore(item.str, out);
}

bool ParseTtlString(std::string_view s, int64_t* out) {
  auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

}  // namespace

bool ValueDecoder::IsValueType(uint8_t type, Flavor /*flavor*/, int /*version*/) {
  return (type <= 7) || (type >= 9 && type <= 25) || (type >= 30 && type <= 37);
}

bool ValueDecoder::StartPacked(uint8_t type, int version) {
  using data::ValueType;
  ValueType packed_type;
  switch (static_cast<TypeId>(type)) {
    case TypeId::kString: kind_ = Kind::kString, packed_type = ValueType::kString; break;
    case TypeId::kList: kind_ = Kind::kListLinked, packed_type = ValueType::kList; break;
    case TypeId::kSet: kind_ = Kind::kSet, packed_type = ValueType::kSet; break;
    case TypeId::kZSet: kind_ = Kind::kZSetText, packed_type = ValueType::kZSet; break;
    case TypeId::kHash: kind_ = Kind::kHash, packed_type = ValueType::kHash; break;
    case TypeId::kZSet2: kind_ = Kind::kZSetBinary, packed_type = ValueType::kZSet; break;
    case TypeId::kHashZipmap: kind_ = Kind::kZipmap, packed_type = ValueType::kHash; break;
    case TypeId::kListZiplist: kind_ = Kind::kListZiplist, packed_type = ValueType::kList; break;
    case TypeId::kSetIntset: kind_ = Kind::kIntset, packed_type = ValueType::kSet; break;
    case TypeId::kZSetZiplist: kind_ = Kind::kZSetZiplist, packed_type = ValueType::kZSet; break;
    case TypeId::kHashZiplist: kind_ = Kind::kHashZiplist, packed_type = ValueType::kHash; break;
    case TypeId::kListQuicklist: kind_ = Kind::kQuicklist, packed_type = ValueType::kList; break;
    case TypeId::kListQuicklist2: kind_ = Kind::kQuicklist2, packed_type = ValueType::kList; break;
    case TypeId::kHashListpack: kind_ = Kind::kHashListpack, packed_type = ValueType::kHash; break;
    case TypeId::kZSetListpack: kind_ = Kind::kZSetListpack, packed_type = ValueType::kZSet; break;
    case TypeId::kSetListpack:
      if (version < 10) return false;  // Dragonfly's JSON (see Start)
      kind_ = Kind::kSetListpack, packed_type = ValueType::kSet;
      break;
    default: return false;
  }
  packer_.Start(packed_type);
  return true;
}

void ValueDecoder::Start(uint8_t type, Flavor flavor, int version, std::string_view key,
                         bool dump, bool pack) {
  type_ = type;
  version_ = version;
  key_ = key;
  dump_ = dump;
  phase_ = 0;
  remaining_ = 0;
  packing_ = pack && StartPacked(type, version);
  if (packing_) return;
  switch (static_cast<TypeId>(type)) {
    case TypeId::kString:
      kind_ = Kind::kString;
      value_.emplace<data::String>();
      break;
    case TypeId::kList:
      kind_ = Kind::kListLinked;
      value_.emplace<data::List>();
      break;
    case TypeId::kSet:
      kind_ = Kind::kSet;
      value_.emplace<data::Set>();
      break;
    case TypeId::kZSet:
      kind_ = Kind::kZSetText;
      value_.emplace<data::ZSet>();
      break;
    case TypeId::kHash:
      kind_ = Kind::kHash;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kZSet2:
      kind_ = Kind::kZSetBinary;
      value_.emplace<data::ZSet>();
      break;
    case TypeId::kModulePreGa: kind_ = Kind::kModulePreGa; break;
    case TypeId::kModule2:
      kind_ = Kind::kModule2;
      value_.emplace<data::ModuleValue>();
      break;
    case TypeId::kHashZipmap:
      kind_ = Kind::kZipmap;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kListZiplist:
      kind_ = Kind::kListZiplist;
      value_.emplace<data::List>();
      break;
    case TypeId::kSetIntset:
      kind_ = Kind::kIntset;
      value_.emplace<data::Set>();
      break;
    case TypeId::kZSetZiplist:
      kind_ = Kind::kZSetZiplist;
      value_.emplace<data::ZSet>();
      break;
    case TypeId::kHashZiplist:
      kind_ = Kind::kHashZiplist;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kListQuicklist:
      kind_ = Kind::kQuicklist;
      value_.emplace<data::List>();
      break;
    case TypeId::kListQuicklist2:
      kind_ = Kind::kQuicklist2;
      value_.emplace<data::List>();
      break;
    case TypeId::kStreamListpacks:
    case TypeId::kStreamListpacks2:
    case TypeId::kStreamListpacks3:
      kind_ = Kind::kStream;
      stream_version_ = type == 15 ? 1 : type == 19 ? 2 : 3;
      value_.emplace<data::Stream>();
      break;
    case TypeId::kHashListpack:
      kind_ = Kind::kHashListpack;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kZSetListpack:
      kind_ = Kind::kZSetListpack;
      value_.emplace<data::ZSet>();
      break;
    case TypeId::kSetListpack:
      // Dragonfly files before RDB 10 used 20 for JSON; Redis has 20 only from RDB 11.
      if (version < 10) {
        kind_ = Kind::kDflyJson;
        value_.emplace<data::ModuleValue>();
      } else {
        kind_ = Kind::kSetListpack;
        value_.emplace<data::Set>();
      }
      break;
    case TypeId::kHashMetadataPreGa:
      kind_ = flavor == Flavor::kValkey ? Kind::kValkeyHash2 : Kind::kHashMetadata;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kHashMetadata:
      kind_ = Kind::kHashMetadata;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kHashListpackExPreGa:
    case TypeId::kHashListpackEx:
      kind_ = Kind::kHashListpackEx;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kDflyJson:
      kind_ = Kind::kDflyJson;
      value_.emplace<data::ModuleValue>();
      break;
    case TypeId::kDflyHashWithExpiry:
      kind_ = Kind::kDflyHashWithExpiry;
      value_.emplace<data::Hash>();
      break;
    case TypeId::kDflySetWithExpiry:
      kind_ = Kind::kDflySetWithExpiry;
      value_.emplace<data::Set>();
      break;
    default: kind_ = Kind::kUnsupported; break;
  }
}

void ValueDecoder::StartModuleAux() {
  kind_ = Kind::kModuleAux;
  type_ = 0;
  key_ = {};
  dump_ = false;
  phase_ = 1;  // the module id was read with the opcode
  module_raw_.clear();
}

size_t ValueDecoder::MaxItems() const {
  return static_cast<size_t>(
      std::min<uint64_t>(limits_->max_elements, std::numeric_limits<size_t>::max()));
}

bool ValueDecoder::Corrupt(Cursor& c, uint64_t at, std::string_view what) {
  if (kind_ == Kind::kModuleAux) return c.Fail(at, fmt::format("{} (module aux data)", what));
  if (dump_) {
    return c.Fail(at, fmt::format("{} (DUMP payload of type {} \"{}\")", what, type_,
                                  ToString(static_cast<TypeId>(type_))));
  }
  return c.Fail(at, fmt::format("{} (value of type {} \"{}\" for key \"{}\")", what, type_,
                                ToString(static_cast<TypeId>(type_)), EscapeBytes(key_, 64)));
}

bool ValueDecoder::CheckSize(Cursor& c, uint64_t at, size_t size) {
  if (size >= limits_->max_elements) {
    return Corrupt(c, at, fmt::format("more than {} elements (limit)", limits_->max_elements));
  }
  return true;
}

bool ValueDecoder::ReadCount(Cursor& c, std::string_view what) {
  return c.Count(&remaining_, what);
}

bool ValueDecoder::ReadListElement(Cursor& c) {
  if (packing_) {
    std::string_view element;
    if (!c.Blob(&storage_, &element, "list element")) return false;
    return Packed(c, c.offset(), packer_.AddElement(element));  // a list repeats nothing
  }
  std::string s;
  if (!c.String(&s, "list element")) return false;
  std::get<data::List>(value_).push_back(std::move(s));
  return true;
}

bool ValueDecoder::ReadSetMember(Cursor& c) {
  const uint64_t at = c.offset();
  if (packing_) {
    std::string_view member;
    if (!c.Blob(&storage_, &member, "set member")) return false;
    return Packed(c, at, packer_.AddElement(member));
  }
  std::string s;
  if (!c.String(&s, "set member")) return false;
  if (!std::get<data::Set>(value_).insert(std::move(s)).second) {
    return Corrupt(c, at, "duplicate set member");
  }
  return true;
}

bool ValueDecoder::ReadZSetMember(Cursor& c) {
  const uint64_t at = c.offset();
  std::string member;
  double score;
  if (!c.String(&member, "zset member")) return false;
  if (!(kind_ == Kind::kZSetBinary ? c.BinaryDouble(&score) : c.TextDouble(&score))) return false;
  if (std::isnan(score)) return Corrupt(c, at, "zset score is NaN");
  if (packing_) return Packed(c, at, packer_.AddScored(member, score));
  if (!std::get<data::ZSet>(value_).Insert(member, score)) {
    return Corrupt(c, at, fmt::format("duplicate zset member \"{}\"", EscapeBytes(member, 64)));
  }
  return true;
}

bool ValueDecoder::ReadHashPair(Cursor& c) {
  const uint64_t at = c.offset();
  if (packing_) {
    std::string_view field, value;
    if (!c.Blob(&storage_, &field, "hash field") ||
        !c.Blob(&pair_storage_, &value, "hash value")) {
      return false;
    }
    return Packed(c, at, packer_.AddField(field, value));
  }
  std::string field, value;
  if (!c.String(&field, "hash field") || !c.String(&value, "hash value")) return false;
  auto& hash = std::get<data::Hash>(value_);
  if (!hash.try_emplace(std::move(field), data::HashField{std::move(value)}).second) {
    return Corrupt(c, at, "duplicate hash field");
  }
  return true;
}

bool ValueDecoder::AddListItems(Cursor& c, uint64_t at) {
  auto& list = std::get<data::List>(value_);
  if (list.size() + items_.size() > limits_->max_elements) {
    return Corrupt(c, at, fmt::format("more than {} elements (limit)", limits_->max_elements));
  }
  for (const CompactItem& item : items_) list.push_back(item.ToString());
  return true;
}

bool ValueDecoder::AddSetItems(Cursor& c, uint64_t at) {
  auto& set = std::get<data::Set>(value_);
  for (const CompactItem& item : items_) {
    if (!set.insert(item.ToString()).second) return Corrupt(c, at, "duplicate set member");
  }
  return true;
}

// tuple = 2 for (field, value) / (member, score), 3 for (field, value, ttl).
bool ValueDecoder::AddPairs(Cursor& c, uint64_t at, bool zset, size_t tuple) {
  if (items_.size() % tuple != 0) {
    return Corrupt(c, at, fmt::format("{} elements is not a multiple of {}", items_.size(), tuple));
  }
  for (size_t i = 0; i < items_.size(); i += tuple) {
    std::string name = items_[i].ToString();
    if (zset) {
      double score;
      if (!ItemToDouble(items_[i + 1], &score)) {
        return Corrupt(
            c, at, fmt::format("bad zset score \"{}\"", EscapeBytes(items_[i + 1].ToString(), 64)));
      }
      if (!std::get<data::ZSet>(value_).Insert(name, score)) {
        return Corrupt(c, at, fmt::format("duplicate zset member \"{}\"", EscapeBytes(name, 64)));
      }
      continue;
    }
    data::HashField field{items_[i + 1].ToString()};
    if (tuple == 3) {
      const CompactItem& ttl = items_[i + 2];
      int64_t t = 0;
      if (!(ttl.is_int ? (t = ttl.integer, true) : ParseStrictInt64(ttl.str, &t)) || t < 0 ||
          static_cast<uint64_t>(t) > kMaxFieldExpire) {
        return Corrupt(c, at, fmt::format("bad field expiry \"{}\"", ttl.ToString()));
      }
      if (t != 0) field.expire_at_ms = t;
    }
    if (!std::get<data::Hash>(value_).try_emplace(std::move(name), std::move(field)).second) {
      return Corrupt(c, at, "duplicate hash field");
    }
  }
  return true;
}

// One string holding a whole encoded container: zipmap, ziplist, intset or listpack.
bool ValueDecoder::ReadEncodedBlob(Cursor& c) {
  const uint64_t at = c.offset();
  std::string_view blob;
  const std::string_view what =
      kind_ == Kind::kString ? std::string_view("string value") : std::string_view("encoded value");
  if (!c.Blob(&storage_, &blob, what)) {
    return false;
  }
  if (packing_) return ReadEncodedBlobPacked(c, at, blob);
  Status st = OkStatus();
  const size_t max = MaxItems();
  switch (kind_) {
    case Kind::kZipmap:
      st = DecodeZipmap(blob, &items_, max);
      if (st.ok() && !AddPairs(c, at, false, 2)) return false;
      break;
    case Kind::kListZiplist:
      st = DecodeZiplist(blob, &items_, max);
      if (st.ok() && !AddListItems(c, at)) return false;
      break;
    case Kind::kIntset:
      st = DecodeIntset(blob, &ints_, max);
      if (st.ok()) {
        auto& set = std::get<data::Set>(value_);
        for (int64_t v : ints_) set.insert(Int64ToString(v));
      }
      break;
    case Kind::kZSetZiplist:
    case Kind::kHashZiplist:
      st = DecodeZiplist(blob, &items_, max);
      if (st.ok() && !AddPairs(c, at, kind_ == Kind::kZSetZiplist, 2)) return false;
      break;
    case Kind::kZSetListpack:
    case Kind::kHashListpack:
      st = DecodeListpack(blob, &items_, max);
      if (st.ok() && !AddPairs(c, at, kind_ == Kind::kZSetListpack, 2)) return false;
      break;
    case Kind::kSetListpack:
      st = DecodeListpack(blob, &items_, max);
      if (st.ok() && !AddSetItems(c, at)) return false;
      break;
    case Kind::kDflyJson:
      std::get<data::ModuleValue>(value_) = data::ModuleValue{0, std::string(blob)};
      break;
    case Kind::kString: std::get<data::String>(value_).assign(blob); break;
    default: return Corrupt(c, at, "internal: not a blob type");
  }
  if (!st.ok()) return Corrupt(c, at, st.message());
  return true;
}

// ReadEncodedBlob for a value that decodes into packed form.
bool ValueDecoder::ReadEncodedBlobPacked(Cursor& c, uint64_t at, std::string_view blob) {
  const size_t max = MaxItems();
  Status st = OkStatus();
  switch (kind_) {
    case Kind::kString: packer_.SetString(blob); return true;
    case Kind::kIntset:
      st = DecodeIntset(blob, &ints_, max);
      if (st.ok()) st = packer_.AddIntegers(ints_);
      break;
    case Kind::kListZiplist:
    case Kind::kSetListpack:
      st = kind_ == Kind::kListZiplist ? DecodeZiplist(blob, &items_, max)
                                       : DecodeListpack(blob, &items_, max);
      if (st.ok()) st = packer_.AddElements(items_);
      break;
    default: {  // zipmap, and ziplist or listpack pairs
      if (kind_ == Kind::kZipmap) {
        st = DecodeZipmap(blob, &items_, max);
      } else if (kind_ == Kind::kZSetZiplist || kind_ == Kind::kHashZiplist) {
        st = DecodeZiplist(blob, &items_, max);
      } else {
        st = DecodeListpack(blob, &items_, max);
      }
      if (st.ok() && items_.size() % 2 != 0) {
        return Corrupt(c, at, fmt::format("{} elements is not a multiple of 2", items_.size()));
      }
      if (st.ok()) st = packer_.AddPairs(items_);
      break;
    }
  }
  if (!st.ok()) return Corrupt(c, at, st.message());
  packer_.Finish();
  return true;
}

bool ValueDecoder::Packed(Cursor& c, uint64_t at, const Status& added) {
  return added.ok() || Corrupt(c, at, added.message());
}

bool ValueDecoder::ReadQuicklistNode(Cursor& c) {
  const uint64_t at = c.offset();
  uint64_t container = static_cast<uint64_t>(QuicklistContainer::kPacked);
  if (kind_ == Kind::kQuicklist2 && !c.Number(&container, "quicklist container")) return false;
  const uint64_t blob_at = c.offset();
  std::string_view blob;
  if (!c.Blob(&storage_, &blob, "quicklist node")) return false;
  if (container != static_cast<uint64_t>(QuicklistContainer::kPacked) &&
      container != static_cast<uint64_t>(QuicklistContainer::kPlain)) {
    return Corrupt(
        c, at, fmt::format("bad quicklist container {} (expected 1 plain or 2 packed)", container));
  }
  if (blob.empty()) return Corrupt(c, blob_at, "empty quicklist node");
  if (container == static_cast<uint64_t>(QuicklistContainer::kPlain)) {
    if (packing_) {
      if (!CheckSize(c, at, packer_.size())) return false;
      return Packed(c, at, packer_.AddElement(blob));
    }
    auto& list = std::get<data::List>(value_);
    if (!CheckSize(c, at, list.size())) return false;
    list.emplace_back(blob);
    return true;
  }
  Status st = kind_ == Kind::kQuicklist2 ? DecodeListpack(blob, &items_, MaxItems())
                                         : DecodeZiplist(blob, &items_, MaxItems());
  if (!st.ok()) return Corrupt(c, blob_at, st.message());
  if (packing_) {
    if (packer_.size() + items_.size() > limits_->max_elements) {
      return Corrupt(c, blob_at,
                     fmt::format("more than {} elements (limit)", limits_->max_elements));
    }
    return Packed(c, blob_at, packer_.AddElements(items_));
  }
  return AddListItems(c, blob_at);
}

bool ValueDecoder::ReadHashMetadataHeader(Cursor& c) {
  uint64_t min_expire = 0;
  if (type_ == static_cast<uint8_t>(TypeId::kHashMetadata) && !c.FixedLE(8, &min_expire)) {
    return false;
  }
  if (!c.Count(&remaining_, "hash length")) return false;
  min_expire_ = min_expire;
  return true;
}

bool ValueDecoder::ReadHashMetadataField(Cursor& c) {
  const uint64_t at = c.offset();
  uint64_t ttl;
  std::string field, value;
  if (!c.Number(&ttl, "hash field TTL") || !c.String(&field, "hash field") ||
      !c.String(&value, "hash value")) {
    return false;
  }
  uint64_t expire_at = ttl;
  if (type_ == static_cast<uint8_t>(TypeId::kHashMetadata) && ttl != 0) {
    // GA files store TTLs relative to the minimum, plus one so that 0 stays "none".
    expire_at = ttl + min_expire_ - 1;
  }
  if (expire_at > kMaxFieldExpire) {
    return Corrupt(c, at, fmt::format("hash field expiry {} is beyond 2^48-1", expire_at));
  }
  data::HashField hf{std::move(value)};
  if (expire_at != 0) hf.expire_at_ms = static_cast<int64_t>(expire_at);
  if (!std::get<data::Hash>(value_).try_emplace(std::move(field), std::move(hf)).second) {
    return Corrupt(c, at, "duplicate hash field");
  }
  return true;
}

bool ValueDecoder::ReadHashListpackEx(Cursor& c) {
  uint64_t min_expire;
  if (type_ == static_cast<uint8_t>(TypeId::kHashListpackEx) && !c.FixedLE(8, &min_expire)) {
    return false;
  }
  const uint64_t at = c.offset();
  std::string_view blob;
  if (!c.Blob(&storage_, &blob, "listpack")) return false;
  Status st = DecodeListpack(blob, &items_, MaxItems());
  if (!st.ok()) return Corrupt(c, at, st.message());
  return AddPairs(c, at, false, 3);
}

bool ValueDecoder::ReadValkeyHashField(Cursor& c) {
  const uint64_t at = c.offset();
  std::string field, value;
  uint64_t raw_expire;
  if (!c.String(&field, "hash field") || !c.String(&value, "hash value") ||
      !c.FixedLE(8, &raw_expire)) {
    return false;
  }
  data::HashField hf{std::move(value)};
  const int64_t expire = static_cast<int64_t>(raw_expire);
  if (expire != -1) {
    if (expire < 0) return Corrupt(c, at, fmt::format("bad hash field expiry {}", expire));
    hf.expire_at_ms = expire;
  }
  if (!std::get<data::Hash>(value_).try_emplace(std::move(field), std::move(hf)).second) {
    return Corrupt(c, at, "duplicate hash field");
  }
  return true;
}

// Dragonfly 31 (field, value, ttl) and 32 (member, ttl); ttl is decimal unix seconds or -1.
bool ValueDecoder::ReadDragonflyExpiring(Cursor& c) {
  const uint64_t at = c.offset();
  std::string name, value, ttl_text;
  if (!c.String(&name, "element")) return false;
  if (kind_ == Kind::kDflyHashWithExpiry && !c.String(&value, "hash value")) return false;
  if (!c.String(&ttl_text, "element TTL")) return false;
  int64_t ttl;
  // The TTL is in seconds and becomes milliseconds: refuse what overflows that.
  if (!ParseTtlString(ttl_text, &ttl) || ttl < -1 ||
      ttl > std::numeric_limits<int64_t>::max() / 1000) {
    return Corrupt(c, at, fmt::format("bad element TTL \"{}\"", EscapeBytes(ttl_text, 32)));
  }
  if (kind_ == Kind::kDflySetWithExpiry) {
    if (!std::get<data::Set>(value_).insert(std::move(name)).second) {
      return Corrupt(c, at, "duplicate set member");
    }
    return true;
  }
  data::HashField hf{std::move(value)};
  if (ttl != -1) hf.expire_at_ms = ttl * 1000;
  if (!std::get<data::Hash>(value_).try_emplace(std::move(name), std::move(hf)).second) {
    return Corrupt(c, at, "duplicate hash field");
  }
  return true;
}

bool ValueDecoder::ReadModuleOpcode(Cursor& c, bool* eof) {
  const size_t start = c.pos();
  const uint64_t at = c.offset();
  uint64_t op;
  if (!c.Number(&op, "module opcode")) return false;
  *eof = false;
  switch (static_cast<ModuleOpcode>(op)) {
    case ModuleOpcode::kEof: *eof = true; return true;
    case ModuleOpcode::kSInt:
    case ModuleOpcode::kUInt: {
      uint64_t v;
      if (!c.Number(&v, "module integer")) return false;
      break;
    }
    case ModuleOpcode::kFloat: {
      std::string_view skip;
      if (!c.Take(4, &skip)) return false;
      break;
    }
    case ModuleOpcode::kDouble: {
      std::string_view skip;
      if (!c.Take(8, &skip)) return false;
      break;
    }
    case ModuleOpcode::kString: {
      std::string_view skip;
      if (!c.Blob(&storage_, &skip, "module string")) return false;
      break;
    }
    default: return Corrupt(c, at, fmt::format("unknown module opcode {}", op));
  }
  const std::string_view bytes = c.window().substr(start, c.pos() - start);
  if (module_raw_.size() + bytes.size() > limits_->max_module_value_size) {
    return Corrupt(c, at,
                   fmt::format("module data longer than the limit of {} bytes",
                               limits_->max_module_value_size));
  }
  module_raw_.append(bytes);
  return true;
}

ValueDecoder::Step ValueDecoder::Run(Cursor& c) {
  switch (kind_) {
    case Kind::kString: RDB_UNIT(ReadEncodedBlob(c)); return Step::kDone;
    case Kind::kListLinked:
    case Kind::kSet:
    case Kind::kZSetText:
    case Kind::kZSetBinary:
    case Kind::kHash:
    case Kind::kDflyHashWithExpiry:
    case Kind::kDflySetWithExpiry:
      if (phase_ == 0) {
        RDB_UNIT(ReadCount(c, "value length"));
        phase_ = 1;
      }
      while (remaining_ > 0) {
        switch (kind_) {
          case Kind::kListLinked: RDB_UNIT(ReadListElement(c)); break;
          case Kind::kSet: RDB_UNIT(ReadSetMember(c)); break;
          case Kind::kHash: RDB_UNIT(ReadHashPair(c)); break;
          case Kind::kDflyHashWithExpiry:
          case Kind::kDflySetWithExpiry: RDB_UNIT(ReadDragonflyExpiring(c)); break;
          default: RDB_UNIT(ReadZSetMember(c)); break;
        }
        --remaining_;
      }
      if (packing_) packer_.Finish();
      return Step::kDone;
    case Kind::kZipmap:
    case Kind::kListZiplist:
    case Kind::kIntset:
    case Kind::kZSetZiplist:
    case Kind::kHashZiplist:
    case Kind::kHashListpack:
    case Kind::kZSetListpack:
    case Kind::kSetListpack:
    case Kind::kDflyJson: RDB_UNIT(ReadEncodedBlob(c)); return Step::kDone;
    case Kind::kQuicklist:
    case Kind::kQuicklist2:
      if (phase_ == 0) {
        RDB_UNIT(ReadCount(c, "quicklist node count"));
        phase_ = 1;
      }
      while (remaining_ > 0) {
        RDB_UNIT(ReadQuicklistNode(c));
        --remaining_;
      }
      if (packing_) packer_.Finish();
      return Step::kDone;
    case Kind::kHashMetadata:
      if (phase_ == 0) {
        RDB_UNIT(ReadHashMetadataHeader(c));
        phase_ = 1;
      }
      while (remaining_ > 0) {
        RDB_UNIT(ReadHashMetadataField(c));
        --remaining_;
      }
      return Step::kDone;
    case Kind::kHashListpackEx: RDB_UNIT(ReadHashListpackEx(c)); return Step::kDone;
    case Kind::kValkeyHash2:
      if (phase_ == 0) {
        RDB_UNIT(ReadCount(c, "hash length"));
        phase_ = 1;
      }
      while (remaining_ > 0) {
        RDB_UNIT(ReadValkeyHashField(c));
        --remaining_;
      }
      return Step::kDone;
    case Kind::kStream: return RunStream(c);
    case Kind::kModule2:
    case Kind::kModuleAux:
      if (phase_ == 0) {
        uint64_t id;
        RDB_UNIT(c.Number(&id, "module id"));
        auto& mv = std::get<data::ModuleValue>(value_);
        mv.module_id = id;
        module_raw_.clear();
        phase_ = 1;
      }
      while (true) {
        bool eof = false;
        RDB_UNIT(ReadModuleOpcode(c, &eof));
        if (eof) break;
      }
      if (kind_ == Kind::kModule2) std::get<data::ModuleValue>(value_).raw = std::move(module_raw_);
      return Step::kDone;
    case Kind::kModulePreGa:
      Corrupt(c, c.offset(),
              "module value of the Redis 4.0 RC format has no EOF marker and cannot be skipped "
              "without its module");
      return Step::kError;
    case Kind::kUnsupported:
      if (type_ >= 30 && type_ <= 39) {
        Corrupt(c, c.offset(), fmt::format("unsupported Dragonfly value type {}", type_));
      } else {
        Corrupt(c, c.offset(), fmt::format("unsupported value type {}", type_));
      }
      return Step::kError;
  }
  return Step::kError;
}

// ---- Streams ----------------------------------------------------------------------------

bool ValueDecoder::ReadStreamNode(Cursor& c) {
  const uint64_t at = c.offset();
  std::string key_storage;
  std::string_view node_key, lp;
  if (!c.Blob(&key_storage, &node_key, "stream node key")) return false;
  const uint64_t lp_at = c.offset();
  if (!c.Blob(&storage_, &lp, "stream listpack")) return false;
  auto master = DecodeStreamNodeKey(node_key);
  if (!master.ok()) return Corrupt(c, at, master.message());
  auto& stream = std::get<data::Stream>(value_);
  Status st = DecodeStreamListpack(lp, *master, &items_, &stream.entries, limits_->max_elements);
  if (!st.ok()) return Corrupt(c, lp_at, st.message());
  return true;
}

bool ValueDecoder::ReadStreamMeta(Cursor& c) {
  const uint64_t at = c.offset();
  uint64_t length, last_ms, last_seq;
  uint64_t first_ms = 0, first_seq = 0, del_ms = 0, del_seq = 0, added = 0;
  if (!c.Number(&length, "stream length") || !c.Number(&last_ms, "stream last ID") ||
      !c.Number(&last_seq, "stream last ID")) {
    return false;
  }
  if (stream_version_ >= 2 &&
      (!c.Number(&first_ms, "stream first ID") || !c.Number(&first_seq, "stream first ID") ||
       !c.Number(&del_ms, "stream max deleted ID") ||
       !c.Number(&del_seq, "stream max deleted ID") || !c.Number(&added, "stream entries added"))) {
    return false;
  }
  auto& stream = std::get<data::Stream>(value_);
  if (length != stream.entries.size()) {
    return Corrupt(c, at,
                   fmt::format("stream length {} but its listpacks hold {} entries", length,
                               stream.entries.size()));
  }
  stream.last_id = {last_ms, last_seq};
  if (stream_version_ >= 2) {
    stream.first_id = {first_ms, first_seq};
    stream.max_deleted_id = {del_ms, del_seq};
    stream.entries_added = added;
  } else {
    // What Redis derives when it loads an RDB 9 stream (streamGetEdgeID gives an empty
    // stream the maximal ID as its first).
    stream.first_id = stream.entries.empty() ? data::StreamId{UINT64_MAX, UINT64_MAX}
                                             : stream.entries.begin()->first;
    stream.entries_added = length;
  }
  return true;
}

namespace {

// RDB 9 streams carry no entries-read counter; Redis 7 estimates it on load
// (streamEstimateDistanceFromFirstEverEntry), and so does this reader: -1 means unknown.
int64_t EstimateEntriesRead(const data::Stream& s, const data::StreamId& id) {
  const uint64_t length = s.entries.size();
  if (s.entries_added == 0) return 0;
  if (length == 0 && !(s.last_id < id)) return static_cast<int64_t>(s.entries_added);
  if (id == s.last_id) return static_cast<int64_t>(s.entries_added);
  if (s.last_id < id) return -1;
  const bool no_tombstones_ahead =
      s.max_deleted_id == data::StreamId{0, 0} || s.max_deleted_id < s.first_id;
  if (no_tombstones_ahead) {
    if (id < s.first_id) return static_cast<int64_t>(s.entries_added - length);
    if (id == s.first_id) return static_cast<int64_t>(s.entries_added - length + 1);
  }
  return -1;
}

}  // namespace

bool ValueDecoder::ReadStreamGroup(Cursor& c) {
  const uint64_t at = c.offset();
  std::string name;
  uint64_t ms, seq, entries_read = 0, pel;
  if (!c.String(&name, "consumer group name") || !c.Number(&ms, "group last ID") ||
      !c.Number(&seq, "group last ID")) {
    return false;
  }
  if (stream_version_ >= 2 && !c.Number(&entries_read, "group entries read")) return false;
  if (!c.Count(&pel, "group PEL size")) return false;
  auto& groups = std::get<data::Stream>(value_).groups;
  for (const auto& g : groups) {
    if (g.name == name) {
      return Corrupt(c, at, fmt::format("duplicate consumer group \"{}\"", EscapeBytes(name, 64)));
    }
  }
  if (!CheckSize(c, at, groups.size())) return false;
  data::StreamGroup group;
  group.name = std::move(name);
  group.last_delivered = {ms, seq};
  group.entries_read = stream_version_ >= 2 ? static_cast<int64_t>(entries_read)
                                            : EstimateEntriesRead(std::get<data::Stream>(value_),
                                                                  group.last_delivered);
  groups.push_back(std::move(group));
  pel_left_ = pel;
  return true;
}

bool ValueDecoder::ReadStreamPel(Cursor& c) {
  const uint64_t at = c.offset();
  std::string_view raw_id;
  uint64_t delivery_time, delivery_count;
  if (!c.Take(16, &raw_id) || !c.FixedLE(8, &delivery_time) ||
      !c.Number(&delivery_count, "PEL delivery count")) {
    return false;
  }
  auto id = DecodeStreamNodeKey(raw_id);
  auto& pending = std::get<data::Stream>(value_).groups.back().pending;
  if (!pending.empty() && !(pending.back().id < *id)) {
    return Corrupt(c, at,
                   fmt::format("PEL entry {} is not above the previous one", id->ToString()));
  }
  if (!CheckSize(c, at, pending.size())) return false;
  pending.push_back(data::StreamPendingEntry{*id, std::string(),
                                             static_cast<int64_t>(delivery_time), delivery_count});
  return true;
}

bool ValueDecoder::ReadStreamConsumer(Cursor& c) {
  const uint64_t at = c.offset();
  std::string name;
  uint64_t seen, active = 0, pel;
  if (!c.String(&name, "consumer name") || !c.FixedLE(8, &seen)) return false;
  if (stream_version_ >= 3 && !c.FixedLE(8, &active)) return false;
  if (!c.Count(&pel, "consumer PEL size")) return false;
  auto& consumers = std::get<data::Stream>(value_).groups.back().consumers;
  for (const auto& existing : consumers) {
    if (existing.name == name) {
      return Corrupt(c, at, fmt::format("duplicate consumer \"{}\"", EscapeBytes(name, 64)));
    }
  }
  if (!CheckSize(c, at, consumers.size())) return false;
  data::StreamConsumer consumer;
  consumer.name = std::move(name);
  consumer.seen_time_ms = static_cast<int64_t>(seen);
  consumer.active_time_ms = stream_version_ >= 3 ? static_cast<int64_t>(active) : -1;
  consumers.push_back(std::move(consumer));
  pel_left_ = pel;
  return true;
}

bool ValueDecoder::ReadStreamConsumerPel(Cursor& c) {
  const uint64_t at = c.offset();
  std::string_view raw_id;
  if (!c.Take(16, &raw_id)) return false;
  auto id = DecodeStreamNodeKey(raw_id);
  auto& group = std::get<data::Stream>(value_).groups.back();
  auto it = std::lower_bound(
      group.pending.begin(), group.pending.end(), *id,
      [](const data::StreamPendingEntry& e, const data::StreamId& v) { return e.id < v; });
  if (it == group.pending.end() || it->id != *id) {
    return Corrupt(c, at,
                   fmt::format("consumer PEL entry {} is not in the group's PEL", id->ToString()));
  }
  it->consumer = group.consumers.back().name;
  return true;
}

ValueDecoder::Step ValueDecoder::RunStream(Cursor& c) {
  // Phases: 0 node count, 1 nodes, 2 metadata, 3 group count, 4 group header, 5 group PEL,
  // 6 consumer count, 7 consumer header, 8 consumer PEL.
  while (true) {
    switch (phase_) {
      case 0:
        RDB_UNIT(ReadCount(c, "stream listpack count"));
        phase_ = 1;
        break;
      case 1:
        while (remaining_ > 0) {
          RDB_UNIT(ReadStreamNode(c));
          --remaining_;
        }
        phase_ = 2;
        break;
      case 2:
        RDB_UNIT(ReadStreamMeta(c));
        phase_ = 3;
        break;
      case 3:
        RDB_UNIT(c.Count(&groups_left_, "consumer group count"));
        phase_ = 4;
        break;
      case 4:
        if (groups_left_ == 0) return Step::kDone;
        RDB_UNIT(ReadStreamGroup(c));
        phase_ = 5;
        break;
      case 5:
        while (pel_left_ > 0) {
          RDB_UNIT(ReadStreamPel(c));
          --pel_left_;
        }
        phase_ = 6;
        break;
      case 6:
        RDB_UNIT(c.Count(&consumers_left_, "consumer count"));
        phase_ = 7;
        break;
      case 7:
        if (consumers_left_ == 0) {
          --groups_left_;
          phase_ = 4;
          break;
        }
        RDB_UNIT(ReadStreamConsumer(c));
        phase_ = 8;
        break;
      case 8:
        while (pel_left_ > 0) {
          RDB_UNIT(ReadStreamConsumerPel(c));
          --pel_left_;
        }
        --consumers_left_;
        phase_ = 7;
        break;
      default: return Step::kError;
    }
  }
}

#undef RDB_UNIT

}  // namespace conformance::rdb
