#include "harness/rdb/stream_listpack.h"

#include <fmt/format.h>

#include "harness/rdb/listpack.h"
#include "harness/rdb/opcodes.h"

namespace conformance::rdb {
namespace {

// Reads items[*i] as an integer (an integer entry, or a string holding a canonical one).
bool ItemInt(const std::vector<CompactItem>& items, size_t* i, int64_t* out) {
  if (*i >= items.size()) return false;
  const CompactItem& it = items[(*i)++];
  if (it.is_int) {
    *out = it.integer;
    return true;
  }
  return ParseStrictInt64(it.str, out);
}

Error Corrupt(size_t index, std::string_view what) {
  return Error{fmt::format("corrupt stream listpack at element {}: {}", index, what)};
}

}  // namespace

Result<data::StreamId> DecodeStreamNodeKey(std::string_view key) {
  if (key.size() != 16) {
    return Error{fmt::format("stream node key has {} bytes, expected 16", key.size())};
  }
  const auto* p = reinterpret_cast<const unsigned char*>(key.data());
  data::StreamId id;
  for (int i = 0; i < 8; ++i) id.ms = (id.ms << 8) | p[i];
  for (int i = 8; i < 16; ++i) id.seq = (id.seq << 8) | p[i];
  return id;
}

std::string EncodeStreamNodeKey(const data::StreamId& id) {
  std::string out(16, '\0');
  for (int i = 0; i < 8; ++i) {
    out[static_cast<size_t>(i)] = static_cast<char>((id.ms >> (56 - 8 * i)) & 0xff);
    out[static_cast<size_t>(8 + i)] = static_cast<char>((id.seq >> (56 - 8 * i)) & 0xff);
  }
  return out;
}

Status DecodeStreamListpack(std::string_view lp, const data::StreamId& master,
                            std::vector<CompactItem>* scratch,
                            std::map<data::StreamId, data::StreamFields>* entries,
                            uint64_t max_entries) {
  // A listpack cannot hold more elements than bytes, so its own limit is its size.
  CONFORMANCE_RETURN_IF_ERROR(DecodeListpack(lp, scratch, lp.size()));
  const std::vector<CompactItem>& items = *scratch;
  if (items.empty()) return Error{"empty listpack inside a stream"};
  size_t i = 0;
  int64_t count, deleted, master_fields_n;
  if (!ItemInt(items, &i, &count) || !ItemInt(items, &i, &deleted) ||
      !ItemInt(items, &i, &master_fields_n) || count < 0 || deleted < 0 || master_fields_n < 0) {
    return Corrupt(i, "bad master entry header (count, deleted, num-fields)");
  }
  if (static_cast<uint64_t>(master_fields_n) > items.size() - i) {
    return Corrupt(i, fmt::format("master entry claims {} fields", master_fields_n));
  }
  const size_t master_fields_at = i;
  i += static_cast<size_t>(master_fields_n);
  int64_t terminator;
  if (!ItemInt(items, &i, &terminator) || terminator != 0) {
    return Corrupt(i, "master entry not terminated by 0");
  }
  int64_t live = 0, dead = 0;
  while (i < items.size()) {
    const size_t entry_at = i;
    int64_t flags, ms_delta, seq_delta;
    if (!ItemInt(items, &i, &flags) || !ItemInt(items, &i, &ms_delta) ||
        !ItemInt(items, &i, &seq_delta)) {
      return Corrupt(entry_at, "bad entry header (flags, ms-delta, seq-delta)");
    }
    const bool same_fields = (flags & kStreamItemSameFields) != 0;
    int64_t nfields = master_fields_n;
    if (!same_fields && (!ItemInt(items, &i, &nfields) || nfields < 0)) {
      return Corrupt(entry_at, "bad entry field count");
    }
    const uint64_t per_field = same_fields ? 1 : 2;
    if (static_cast<uint64_t>(nfields) > (items.size() - i) / per_field) {
      return Corrupt(entry_at, fmt::format("entry claims {} fields", nfields));
    }
    data::StreamFields fields;
    const bool is_deleted = (flags & kStreamItemDeleted) != 0;
    if (!is_deleted) fields.reserve(static_cast<size_t>(nfields));
    for (int64_t f = 0; f < nfields; ++f) {
      if (is_deleted) {
        i += per_field;
        continue;
      }
      if (same_fields) {
        fields.emplace_back(items[master_fields_at + static_cast<size_t>(f)].ToString(),
                            items[i].ToString());
        i += 1;
      } else {
        fields.emplace_back(items[i].ToString(), items[i + 1].ToString());
        i += 2;
      }
    }
    int64_t lp_count;
    const int64_t expect_lp_count = same_fields ? nfields + 3 : 2 * nfields + 4;
    if (!ItemInt(items, &i, &lp_count) || lp_count != expect_lp_count) {
      return Corrupt(entry_at, fmt::format("entry lp-count is not {}", expect_lp_count));
    }
    if (is_deleted) {
      ++dead;
      continue;
    }
    ++live;
    const data::StreamId id{master.ms + static_cast<uint64_t>(ms_delta),
                            master.seq + static_cast<uint64_t>(seq_delta)};
    if (entries->size() >= max_entries) {
      return Error{fmt::format("stream has more than {} entries (limit)", max_entries)};
    }
    if (!entries->emplace(id, std::move(fields)).second) {
      return Error{fmt::format("duplicate stream entry ID {}", id.ToString())};
    }
  }
  if (live != count || dead != deleted) {
    return Error{
        fmt::format("stream listpack master entry says {} live and {} deleted entries, "
                    "found {} and {}",
                    count, deleted, live, dead)};
  }
  return OkStatus();
}

std::string EncodeStreamListpack(
    std::map<data::StreamId, data::StreamFields>::const_iterator first,
    std::map<data::StreamId, data::StreamFields>::const_iterator last) {
  ListpackBuilder lp;
  const data::StreamId master = first->first;
  const data::StreamFields& master_fields = first->second;
  int64_t count = 0;
  for (auto it = first; it != last; ++it) ++count;
  lp.AppendInt(count);
  lp.AppendInt(0);
  lp.AppendInt(static_cast<int64_t>(master_fields.size()));
  for (const auto& [field, value] : master_fields) lp.Append(field);
  lp.AppendInt(0);
  for (auto it = first; it != last; ++it) {
    const data::StreamFields& fields = it->second;
    bool same = fields.size() == master_fields.size();
    for (size_t f = 0; same && f < fields.size(); ++f) {
      same = fields[f].first == master_fields[f].first;
    }
    const int64_t n = static_cast<int64_t>(fields.size());
    lp.AppendInt(same ? kStreamItemSameFields : 0);
    lp.AppendInt(static_cast<int64_t>(it->first.ms - master.ms));
    lp.AppendInt(static_cast<int64_t>(it->first.seq - master.seq));
    if (same) {
      for (const auto& [field, value] : fields) lp.Append(value);
      lp.AppendInt(n + 3);
    } else {
      lp.AppendInt(n);
      for (const auto& [field, value] : fields) {
        lp.Append(field);
        lp.Append(value);
      }
      lp.AppendInt(2 * n + 4);
    }
  }
  return lp.Finish();
}

}  // namespace conformance::rdb
