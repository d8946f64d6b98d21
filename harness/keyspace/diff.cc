// Keyspace::Diff: compares two models key by key with the same notion of equality as the digest
// (zset scores bit for bit; stream consumer seen/active times ignored), expiries within a
// tolerance, and explains the first difference inside a value.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "harness/common/escape.h"
#include "harness/keyspace/keyspace.h"

namespace conformance::keyspace {

namespace {

constexpr size_t kDetailChars = 80;

std::string Q(std::string_view bytes) { return "\"" + EscapeBytes(bytes, kDetailChars) + "\""; }

bool ExpiriesMatch(int64_t a, int64_t b, int64_t tolerance) {
  const bool a_none = a == data::Entry::kNoExpiry;
  const bool b_none = b == data::Entry::kNoExpiry;
  if (a_none || b_none) return a_none == b_none;
  const int64_t delta = a > b ? a - b : b - a;
  return delta <= tolerance;
}

bool SameScore(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

std::string ExpiryText(int64_t ms) {
  return ms == data::Entry::kNoExpiry ? "no expiry" : fmt::format("expires at {}", ms);
}

// The smallest key of a that b lacks, if any.
template <typename Container, typename Contains>
std::optional<std::string> FirstMissing(const Container& a, Contains&& b_contains) {
  std::optional<std::string> first;
  for (const auto& item : a) {
    const std::string& key = [&]() -> const std::string& {
      if constexpr (std::is_same_v<std::decay_t<decltype(item)>, std::string>) {
        return item;
      } else {
        return item.first;
      }
    }();
    if (!b_contains(key) && (!first || key < *first)) first = key;
  }
  return first;
}

std::string StringDetail(const std::string& a, const std::string& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      return fmt::format("first difference at byte {}: {} vs {}", i, Q(a.substr(i, 1)),
                         Q(b.substr(i, 1)));
    }
  }
  return fmt::format("length {} vs {}", a.size(), b.size());
}

std::string ListDetail(const data::List& a, const data::List& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return fmt::format("index {}: {} vs {}", i, Q(a[i]), Q(b[i]));
  }
  return fmt::format("length {} vs {}", a.size(), b.size());
}

std::string SetDetail(const data::Set& a, const data::Set& b) {
  if (auto m = FirstMissing(a, [&](const std::string& k) { return b.count(k) > 0; })) {
    return fmt::format("member {} missing", Q(*m));
  }
  if (auto m = FirstMissing(b, [&](const std::string& k) { return a.count(k) > 0; })) {
    return fmt::format("unexpected member {}", Q(*m));
  }
  return "";
}

std::string ZSetDetail(const data::ZSet& a, const data::ZSet& b) {
  const auto& as = a.scores();
  const auto& bs = b.scores();
  if (auto m = FirstMissing(as, [&](const std::string& k) { return bs.count(k) > 0; })) {
    return fmt::format("member {} missing", Q(*m));
  }
  if (auto m = FirstMissing(bs, [&](const std::string& k) { return as.count(k) > 0; })) {
    return fmt::format("unexpected member {}", Q(*m));
  }
  std::optional<std::string> first;
  for (const auto& [member, score] : as) {
    if (!SameScore(score, bs.at(member)) && (!first || member < *first)) first = member;
  }
  if (first) {
    return fmt::format("member {}: score {} vs {}", Q(*first), as.at(*first), bs.at(*first));
  }
  return "";
}

bool FieldsMatch(const data::HashField& a, const data::HashField& b, int64_t tolerance) {
  return a.value == b.value && ExpiriesMatch(a.expire_at_ms, b.expire_at_ms, tolerance);
}

std::string HashDetail(const data::Hash& a, const data::Hash& b, int64_t tolerance) {
  if (auto f = FirstMissing(a, [&](const std::string& k) { return b.count(k) > 0; })) {
    return fmt::format("field {} missing", Q(*f));
  }
  if (auto f = FirstMissing(b, [&](const std::string& k) { return a.count(k) > 0; })) {
    return fmt::format("unexpected field {}", Q(*f));
  }
  std::optional<std::string> first;
  for (const auto& [field, value] : a) {
    if (!FieldsMatch(value, b.at(field), tolerance) && (!first || field < *first)) first = field;
  }
  if (!first) return "";
  const data::HashField& x = a.at(*first);
  const data::HashField& y = b.at(*first);
  if (x.value != y.value)
    return fmt::format("field {}: {} vs {}", Q(*first), Q(x.value), Q(y.value));
  return fmt::format("field {}: {} vs {}", Q(*first), ExpiryText(x.expire_at_ms),
                     ExpiryText(y.expire_at_ms));
}

