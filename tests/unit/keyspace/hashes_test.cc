// Hash commands and hash field expiration (Redis 7.4 / 8).
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using testing::kNow;
using ::testing::Not;

using Fields = std::map<std::string, std::string>;
constexpr int64_t kNoTtl = data::HashField::kNoExpiry;

TEST(Hashes, Table) {
  testing::RunCases({
      {"hset",
       {{"HSET", "h", "a", "1", "b", "2"}, {"HSET", "h", "a", "3"}},
       HasKey(0, "h", HashValue(Fields{{"a", "3"}, {"b", "2"}}))},
      {"hmset", {{"HMSET", "h", "a", "1"}}, HasKey(0, "h", HashValue(Fields{{"a", "1"}}))},
      {"hsetnx",
       {{"HSETNX", "h", "a", "1"}, {"HSETNX", "h", "a", "2"}},
       HasKey(0, "h", HashValue(Fields{{"a", "1"}}))},
      {"hdel",
       {{"HSET", "h", "a", "1", "b", "2"}, {"HDEL", "h", "a", "zz"}},
       HasKey(0, "h", HashValue(Fields{{"b", "2"}}))},
      {"hdel last deletes", {{"HSET", "h", "a", "1"}, {"HDEL", "h", "a"}}, Not(HasKey(0, "h"))},
      {"hincrby",
       {{"HINCRBY", "h", "n", "5"}, {"HINCRBY", "h", "n", "-7"}},
       HasKey(0, "h", HashValue(Fields{{"n", "-2"}}))},
      {"hincrbyfloat",
       {{"HSET", "h", "x", "10.5"}, {"HINCRBYFLOAT", "h", "x", "0.1"}},
       HasKey(0, "h", HashValue(Fields{{"x", "10.6"}}))},
      {"hincrbyfloat exponent",
       {{"HINCRBYFLOAT", "h", "x", "5.0e3"}},
       HasKey(0, "h", HashValue(Fields{{"x", "5000"}}))},
      {"hgetdel",
       {{"HSET", "h", "a", "1", "b", "2"}, {"HGETDEL", "h", "FIELDS", "1", "a"}},
       HasKey(0, "h", HashValue(Fields{{"b", "2"}}))},
      {"hgetdel last",
       {{"HSET", "h", "a", "1"}, {"HGETDEL", "h", "FIELDS", "2", "a", "b"}},
       Not(HasKey(0, "h"))},
  });
}

