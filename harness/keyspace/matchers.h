// gmock matchers for the keyspace model, for the tests of every layer:
//   EXPECT_THAT(model.Apply({"SET", "k", "v"}), IsApplied());
//   EXPECT_THAT(model.Apply({"INCR", "k"}), IsApplyError(HasSubstr("not an integer")));
//   EXPECT_THAT(model, HasKey(0, "k"));
//   EXPECT_THAT(model, HasKey(0, "k", StringValue("v")));
//   EXPECT_THAT(model, HasKey(0, "l", AllOf(ListValue(ElementsAre("a", "b")), ExpiresAt(5000))));
//   EXPECT_THAT(model, Not(HasKey(1, "k")));
// Entry matchers take plain values or matchers. Failures print entries with Describe().
#pragma once

#include <gmock/gmock.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "harness/keyspace/keyspace.h"

namespace conformance::data {

// Found by gtest through ADL.
inline void PrintTo(const Entry& entry, std::ostream* os) { *os << keyspace::Describe(entry, 400); }

}  // namespace conformance::data

namespace conformance::keyspace {

inline void PrintTo(const ApplyResult& result, std::ostream* os) {
  *os << ToString(result.status);
  if (!result.message.empty()) *os << ": " << result.message;
}

inline void PrintTo(const KeyDifference& difference, std::ostream* os) {
  *os << difference.ToString();
}

inline void PrintTo(const Keyspace& keyspace, std::ostream* os) {
  *os << "keyspace with " << keyspace.size() << " keys";
}

MATCHER(IsApplied, "is applied") {
  if (arg.status == ApplyStatus::kApplied) return true;
  *result_listener << "which is " << ToString(arg.status) << ": " << arg.message;
  return false;
}

// kError whose message matches, e.g. IsApplyError(HasSubstr("WRONGTYPE")).
MATCHER_P(IsApplyError, message,
          "is an error that " + ::testing::DescribeMatcher<const std::string&>(message, negation)) {
  if (arg.status != ApplyStatus::kError) {
    *result_listener << "which is " << ToString(arg.status);
    return false;
  }
  return ::testing::ExplainMatchResult(message, arg.message, result_listener);
}

MATCHER(IsUnmodelled, "is unmodelled") {
  if (arg.status == ApplyStatus::kUnmodelled) return true;
  *result_listener << "which is " << ToString(arg.status) << ": " << arg.message;
  return false;
}

// A Keyspace holding key in db.
MATCHER_P2(HasKey, db, key,
           "has key \"" + std::string(key) + "\" in db " + ::testing::PrintToString(db)) {
  return arg.Find(db, key) != nullptr;
}

// A Keyspace holding key in db, with an entry that matches.
MATCHER_P3(HasKey, db, key, entry,
           "has key \"" + std::string(key) + "\" in db " + ::testing::PrintToString(db) + " that " +
               ::testing::DescribeMatcher<const data::Entry&>(entry, negation)) {
  const data::Entry* found = arg.Find(db, key);
  if (found == nullptr) {
    *result_listener << "which lacks the key";
    return false;
  }
  *result_listener << "whose entry is " << Describe(*found, 400) << " ";
  return ::testing::ExplainMatchResult(entry, *found, result_listener);
}

// A Keyspace with n keys in all databases.
MATCHER_P(KeyCount, n, "has " + ::testing::PrintToString(n) + " keys") {
  *result_listener << "which has " << arg.size();
  return arg.size() == static_cast<size_t>(n);
}

namespace matchers_internal {

using ZSetPairs = std::vector<std::pair<std::string, double>>;
using FieldMap = std::map<std::string, std::string>;

template <typename T>
const T* As(const data::Entry& entry, ::testing::MatchResultListener* listener) {
  const T* value = std::get_if<T>(&entry.value);
  if (value == nullptr) *listener << "which holds a " << data::TypeName(data::TypeOf(entry.value));
  return value;
}

}  // namespace matchers_internal

MATCHER_P(StringValue, value,
          "is a string that " + ::testing::DescribeMatcher<const std::string&>(value, negation)) {
  const auto* s = matchers_internal::As<data::String>(arg, result_listener);
  return s != nullptr && ::testing::ExplainMatchResult(value, *s, result_listener);
}

// The elements in order, as a std::vector<std::string>.
MATCHER_P(ListValue, elements,
          "is a list whose elements " +
              ::testing::DescribeMatcher<const std::vector<std::string>&>(elements, negation)) {
  const auto* l = matchers_internal::As<data::List>(arg, result_listener);
  if (l == nullptr) return false;
  const std::vector<std::string> items(l->begin(), l->end());
  return ::testing::ExplainMatchResult(elements, items, result_listener);
}

// The members, sorted, as a std::vector<std::string>.
MATCHER_P(SetValue, members,
          "is a set whose sorted members " +
              ::testing::DescribeMatcher<const std::vector<std::string>&>(members, negation)) {
  const auto* s = matchers_internal::As<data::Set>(arg, result_listener);
  if (s == nullptr) return false;
  std::vector<std::string> items(s->begin(), s->end());
  std::sort(items.begin(), items.end());
  return ::testing::ExplainMatchResult(members, items, result_listener);
}

// (member, score) pairs in ZRANGE order, as a std::vector<std::pair<std::string, double>>.
MATCHER_P(ZSetValue, elements,
          "is a zset whose (member, score) pairs " +
              ::testing::DescribeMatcher<const matchers_internal::ZSetPairs&>(elements, negation)) {
  const auto* z = matchers_internal::As<data::ZSet>(arg, result_listener);
  if (z == nullptr) return false;
  matchers_internal::ZSetPairs items;
  for (const auto& [score, member] : z->ordered()) items.emplace_back(member, score);
  return ::testing::ExplainMatchResult(elements, items, result_listener);
}

// field -> value, as a std::map<std::string, std::string> (field expiries ignored).
MATCHER_P(HashValue, fields,
          "is a hash whose fields " +
              ::testing::DescribeMatcher<const matchers_internal::FieldMap&>(fields, negation)) {
  const auto* h = matchers_internal::As<data::Hash>(arg, result_listener);
  if (h == nullptr) return false;
  matchers_internal::FieldMap items;
  for (const auto& [field, f] : *h) items.emplace(field, f.value);
  return ::testing::ExplainMatchResult(fields, items, result_listener);
}

// A hash whose field expires at ms (data::HashField::kNoExpiry for none).
MATCHER_P2(HashFieldExpiresAt, field, ms,
           "is a hash whose field \"" + std::string(field) + "\" expires at " +
               ::testing::PrintToString(ms)) {
  const auto* h = matchers_internal::As<data::Hash>(arg, result_listener);
  if (h == nullptr) return false;
  auto it = h->find(field);
  if (it == h->end()) {
    *result_listener << "which lacks the field";
    return false;
  }
  *result_listener << "whose field expires at " << it->second.expire_at_ms;
  return it->second.expire_at_ms == ms;
}

// A stream whose entry ids, as "ms-seq" strings in order, match.
MATCHER_P(StreamIds, ids,
          "is a stream whose ids " +
              ::testing::DescribeMatcher<const std::vector<std::string>&>(ids, negation)) {
  const auto* s = matchers_internal::As<data::Stream>(arg, result_listener);
  if (s == nullptr) return false;
  std::vector<std::string> items;
  for (const auto& [id, fields] : s->entries) items.push_back(id.ToString());
  return ::testing::ExplainMatchResult(ids, items, result_listener);
}

MATCHER_P(TypeIs, type, std::string("is a ") + data::TypeName(type)) {
  *result_listener << "which is a " << data::TypeName(data::TypeOf(arg.value));
  return data::TypeOf(arg.value) == type;
}

MATCHER_P(ExpiresAt, ms, "expires at " + ::testing::PrintToString(ms) + " ms") {
  *result_listener << "which expires at " << arg.expire_at_ms;
  return arg.expire_at_ms == ms;
}

MATCHER(HasNoExpiry, "has no expiry") {
  *result_listener << "which expires at " << arg.expire_at_ms;
  return arg.expire_at_ms == data::Entry::kNoExpiry;
}

}  // namespace conformance::keyspace
