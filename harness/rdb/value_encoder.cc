#include "harness/rdb/value_encoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "harness/rdb/compact_item.h"
#include "harness/rdb/intset.h"
#include "harness/rdb/listpack.h"
#include "harness/rdb/lzf_codec.h"
#include "harness/rdb/opcodes.h"
#include "harness/rdb/stream_listpack.h"
#include "harness/rdb/ziplist.h"
#include "harness/rdb/zipmap.h"

namespace conformance::rdb {
namespace {

// Redis tries LZF only above this length ("under 20 bytes it's unable to compress").
constexpr size_t kLzfMinLength = 20;

uint8_t T(TypeId t) { return static_cast<uint8_t>(t); }

void AppendFixedLE(std::string* out, uint64_t v, int bytes) { AppendLE(out, v, bytes); }

void AppendId(std::string* out, const data::StreamId& id) {
  AppendLength(out, id.ms);
  AppendLength(out, id.seq);
}

bool FitsCompact(size_t count, const WriterOptions& o) {
  return o.encoding == Encoding::kCompact && count <= o.compact_max_entries;
}

void EncodeList(const data::List& list, const WriterOptions& o, bool compress, uint8_t* type,
                std::string* out) {
  const int v = o.version;
  const bool compact = o.encoding == Encoding::kCompact;
  if (compact && v >= 10) {
    *type = T(TypeId::kListQuicklist2);
    std::string nodes;
    uint64_t node_count = 0;
    ListpackBuilder lp;
    auto flush = [&] {
      if (lp.size() == 0) return;
      AppendLength(&nodes, static_cast<uint64_t>(QuicklistContainer::kPacked));
      AppendString(&nodes, lp.Finish(), compress);
      ++node_count;
    };
    for (const std::string& e : list) {
      if (e.size() > o.compact_max_value) {
        flush();
        AppendLength(&nodes, static_cast<uint64_t>(QuicklistContainer::kPlain));
        AppendString(&nodes, e, compress);
        ++node_count;
        continue;
      }
      lp.Append(e);
      if (lp.size() >= std::max<size_t>(o.compact_max_entries, 1)) flush();
    }
    flush();
    AppendLength(out, node_count);
    out->append(nodes);
    return;
  }
  if (compact && v >= 7) {
    *type = T(TypeId::kListQuicklist);
    std::string nodes;
    uint64_t node_count = 0;
    ZiplistBuilder zl;
    for (const std::string& e : list) {
      zl.Append(e);
      if (zl.size() >= std::max<size_t>(o.compact_max_entries, 1)) {
        AppendString(&nodes, zl.Finish(), compress);
        ++node_count;
      }
    }
    if (zl.size() > 0) {
      AppendString(&nodes, zl.Finish(), compress);
      ++node_count;
    }
    AppendLength(out, node_count);
    out->append(nodes);
    return;
  }
  const bool small = FitsCompact(list.size(), o) &&
                     std::all_of(list.begin(), list.end(), [&](const std::string& e) {
                       return e.size() <= o.compact_max_value;
                     });
  if (small && v >= 2) {
    *type = T(TypeId::kListZiplist);
    ZiplistBuilder zl;
    for (const std::string& e : list) zl.Append(e);
    AppendString(out, zl.Finish(), compress);
    return;
  }
  *type = T(TypeId::kList);
  AppendLength(out, list.size());
  for (const std::string& e : list) AppendString(out, e, compress);
}

void EncodeSet(const data::Set& set, const WriterOptions& o, bool compress, uint8_t* type,
               std::string* out) {
  if (FitsCompact(set.size(), o) && o.version >= 2) {
    std::vector<int64_t> ints;
    ints.reserve(set.size());
    bool all_ints = true;
    for (const std::string& m : set) {
      int64_t v;
      if (!ParseStrictInt64(m, &v)) {
        all_ints = false;
        break;
      }
      ints.push_back(v);
    }
    if (all_ints) {
      *type = T(TypeId::kSetIntset);
      AppendString(out, EncodeIntset(std::move(ints)), compress);
      return;
    }
    const bool short_members = std::all_of(set.begin(), set.end(), [&](const std::string& m) {
      return m.size() <= o.compact_max_value;
    });
    if (o.version >= 11 && short_members) {
      *type = T(TypeId::kSetListpack);
      ListpackBuilder lp;
      for (const std::string& m : set) lp.Append(m);
      AppendString(out, lp.Finish(), compress);
      return;
    }
  }
  *type = T(TypeId::kSet);
  AppendLength(out, set.size());
  for (const std::string& m : set) AppendString(out, m, compress);
}

void AppendTextDouble(std::string* out, double score) {
  if (std::isnan(score)) {
    out->push_back(static_cast<char>(kDoubleNan));
  } else if (std::isinf(score)) {
    out->push_back(static_cast<char>(score > 0 ? kDoublePosInf : kDoubleNegInf));
  } else {
    const std::string text = ScoreToString(score);
    out->push_back(static_cast<char>(text.size()));
    out->append(text);
  }
}

void EncodeZSet(const data::ZSet& zset, const WriterOptions& o, bool compress, uint8_t* type,
                std::string* out) {
  const auto& ordered = zset.ordered();
  const bool small = FitsCompact(zset.size(), o) &&
                     std::all_of(ordered.begin(), ordered.end(), [&](const auto& e) {
                       return e.second.size() <= o.compact_max_value;
                     });
  if (small && o.version >= 10) {
    *type = T(TypeId::kZSetListpack);
    ListpackBuilder lp;
    for (const auto& [score, member] : ordered) {
      lp.Append(member);
      lp.Append(ScoreToString(score));
    }
    AppendString(out, lp.Finish(), compress);
    return;
  }
  if (small && o.version >= 4) {
    *type = T(TypeId::kZSetZiplist);
    ZiplistBuilder zl;
    for (const auto& [score, member] : ordered) {
      zl.Append(member);
      zl.Append(ScoreToString(score));
    }
    AppendString(out, zl.Finish(), compress);
    return;
  }
  const bool binary = o.version >= 8;
  *type = T(binary ? TypeId::kZSet2 : TypeId::kZSet);
  AppendLength(out, zset.size());
  // Highest score first, as Redis walks its skiplist from the tail.
  for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
    AppendString(out, it->second, compress);
    if (binary) {
      uint64_t raw;
      std::memcpy(&raw, &it->first, sizeof(raw));
      AppendFixedLE(out, raw, 8);
    } else {
      AppendTextDouble(out, it->first);
    }
  }
}

Status EncodeHash(const data::Hash& hash, const WriterOptions& o, bool compress, uint8_t* type,
                  std::string* out) {
  bool has_ttl = false;
  uint64_t min_expire = UINT64_MAX;
  bool short_fields = true;
  for (const auto& [field, hf] : hash) {
    if (hf.expire_at_ms != data::HashField::kNoExpiry) {
      if (hf.expire_at_ms <= 0) {
        return Error{fmt::format("hash field \"{}\" has expiry {}, not a positive unix ms time",
                                 field, hf.expire_at_ms)};
      }
      has_ttl = true;
      min_expire = std::min(min_expire, static_cast<uint64_t>(hf.expire_at_ms));
    }
    short_fields = short_fields && field.size() <= o.compact_max_value &&
                   hf.value.size() <= o.compact_max_value;
  }
  const bool small = FitsCompact(hash.size(), o) && short_fields;
  if (has_ttl) {
    if (o.version == kValkeyVersion) {
      *type = kValkeyHash2;
      AppendLength(out, hash.size());
      for (const auto& [field, hf] : hash) {
        AppendString(out, field, compress);
        AppendString(out, hf.value, compress);
        AppendFixedLE(out, static_cast<uint64_t>(hf.expire_at_ms), 8);
      }
      return OkStatus();
    }
    if (o.version < 12) {
      return Error{
          fmt::format("hash field TTLs need RDB 12 (Redis 7.4) or Valkey {}; writing "
                      "RDB {}",
                      kValkeyVersion, o.version)};
    }
    AppendFixedLE(out, min_expire, 8);
    if (small) {
      *type = T(TypeId::kHashListpackEx);
      // Redis keeps listpack-ex fields ordered by expiry, fields without one last.
      std::vector<std::pair<uint64_t, const std::string*>> order;
      order.reserve(hash.size());
      for (const auto& [field, hf] : hash) {
        const uint64_t key = hf.expire_at_ms == data::HashField::kNoExpiry
                                 ? UINT64_MAX
                                 : static_cast<uint64_t>(hf.expire_at_ms);
        order.emplace_back(key, &field);
      }
      std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : *a.second < *b.second;
      });
      ListpackBuilder lp;
      for (const auto& [ttl, field] : order) {
        lp.Append(*field);
        lp.Append(hash.at(*field).value);
        lp.AppendInt(ttl == UINT64_MAX ? 0 : static_cast<int64_t>(ttl));
      }
      AppendString(out, lp.Finish(), compress);
      return OkStatus();
    }
    *type = T(TypeId::kHashMetadata);
    AppendLength(out, hash.size());
    for (const auto& [field, hf] : hash) {
      const uint64_t rel = hf.expire_at_ms == data::HashField::kNoExpiry
                               ? 0
                               : static_cast<uint64_t>(hf.expire_at_ms) - min_expire + 1;
      AppendLength(out, rel);
      AppendString(out, field, compress);
      AppendString(out, hf.value, compress);
    }
    return OkStatus();
  }
  if (small && o.version >= 10) {
    *type = T(TypeId::kHashListpack);
    ListpackBuilder lp;
    for (const auto& [field, hf] : hash) {
      lp.Append(field);
      lp.Append(hf.value);
    }
    AppendString(out, lp.Finish(), compress);
    return OkStatus();
  }
  if (small && o.version >= 4) {
    *type = T(TypeId::kHashZiplist);
    ZiplistBuilder zl;
    for (const auto& [field, hf] : hash) {
      zl.Append(field);
      zl.Append(hf.value);
    }
    AppendString(out, zl.Finish(), compress);
    return OkStatus();
  }
  if (small && o.version >= 2) {
    *type = T(TypeId::kHashZipmap);
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    pairs.reserve(hash.size());
    for (const auto& [field, hf] : hash) pairs.emplace_back(field, hf.value);
    AppendString(out, EncodeZipmap(pairs), compress);
    return OkStatus();
  }
  *type = T(TypeId::kHash);
  AppendLength(out, hash.size());
  for (const auto& [field, hf] : hash) {
    AppendString(out, field, compress);
    AppendString(out, hf.value, compress);
  }
  return OkStatus();
}

