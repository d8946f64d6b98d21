// Keyspace::Diff and Describe.
#include <functional>

#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kNow;
using ::testing::SizeIs;
using Kind = KeyDifference::Kind;

auto Difference(int db, const std::string& key, Kind kind) {
  return AllOf(Field(&KeyDifference::db, db), Field(&KeyDifference::key, key),
               Field(&KeyDifference::kind, kind));
}

TEST(Diff, NamesEachKindInKeyOrder) {
  int64_t now = kNow;
  Keyspace expected = testing::MakeModel(&now);
  Keyspace actual = testing::MakeModel(&now);
  expected.Set(0, "same", data::Entry{data::String("x"), 5000});
  actual.Set(0, "same", data::Entry{data::String("x"), 5000});
  expected.Set(0, "missing", data::Entry{data::String("x")});
  actual.Set(0, "unexpected", data::Entry{data::String("x")});
  expected.Set(0, "type", data::Entry{data::String("x")});
  actual.Set(0, "type", data::Entry{data::List{"x"}});
  expected.Set(0, "value", data::Entry{data::List{"a", "b", "c"}});
  actual.Set(0, "value", data::Entry{data::List{"a", "B", "c"}});
  expected.Set(1, "expiry", data::Entry{data::String("x"), 1000});
  actual.Set(1, "expiry", data::Entry{data::String("x"), 1500});
  const auto diffs = Keyspace::Diff(expected, actual, 10);
  EXPECT_THAT(
      diffs,
      ElementsAre(Difference(0, "missing", Kind::kMissing), Difference(0, "type", Kind::kType),
                  Difference(0, "unexpected", Kind::kUnexpected),
                  Difference(0, "value", Kind::kValue), Difference(1, "expiry", Kind::kExpiry)));
  EXPECT_EQ(diffs[0].actual, "(none)");
  EXPECT_THAT(diffs[0].expected, HasSubstr("\"x\""));
  EXPECT_EQ(diffs[1].detail, "string vs list");
  EXPECT_THAT(diffs[3].detail, HasSubstr("index 1"));
  EXPECT_THAT(diffs[4].detail, AllOf(HasSubstr("1000"), HasSubstr("1500")));
  EXPECT_THAT(diffs[3].ToString(),
              AllOf(HasSubstr("db 0 key \"value\""), HasSubstr("Expected: list[3]"),
                    HasSubstr("Received: list[3]")));
}

TEST(Diff, RespectsTtlToleranceAndLimit) {
  int64_t now = kNow;
  Keyspace expected = testing::MakeModel(&now);
  Keyspace actual = testing::MakeModel(&now);
  expected.Set(0, "a", data::Entry{data::String("x"), 1000});
  actual.Set(0, "a", data::Entry{data::String("x"), 1400});
  expected.Set(0, "b", data::Entry{data::String("x"), 1000});
  actual.Set(0, "b", data::Entry{data::String("x")});
  data::Hash h1{{"f", {"v", 2000}}};
  data::Hash h2{{"f", {"v", 2300}}};
  expected.Set(0, "h", data::Entry{h1});
  actual.Set(0, "h", data::Entry{h2});
  EXPECT_THAT(Keyspace::Diff(expected, actual, 10, 500),
              ElementsAre(Difference(0, "b", Kind::kExpiry)))
      << "no expiry never matches an expiry, whatever the tolerance";
  const auto strict = Keyspace::Diff(expected, actual, 10, 0);
  EXPECT_THAT(strict,
              ElementsAre(Difference(0, "a", Kind::kExpiry), Difference(0, "b", Kind::kExpiry),
                          Difference(0, "h", Kind::kValue)));
  EXPECT_THAT(strict[2].detail, AllOf(HasSubstr("field \"f\""), HasSubstr("2300")));
  EXPECT_THAT(Keyspace::Diff(expected, actual, 1, 0),
              ElementsAre(Difference(0, "a", Kind::kExpiry)));
  EXPECT_THAT(Keyspace::Diff(expected, actual, 0, 0), IsEmpty());
}