TEST(Hashes, Errors) {
  const std::vector<testing::Argv> setup = {{"SET", "s", "x"},
                                            {"HSET", "h", "f", "text", "n", "1"}};
  testing::RunErrorCases({
      {"hset on string", setup, {"HSET", "s", "a", "1"}, "WRONGTYPE"},
      {"hdel on string", setup, {"HDEL", "s", "a"}, "WRONGTYPE"},
      {"hincrby not integer field",
       setup,
       {"HINCRBY", "h", "f", "1"},
       "hash value is not an integer"},
      {"hincrby bad increment", setup, {"HINCRBY", "h", "n", "x"}, "not an integer"},
      {"hincrby overflow",
       {{"HSET", "h", "n", "9223372036854775807"}},
       {"HINCRBY", "h", "n", "1"},
       "overflow"},
      {"hincrbyfloat not a float",
       setup,
       {"HINCRBYFLOAT", "h", "f", "1"},
       "hash value is not a float"},
      {"hincrbyfloat inf", setup, {"HINCRBYFLOAT", "h", "n", "inf"}, "NaN or Infinity"},
      {"hexpire no fields keyword",
       setup,
       {"HEXPIRE", "h", "10", "NX", "f", "1", "x"},
       "FIELDS is missing"},
      {"hexpire numfields mismatch",
       setup,
       {"HEXPIRE", "h", "10", "FIELDS", "2", "f"},
       "must match"},
      {"hexpire numfields zero",
       setup,
       {"HEXPIRE", "h", "10", "FIELDS", "0", "f"},
       "should be greater than 0"},
      {"hexpire negative", setup, {"HEXPIRE", "h", "-1", "FIELDS", "1", "f"}, "must be >= 0"},
      {"hexpire too large",
       setup,
       {"HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "f"},
       "invalid expire time"},
      {"hexpire on string", setup, {"HEXPIRE", "s", "10", "FIELDS", "1", "f"}, "WRONGTYPE"},
      {"hsetex two conditions",
       setup,
       {"HSETEX", "h", "FNX", "FXX", "FIELDS", "1", "a", "b"},
       "FXX or FNX"},
      {"hsetex two expiries",
       setup,
       {"HSETEX", "h", "EX", "1", "KEEPTTL", "FIELDS", "1", "a", "b"},
       "Only one of"},
      {"hsetex bad count",
       setup,
       {"HSETEX", "h", "FIELDS", "2", "a", "b"},
       "wrong number of arguments"},
      {"hsetex unknown",
       setup,
       {"HSETEX", "h", "BOGUS", "FIELDS", "1", "a", "b"},
       "unknown argument"},
  });
}

TEST(HashFieldExpiry, SetAndConditions) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"HSET", "h", "a", "1", "b", "2", "c", "3"}), IsApplied());
  ASSERT_THAT(model.Apply({"HEXPIRE", "h", "10", "FIELDS", "2", "a", "missing"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("a", kNow + 10'000)));
  // NX: only fields without TTL.
  ASSERT_THAT(model.Apply({"HPEXPIRE", "h", "5", "NX", "FIELDS", "2", "a", "b"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h",
                            AllOf(HashFieldExpiresAt("a", kNow + 10'000),
                                  HashFieldExpiresAt("b", kNow + 5))));
  // GT fails on a field without TTL (infinite), LT succeeds.
  ASSERT_THAT(model.Apply({"HPEXPIREAT", "h", "1800000000000", "GT", "FIELDS", "1", "c"}),
              IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("c", kNoTtl)));
  ASSERT_THAT(model.Apply({"HPEXPIREAT", "h", "1800000000000", "LT", "FIELDS", "1", "c"}),
              IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("c", 1'800'000'000'000)));
  // XX on a field with TTL; GT with a smaller time is refused.
  ASSERT_THAT(model.Apply({"HEXPIREAT", "h", "1900000000", "XX", "FIELDS", "1", "c"}), IsApplied());
  ASSERT_THAT(model.Apply({"HEXPIREAT", "h", "1850000000", "GT", "FIELDS", "1", "c"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("c", 1'900'000'000'000)));
  // HPERSIST, and HSET clears a field's TTL while HINCRBY keeps it.
  ASSERT_THAT(model.Apply({"HPERSIST", "h", "FIELDS", "1", "c"}), IsApplied());
  ASSERT_THAT(model.Apply({"HSET", "h", "a", "x"}), IsApplied());
  ASSERT_THAT(model.Apply({"HINCRBY", "h", "b", "1"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h",
                            AllOf(HashFieldExpiresAt("c", kNoTtl), HashFieldExpiresAt("a", kNoTtl),
                                  HashFieldExpiresAt("b", kNow + 5),
                                  HashValue(Fields{{"a", "x"}, {"b", "3"}, {"c", "3"}}))));
}

TEST(HashFieldExpiry, PastTimeDeletesFieldsOnAMasterOnly) {
  int64_t now = kNow;
  Keyspace master = testing::MakeModel(&now, Role::kMaster);
  ASSERT_THAT(master.Apply({"HSET", "h", "a", "1", "b", "2"}), IsApplied());
  ASSERT_THAT(master.Apply({"HPEXPIREAT", "h", "1000", "FIELDS", "1", "a"}), IsApplied());
  EXPECT_THAT(master, HasKey(0, "h", HashValue(Fields{{"b", "2"}})));
  ASSERT_THAT(master.Apply({"HEXPIREAT", "h", "1", "FIELDS", "1", "b"}), IsApplied());
  EXPECT_THAT(master, Not(HasKey(0, "h"))) << "the last field going deletes the key";

  Keyspace replica = testing::MakeModel(&now, Role::kReplica);
  ASSERT_THAT(replica.Apply({"HSET", "h", "a", "1"}), IsApplied());
  ASSERT_THAT(replica.Apply({"HPEXPIREAT", "h", "1000", "FIELDS", "1", "a"}), IsApplied());
  EXPECT_THAT(replica, HasKey(0, "h", HashFieldExpiresAt("a", 1000)));
  // A field already past its TTL counts as missing for HPERSIST.
  ASSERT_THAT(replica.Apply({"HPERSIST", "h", "FIELDS", "1", "a"}), IsApplied());
  EXPECT_THAT(replica, HasKey(0, "h", HashFieldExpiresAt("a", 1000)));
}

TEST(HashFieldExpiry, HSetExAndHGetEx) {
  int64_t now = kNow;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"HSETEX", "h", "PX", "100", "FIELDS", "2", "a", "1", "b", "2"}),
              IsApplied());
  EXPECT_THAT(model, HasKey(0, "h",
                            AllOf(HashFieldExpiresAt("a", kNow + 100),
                                  HashFieldExpiresAt("b", kNow + 100))));
  ASSERT_THAT(model.Apply({"HSETEX", "h", "KEEPTTL", "FIELDS", "1", "a", "9"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h",
                            AllOf(HashFieldExpiresAt("a", kNow + 100),
                                  HashValue(Fields{{"a", "9"}, {"b", "2"}}))));
  ASSERT_THAT(model.Apply({"HSETEX", "h", "FIELDS", "1", "a", "8"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("a", kNoTtl)));
  // FNX: nothing is set when any field exists; FXX: only when all exist.
  ASSERT_THAT(model.Apply({"HSETEX", "h", "FNX", "FIELDS", "2", "a", "x", "c", "y"}), IsApplied());
  ASSERT_THAT(model.Apply({"HSETEX", "h", "FXX", "FIELDS", "2", "a", "x", "c", "y"}), IsApplied());
  ASSERT_THAT(model.Apply({"HSETEX", "missing", "FXX", "FIELDS", "1", "a", "x"}), IsApplied());
  EXPECT_THAT(model, AllOf(HasKey(0, "h", HashValue(Fields{{"a", "8"}, {"b", "2"}})),
                           Not(HasKey(0, "missing"))));
  // Redis 8 propagates HINCRBYFLOAT as HSETEX KEEPTTL.
  ASSERT_THAT(model.Apply({"HSETEX", "h", "KEEPTTL", "FIELDS", "1", "b", "2.5"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "h", HashFieldExpiresAt("b", kNow + 100)));
  ASSERT_THAT(model.Apply({"HGETEX", "h", "PERSIST", "FIELDS", "1", "b"}), IsApplied());
  ASSERT_THAT(model.Apply({"HGETEX", "h", "EX", "7", "FIELDS", "2", "a", "nope"}), IsApplied());
  EXPECT_THAT(
      model,
      HasKey(0, "h", AllOf(HashFieldExpiresAt("b", kNoTtl), HashFieldExpiresAt("a", kNow + 7000))));
  ASSERT_THAT(model.Apply({"HGETEX", "h", "PXAT", "1", "FIELDS", "2", "a", "b"}), IsApplied());
  EXPECT_THAT(model, Not(HasKey(0, "h")));
}

}  // namespace
}  // namespace conformance::keyspace