Status EncodeStream(const data::Stream& s, const WriterOptions& o, bool compress, uint8_t* type,
                    std::string* out) {
  if (o.version < 9) {
    return Error{fmt::format("streams need RDB 9 (Redis 5.0); writing RDB {}", o.version)};
  }
  const int sv = o.version >= 11 ? 3 : o.version == 10 ? 2 : 1;
  *type = T(sv == 3   ? TypeId::kStreamListpacks3
            : sv == 2 ? TypeId::kStreamListpacks2
                      : TypeId::kStreamListpacks);
  const size_t per_node = std::max<size_t>(o.compact_max_entries, 1);
  std::string nodes;
  uint64_t node_count = 0;
  for (auto it = s.entries.begin(); it != s.entries.end();) {
    auto last = it;
    for (size_t n = 0; n < per_node && last != s.entries.end(); ++n) ++last;
    AppendString(&nodes, EncodeStreamNodeKey(it->first), false);
    AppendString(&nodes, EncodeStreamListpack(it, last), compress);
    ++node_count;
    it = last;
  }
  AppendLength(out, node_count);
  out->append(nodes);
  AppendLength(out, s.entries.size());
  AppendId(out, s.last_id);
  if (sv >= 2) {
    AppendId(out, s.first_id);
    AppendId(out, s.max_deleted_id);
    AppendLength(out, s.entries_added);
  }
  AppendLength(out, s.groups.size());
  for (const data::StreamGroup& g : s.groups) {
    AppendString(out, g.name, compress);
    AppendId(out, g.last_delivered);
    if (sv >= 2) AppendLength(out, static_cast<uint64_t>(g.entries_read));
    std::vector<const data::StreamPendingEntry*> pel;
    pel.reserve(g.pending.size());
    for (const auto& p : g.pending) pel.push_back(&p);
    std::sort(pel.begin(), pel.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    AppendLength(out, pel.size());
    for (const auto* p : pel) {
      out->append(EncodeStreamNodeKey(p->id));
      AppendFixedLE(out, static_cast<uint64_t>(p->delivery_time_ms), 8);
      AppendLength(out, p->delivery_count);
    }
    for (const auto* p : pel) {
      const bool known = std::any_of(g.consumers.begin(), g.consumers.end(),
                                     [&](const auto& c) { return c.name == p->consumer; });
      if (!known) {
        return Error{
            fmt::format("stream group \"{}\": PEL entry {} belongs to unknown consumer "
                        "\"{}\"",
                        g.name, p->id.ToString(), p->consumer)};
      }
    }
    AppendLength(out, g.consumers.size());
    for (const data::StreamConsumer& c : g.consumers) {
      AppendString(out, c.name, compress);
      AppendFixedLE(out, static_cast<uint64_t>(c.seen_time_ms), 8);
      // -1 (never active) is written as is, as Redis 7.2 does.
      if (sv >= 3) AppendFixedLE(out, static_cast<uint64_t>(c.active_time_ms), 8);
      uint64_t owned = 0;
      for (const auto* p : pel) owned += p->consumer == c.name ? 1 : 0;
      AppendLength(out, owned);
      for (const auto* p : pel) {
        if (p->consumer == c.name) out->append(EncodeStreamNodeKey(p->id));
      }
    }
  }
  return OkStatus();
}

}  // namespace