TEST(Diff, ValueDetails) {
  int64_t now = kNow;
  Keyspace expected = testing::MakeModel(&now);
  Keyspace actual = testing::MakeModel(&now);
  expected.Set(0, "s", data::Entry{data::Set{"a", "b"}});
  actual.Set(0, "s", data::Entry{data::Set{"a", "c"}});
  data::ZSet z1, z2;
  z1.Insert("m", 1.0);
  z2.Insert("m", 2.0);
  expected.Set(0, "z", data::Entry{z1});
  actual.Set(0, "z", data::Entry{z2});
  expected.Set(0, "str", data::Entry{data::String("hello")});
  actual.Set(0, "str", data::Entry{data::String("help")});
  data::Stream x1, x2;
  x1.entries[{1, 0}] = {{"f", "v"}};
  x2.entries[{1, 0}] = {{"f", "v"}};
  x1.last_id = {1, 0};
  x2.last_id = {1, 0};
  x2.groups.push_back(data::StreamGroup{"g", {}, -1, {}, {}});
  expected.Set(0, "x", data::Entry{x1});
  actual.Set(0, "x", data::Entry{x2});
  const auto diffs = Keyspace::Diff(expected, actual, 10);
  ASSERT_THAT(diffs, SizeIs(4));
  EXPECT_THAT(diffs[0].detail, HasSubstr("member \"b\" missing"));
  EXPECT_THAT(diffs[1].detail, HasSubstr("byte 3"));
  EXPECT_EQ(diffs[2].detail, "consumer groups differ: unexpected group \"g\"");
  EXPECT_THAT(diffs[3].detail, HasSubstr("score 1 vs 2"));
}

// Two streams alike but for one field of group "g2": the detail names the group and the field,
// and the Expected and Received lines differ.
TEST(Diff, StreamGroupDifferencesNameTheGroupAndTheField) {
  auto base = [] {
    data::Stream s;
    for (uint64_t ms = 1; ms <= 30; ++ms) s.entries[{ms, 0}] = {{"field", std::string(20, 'v')}};
    s.last_id = {30, 0};
    s.entries_added = 30;
    s.groups.push_back(data::StreamGroup{"g1", {30, 0}, 30, {}, {}});
    data::StreamGroup g2{"g2", {2, 0}, 2, {}, {}};
    g2.pending = {{{1, 0}, "alice", 1000, 1}, {{2, 0}, "bob", 2000, 3}};
    g2.consumers = {{"alice", 10, -1}, {"bob", 20, -1}};
    s.groups.push_back(g2);
    return s;
  };
  struct Case {
    std::string name;
    std::function<void(data::Stream&)> change;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {"last delivered", [](data::Stream& s) { s.groups[1].last_delivered = {3, 0}; },
       "group \"g2\": last_delivered 2-0 vs 3-0"},
      {"entries read", [](data::Stream& s) { s.groups[1].entries_read = 5; },
       "group \"g2\": entries_read 2 vs 5"},
      {"PEL consumer", [](data::Stream& s) { s.groups[1].pending[1].consumer = "alice"; },
       "group \"g2\": PEL entry 2-0 consumer \"bob\" vs \"alice\""},
      {"PEL count", [](data::Stream& s) { s.groups[1].pending[0].delivery_count = 4; },
       "group \"g2\": PEL entry 1-0 delivery count 1 vs 4"},
      {"PEL entry", [](data::Stream& s) { s.groups[1].pending.pop_back(); },
       "group \"g2\": PEL entry 2-0 missing"},
      {"consumer", [](data::Stream& s) { s.groups[1].consumers.push_back({"carol", 30, -1}); },
       "group \"g2\": unexpected consumer \"carol\""},
      {"group", [](data::Stream& s) { s.groups.pop_back(); }, "group \"g2\" missing"},
  };
  for (const Case& c : cases) {
    int64_t now = kNow;
    Keyspace expected = testing::MakeModel(&now);
    Keyspace actual = testing::MakeModel(&now);
    data::Stream changed = base();
    c.change(changed);
    expected.Set(0, "x", data::Entry{base()});
    actual.Set(0, "x", data::Entry{changed});
    const auto diffs = Keyspace::Diff(expected, actual, 10);
    ASSERT_THAT(diffs, SizeIs(1)) << c.name;
    EXPECT_EQ(diffs[0].detail, "consumer groups differ: " + c.detail) << c.name;
    EXPECT_NE(diffs[0].expected, diffs[0].actual) << c.name << ": " << diffs[0].ToString();
  }
}

TEST(Diff, StreamConsumerTimesAreIgnored) {
  int64_t now = kNow;
  data::Stream a, b;
  a.groups.push_back(data::StreamGroup{"g", {}, 0, {}, {data::StreamConsumer{"c", 100, 200}}});
  b.groups.push_back(data::StreamGroup{"g", {}, 0, {}, {data::StreamConsumer{"c", 999, -1}}});
  Keyspace expected = testing::MakeModel(&now);
  Keyspace actual = testing::MakeModel(&now);
  expected.Set(0, "x", data::Entry{a});
  actual.Set(0, "x", data::Entry{b});
  EXPECT_THAT(Keyspace::Diff(expected, actual, 10), IsEmpty());
  EXPECT_EQ(expected.ComputeDigest(), actual.ComputeDigest());
}