std::vector<const data::StreamGroup*> GroupsByName(const data::Stream& s) {
  std::vector<const data::StreamGroup*> groups;
  for (const auto& group : s.groups) groups.push_back(&group);
  std::sort(groups.begin(), groups.end(), [](auto* x, auto* y) { return x->name < y->name; });
  return groups;
}

// "" when the PELs match (by id), else the first difference.
std::string PendingDetail(const data::StreamGroup& x, const data::StreamGroup& y) {
  auto by_id = [](const data::StreamGroup& g) {
    std::map<data::StreamId, const data::StreamPendingEntry*> pel;
    for (const auto& p : g.pending) pel.emplace(p.id, &p);
    return pel;
  };
  const auto px = by_id(x);
  const auto py = by_id(y);
  for (const auto& [id, p] : px) {
    auto other = py.find(id);
    if (other == py.end()) return fmt::format("PEL entry {} missing", id.ToString());
    const data::StreamPendingEntry& q = *other->second;
    if (p->consumer != q.consumer) {
      return fmt::format("PEL entry {} consumer {} vs {}", id.ToString(), Q(p->consumer),
                         Q(q.consumer));
    }
    if (p->delivery_count != q.delivery_count) {
      return fmt::format("PEL entry {} delivery count {} vs {}", id.ToString(), p->delivery_count,
                         q.delivery_count);
    }
    if (p->delivery_time_ms != q.delivery_time_ms) {
      return fmt::format("PEL entry {} delivery time {} vs {}", id.ToString(),
                         p->delivery_time_ms, q.delivery_time_ms);
    }
  }
  for (const auto& [id, q] : py) {
    if (!px.count(id)) return fmt::format("unexpected PEL entry {}", id.ToString());
  }
  return "";
}

// "" when the groups match, else the first differing group and its field. Groups are compared
// by name, pending entries by id, consumers by name only (their times are ignored).
std::string GroupsDetail(const data::Stream& a, const data::Stream& b) {
  const auto ga = GroupsByName(a);
  const auto gb = GroupsByName(b);
  std::set<std::string_view> names_a, names_b;
  for (const auto* g : ga) names_a.insert(g->name);
  for (const auto* g : gb) names_b.insert(g->name);
  for (std::string_view name : names_a) {
    if (!names_b.count(name)) return fmt::format("group {} missing", Q(name));
  }
  for (std::string_view name : names_b) {
    if (!names_a.count(name)) return fmt::format("unexpected group {}", Q(name));
  }
  for (size_t i = 0; i < ga.size() && i < gb.size(); ++i) {
    const data::StreamGroup& x = *ga[i];
    const data::StreamGroup& y = *gb[i];
    const std::string group = "group " + Q(x.name);
    if (x.last_delivered != y.last_delivered) {
      return fmt::format("{}: last_delivered {} vs {}", group, x.last_delivered.ToString(),
                         y.last_delivered.ToString());
    }
    if (x.entries_read != y.entries_read) {
      return fmt::format("{}: entries_read {} vs {}", group, x.entries_read, y.entries_read);
    }
    if (std::string pel = PendingDetail(x, y); !pel.empty()) {
      return fmt::format("{}: {}", group, pel);
    }
    std::set<std::string_view> cx, cy;
    for (const auto& c : x.consumers) cx.insert(c.name);
    for (const auto& c : y.consumers) cy.insert(c.name);
    for (std::string_view name : cx) {
      if (!cy.count(name)) return fmt::format("{}: consumer {} missing", group, Q(name));
    }
    for (std::string_view name : cy) {
      if (!cx.count(name)) return fmt::format("{}: unexpected consumer {}", group, Q(name));
    }
  }
  return "";
}

std::string StreamDetail(const data::Stream& a, const data::Stream& b) {
  auto ia = a.entries.begin();
  auto ib = b.entries.begin();
  for (; ia != a.entries.end() && ib != b.entries.end(); ++ia, ++ib) {
    if (ia->first != ib->first) {
      return fmt::format("entry ids differ: {} vs {}", ia->first.ToString(), ib->first.ToString());
    }
    if (ia->second != ib->second)
      return fmt::format("entry {} fields differ", ia->first.ToString());
  }
  if (a.entries.size() != b.entries.size()) {
    return fmt::format("length {} vs {}", a.entries.size(), b.entries.size());
  }
  if (a.last_id != b.last_id) {
    return fmt::format("last_id {} vs {}", a.last_id.ToString(), b.last_id.ToString());
  }
  if (a.max_deleted_id != b.max_deleted_id) {
    return fmt::format("max_deleted_id {} vs {}", a.max_deleted_id.ToString(),
                       b.max_deleted_id.ToString());
  }
  if (a.entries_added != b.entries_added) {
    return fmt::format("entries_added {} vs {}", a.entries_added, b.entries_added);
  }
  if (std::string groups = GroupsDetail(a, b); !groups.empty()) {
    return "consumer groups differ: " + groups;
  }
  return "";
}