void AppendLength(std::string* out, uint64_t len) {
  if (len < (1u << 6)) {
    out->push_back(static_cast<char>(len));
  } else if (len < (1u << 14)) {
    out->push_back(static_cast<char>(0x40 | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(kLen32Bit));
    for (int shift = 24; shift >= 0; shift -= 8) {
      out->push_back(static_cast<char>((len >> shift) & 0xff));
    }
  } else {
    out->push_back(static_cast<char>(kLen64Bit));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out->push_back(static_cast<char>((len >> shift) & 0xff));
    }
  }
}

void AppendString(std::string* out, std::string_view s, bool compress) {
  int64_t v;
  if (s.size() <= 11 && ParseStrictInt64(s, &v)) {
    const uint64_t u = static_cast<uint64_t>(v);
    if (v >= INT8_MIN && v <= INT8_MAX) {
      out->push_back(static_cast<char>(0xC0 | static_cast<uint8_t>(StringEncoding::kInt8)));
      AppendLE(out, u, 1);
      return;
    }
    if (v >= INT16_MIN && v <= INT16_MAX) {
      out->push_back(static_cast<char>(0xC0 | static_cast<uint8_t>(StringEncoding::kInt16)));
      AppendLE(out, u, 2);
      return;
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
      out->push_back(static_cast<char>(0xC0 | static_cast<uint8_t>(StringEncoding::kInt32)));
      AppendLE(out, u, 4);
      return;
    }
  }
  if (compress && s.size() > kLzfMinLength) {
    if (auto packed = LzfCompress(s)) {
      out->push_back(static_cast<char>(0xC0 | static_cast<uint8_t>(StringEncoding::kLzf)));
      AppendLength(out, packed->size());
      AppendLength(out, s.size());
      out->append(*packed);
      return;
    }
  }
  AppendLength(out, s.size());
  out->append(s);
}