TEST(Describe, RendersEachTypeEscapedAndBounded) {
  EXPECT_EQ(Describe(data::Entry{data::String("a\r\nb"), 1234}),
            "string[4] \"a\\r\\nb\", expires at 1234 ms");
  EXPECT_EQ(Describe(data::Entry{data::List{"x", "y"}}), "list[2] [\"x\", \"y\"], no expiry");
  EXPECT_EQ(Describe(data::Entry{data::Set{"b", "a"}}), "set[2] {\"a\", \"b\"}, no expiry");
  data::ZSet z;
  z.Insert("m", 1.5);
  EXPECT_EQ(Describe(data::Entry{z}), "zset[1] {\"m\": 1.5}, no expiry");
  EXPECT_EQ(Describe(data::Entry{data::Hash{{"f", {"v", 7}}}}),
            "hash[1] {\"f\": \"v\" (expires at 7)}, no expiry");
  data::List big;
  for (int i = 0; i < 1000; ++i) big.push_back("element-" + std::to_string(i));
  const std::string text = Describe(data::Entry{big}, 100);
  EXPECT_LT(text.size(), 200u);
  EXPECT_THAT(text, HasSubstr("more)"));
  data::Stream s;
  s.entries[{1, 2}] = {{"f", "v"}};
  s.last_id = {1, 2};
  EXPECT_THAT(Describe(data::Entry{s}), HasSubstr("1-2 {\"f\": \"v\"}"));
  data::StreamGroup group{"g", {1, 2}, 1, {{{1, 2}, "c", 1700000000000, 2}}, {{"c", 5, -1}}};
  s.groups.push_back(group);
  EXPECT_THAT(Describe(data::Entry{s}),
              HasSubstr("groups [\"g\" {last_delivered=1-2 entries_read=1 pel=[1-2 \"c\" x2 "
                        "@1700000000000] consumers=[\"c\"]}]"));
}

}  // namespace
}  // namespace conformance::keyspace

namespace conformance::keyspace {
namespace {

// A model built by commands holds unpacked values; one loaded with Set holds packed values.
// Both forms must digest and compare alike.
TEST(PackedForm, LoadedAndCommandBuiltModelsAgree) {
  int64_t now = testing::kNow;
  Keyspace built = testing::MakeModel(&now);
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"SET", "s", "value"},
           {"RPUSH", "l", "a", "b", "a"},
           {"SADD", "set", "x", "y", "z", "1", "2"},
           {"ZADD", "z", "1.5", "m", "-2", "n", "0", "o"},
           {"HSET", "h", "f", "v", "g", "w"},
           {"PEXPIREAT", "h", "9999999999999"},
           {"XADD", "st", "1-1", "f", "v"}}) {
    ASSERT_TRUE(built.Apply(command).ok()) << command[0];
  }
  Keyspace loaded = testing::MakeModel(&now);
  for (const auto& [key, entry] : built.db(0).Entries()) loaded.Set(0, key, entry);
  EXPECT_TRUE(loaded.db(0).Lookup("set")->packed());
  EXPECT_FALSE(loaded.db(0).Lookup("st")->packed());  // streams stay unpacked

  EXPECT_EQ(built.ComputeDigest().ToHex(), loaded.ComputeDigest().ToHex());
  EXPECT_THAT(Keyspace::Diff(built, loaded, 10), IsEmpty());
  EXPECT_THAT(Keyspace::Diff(loaded, built, 10), IsEmpty());

  // A change on the unpacked side is found against the packed one, with its detail.
  ASSERT_TRUE(built.Apply({"SADD", "set", "extra"}).ok());
  const auto diffs = Keyspace::Diff(loaded, built, 10);
  ASSERT_THAT(diffs, SizeIs(1));
  EXPECT_THAT(diffs[0], Difference(0, "set", Kind::kValue));
  EXPECT_THAT(diffs[0].detail, HasSubstr("extra"));
  EXPECT_NE(built.ComputeDigest().ToHex(), loaded.ComputeDigest().ToHex());

  // Two packed values that differ are explained too.
  Keyspace other = loaded;
  other.Set(0, "z", data::Entry{data::Value(loaded.db(0).Lookup("l")->Copy().value)});
  other.Set(0, "l", data::Entry{data::List{"a", "b", "c"}});
  const auto packed_diffs = Keyspace::Diff(loaded, other, 10);
  ASSERT_THAT(packed_diffs, SizeIs(2));
  EXPECT_THAT(packed_diffs[0], Difference(0, "l", Kind::kValue));
  EXPECT_THAT(packed_diffs[0].detail, HasSubstr("index 2"));
  EXPECT_THAT(packed_diffs[1], Difference(0, "z", Kind::kType));
}

}  // namespace
}  // namespace conformance::keyspace
