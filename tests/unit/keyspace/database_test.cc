#include "harness/keyspace/database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace conformance::keyspace {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

data::Entry StringEntry(std::string value, int64_t expire = data::Entry::kNoExpiry) {
  return {data::String(std::move(value)), expire};
}

TEST(Database, SetStoresPackedAndFindUnpacksInPlace) {
  Database db;
  db.Set("k", {data::List{"a", "b"}, 1234});
  ASSERT_TRUE(db.Lookup("k").has_value());
  EXPECT_TRUE(db.Lookup("k")->packed());
  EXPECT_EQ(db.Lookup("k")->type(), data::ValueType::kList);
  EXPECT_EQ(db.Lookup("k")->expire_at_ms(), 1234);

  data::Entry* entry = db.Find("k");
  ASSERT_NE(entry, nullptr);
  EXPECT_FALSE(db.Lookup("k")->packed());
  EXPECT_EQ(entry->value, data::Value(data::List{"a", "b"}));
  EXPECT_EQ(entry->expire_at_ms, 1234);
  std::get<data::List>(entry->value).push_back("c");
  EXPECT_EQ(db.Find("k"), entry);  // the same entry, changed
  EXPECT_EQ(db.Lookup("k")->Copy().value, data::Value(data::List{"a", "b", "c"}));
}

TEST(Database, StreamsAreNeverPacked) {
  Database db;
  db.Set("s", {data::Stream{}, data::Entry::kNoExpiry});
  EXPECT_FALSE(db.Lookup("s")->packed());
  EXPECT_EQ(db.Lookup("s")->type(), data::ValueType::kStream);
}

TEST(Database, PointersSurviveGrowthAndOtherKeysErased) {
  Database db;
  data::Entry* first = db.FindOrInsert("first").first;
  first->value = data::String("1");
  for (int i = 0; i < 5000; ++i) db.Set("key:" + std::to_string(i), StringEntry("v"));
  for (int i = 0; i < 5000; i += 2) EXPECT_TRUE(db.Erase("key:" + std::to_string(i)));
  EXPECT_EQ(db.Find("first"), first);
  EXPECT_EQ(db.size(), 2501u);
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(db.Contains("key:" + std::to_string(i)), i % 2 == 1) << i;
  }
}

TEST(Database, EraseKeepsEveryProbeRunReachable) {
  // Many keys in a small table collide; removing any of them must not hide the others.
  for (int removed = 0; removed < 12; ++removed) {
    Database db;
    for (int i = 0; i < 12; ++i) db.Set(std::to_string(i), StringEntry(std::to_string(i)));
    ASSERT_TRUE(db.Erase(std::to_string(removed)));
    for (int i = 0; i < 12; ++i) {
      const auto view = db.Lookup(std::to_string(i));
      ASSERT_EQ(view.has_value(), i != removed) << "removed " << removed << ", looked up " << i;
      if (view) {
        EXPECT_EQ(view->Copy().value, data::Value(data::String(std::to_string(i))));
      }
    }
  }
}

TEST(Database, FindOrInsertSetAssignReplace) {
  Database db;
  auto [entry, inserted] = db.FindOrInsert("k");
  EXPECT_TRUE(inserted);
  EXPECT_EQ(entry->value, data::Value(data::String()));
  EXPECT_FALSE(db.FindOrInsert("k").second);
  db.Set("k", StringEntry("packed", 5));
  EXPECT_EQ(db.size(), 1u);
  EXPECT_EQ(db.Find("k")->expire_at_ms, 5);
  data::Entry* assigned = db.Assign("k", StringEntry("unpacked"));
  EXPECT_EQ(db.Find("k"), assigned);
  EXPECT_EQ(db.size(), 1u);
}

TEST(Database, TakeHandsTheEntryOver) {
  Database db;
  db.Set("k", StringEntry("v", 9));
  std::optional<data::Entry> taken = db.Take("k");
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->value, data::Value(data::String("v")));
  EXPECT_EQ(taken->expire_at_ms, 9);
  EXPECT_TRUE(db.empty());
  EXPECT_FALSE(db.Take("k").has_value());
}

TEST(Database, CopiesAreDeepAndMovesEmptyTheSource) {
  Database db;
  db.Set("packed", StringEntry("p"));
  db.Assign("unpacked", StringEntry("u"));
  Database copy = db;
  std::get<data::String>(db.Find("unpacked")->value) = "changed";
  EXPECT_THAT(copy.Entries(),
              ElementsAre(Pair("packed", ::testing::_), Pair("unpacked", ::testing::_)));
  EXPECT_EQ(copy.Lookup("unpacked")->Copy().value, data::Value(data::String("u")));
  Database moved = std::move(copy);
  EXPECT_EQ(moved.size(), 2u);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  copy.Set("again", StringEntry("a"));
  EXPECT_EQ(copy.size(), 1u);
}

TEST(Database, ReserveThenFillDoesNotLoseKeys) {
  Database db;
  db.Reserve(1000);
  for (int i = 0; i < 1000; ++i) db.Set(std::to_string(i), StringEntry("v"));
  std::set<std::string> seen;
  db.ForEach([&](const Database::View& view) { seen.emplace(view.key()); });
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(db.SortedViews().front().key(), "0");
}

}  // namespace
}  // namespace conformance::keyspace