std::string ScoreToString(double score) {
  if (std::isnan(score)) return "nan";
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  if (score == 0) return std::signbit(score) ? "-0" : "0";
  constexpr double kExact = 9007199254740992.0;  // 2^53: every integer below is exact
  if (score > -kExact && score < kExact && score == std::trunc(score)) {
    return Int64ToString(static_cast<int64_t>(score));
  }
  return fmt::format("{:.17g}", score);
}

Status EncodeValue(const data::Value& value, const WriterOptions& o, uint8_t* type,
                   std::string* out) {
  const bool compress = o.compress_strings;
  switch (data::TypeOf(value)) {
    case data::ValueType::kString:
      *type = T(TypeId::kString);
      AppendString(out, std::get<data::String>(value), compress);
      return OkStatus();
    case data::ValueType::kList:
      EncodeList(std::get<data::List>(value), o, compress, type, out);
      return OkStatus();
    case data::ValueType::kSet:
      EncodeSet(std::get<data::Set>(value), o, compress, type, out);
      return OkStatus();
    case data::ValueType::kZSet: {
      const auto& zset = std::get<data::ZSet>(value);
      for (const auto& [member, score] : zset.scores()) {
        if (std::isnan(score))
          return Error{fmt::format("zset member \"{}\" has a NaN score", member)};
      }
      EncodeZSet(zset, o, compress, type, out);
      return OkStatus();
    }
    case data::ValueType::kHash:
      return EncodeHash(std::get<data::Hash>(value), o, compress, type, out);
    case data::ValueType::kStream:
      return EncodeStream(std::get<data::Stream>(value), o, compress, type, out);
    case data::ValueType::kModule: {
      if (o.version < 8) {
        return Error{
            fmt::format("module values need RDB 8 (Redis 4.0); writing RDB {}", o.version)};
      }
      const auto& mv = std::get<data::ModuleValue>(value);
      *type = T(TypeId::kModule2);
      AppendLength(out, mv.module_id);
      out->append(mv.raw);
      AppendLength(out, static_cast<uint64_t>(ModuleOpcode::kEof));
      return OkStatus();
    }
  }
  return Error{"unknown value type"};
}

}  // namespace conformance::rdb