// "" when the values are equal (same type assumed), else where they differ.
std::string ValueDifference(const data::Value& a, const data::Value& b, int64_t tolerance) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, data::String>) {
          return x == y ? "" : StringDetail(x, y);
        } else if constexpr (std::is_same_v<T, data::List>) {
          return x == y ? "" : ListDetail(x, y);
        } else if constexpr (std::is_same_v<T, data::Set>) {
          return x == y ? "" : SetDetail(x, y);
        } else if constexpr (std::is_same_v<T, data::ZSet>) {
          if (x.size() != y.size()) return fmt::format("size {} vs {}", x.size(), y.size());
          return ZSetDetail(x, y);
        } else if constexpr (std::is_same_v<T, data::Hash>) {
          if (x.size() != y.size()) return fmt::format("size {} vs {}", x.size(), y.size());
          return HashDetail(x, y, tolerance);
        } else if constexpr (std::is_same_v<T, data::Stream>) {
          return StreamDetail(x, y);
        } else {
          if (x == y) return "";
          return x.module_id != y.module_id ? "module ids differ" : "module payloads differ";
        }
      },
      a);
}

// "" when two stored values of the same type are equal, else where they differ. Packed values
// are canonical, so equal bytes are equal values; anything else is compared unpacked.
std::string StoredValueDifference(const Database::View& x, const Database::View& y,
                                  int64_t tolerance) {
  if (x.packed() && y.packed() && x.packed_bytes() == y.packed_bytes()) return "";
  std::optional<data::Entry> x_copy;
  std::optional<data::Entry> y_copy;
  const data::Value& xv = x.packed() ? x_copy.emplace(x.Copy()).value : x.unpacked()->value;
  const data::Value& yv = y.packed() ? y_copy.emplace(y.Copy()).value : y.unpacked()->value;
  return ValueDifference(xv, yv, tolerance);
}

struct Candidate {
  int db;
  std::string_view key;  // into the database's node, which Diff does not change
  KeyDifference::Kind kind;
  std::string detail;
};

std::string DescribeStored(const Keyspace& keyspace, int db, std::string_view key) {
  const std::optional<Database::View> view = keyspace.db(db).Lookup(key);
  return view ? Describe(view->Copy()) : "(none)";
}

}  // namespace

std::vector<KeyDifference> Keyspace::Diff(const Keyspace& expected, const Keyspace& actual,
                                          size_t max_differences, int64_t ttl_tolerance_ms) {
  using Kind = KeyDifference::Kind;
  std::vector<Candidate> found;
  const int databases = std::max(expected.databases(), actual.databases());
  for (int db = 0; db < databases; ++db) {
    const Database& e = expected.db(db);
    const Database& a = actual.db(db);
    size_t missing = 0;
    e.ForEach([&](const Database::View& x) {
      const std::optional<Database::View> y = a.Lookup(x.key());
      if (!y) {
        ++missing;
        found.push_back({db, x.key(), Kind::kMissing, ""});
      } else if (x.type() != y->type()) {
        found.push_back({db, x.key(), Kind::kType,
                         fmt::format("{} vs {}", data::TypeName(x.type()),
                                     data::TypeName(y->type()))});
      } else if (std::string detail = StoredValueDifference(x, *y, ttl_tolerance_ms);
                 !detail.empty()) {
        found.push_back({db, x.key(), Kind::kValue, std::move(detail)});
      } else if (!ExpiriesMatch(x.expire_at_ms(), y->expire_at_ms(), ttl_tolerance_ms)) {
        found.push_back({db, x.key(), Kind::kExpiry,
                         fmt::format("{} vs {}", ExpiryText(x.expire_at_ms()),
                                     ExpiryText(y->expire_at_ms()))});
      }
    });
    // Every key of e found in a, and as many keys: a holds no others.
    if (missing == 0 && e.size() == a.size()) continue;
    a.ForEach([&](const Database::View& y) {
      if (!e.Contains(y.key())) found.push_back({db, y.key(), Kind::kUnexpected, ""});
    });
  }
  const auto before = [](const Candidate& x, const Candidate& y) {
    return x.db != y.db ? x.db < y.db : x.key < y.key;
  };
  const size_t n = std::min(max_differences, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n), found.end(),
                    before);
  std::vector<KeyDifference> differences;
  differences.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Candidate& c = found[i];
    KeyDifference d;
    d.db = c.db;
    d.key = std::string(c.key);
    d.kind = c.kind;
    d.expected = DescribeStored(expected, c.db, c.key);
    d.actual = DescribeStored(actual, c.db, c.key);
    d.detail = std::move(c.detail);
    differences.push_back(std::move(d));
  }
  return differences;
}

}  // namespace conformance::keyspace
