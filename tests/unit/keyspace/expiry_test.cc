// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT, PERSIST; relative times with an
// injected clock; past times by role.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using testing::kNow;
using ::testing::Not;

TEST(Expiry, Table) {
  const std::vector<testing::Argv> key = {{"SET", "k", "v"}};
  const std::vector<testing::Argv> volatile_key = {{"SET", "k", "v", "PXAT", "1800000000000"}};
  auto with = [](std::vector<testing::Argv> base, testing::Argv command) {
    base.push_back(std::move(command));
    return base;
  };
  testing::RunCases({
      {"expire", with(key, {"EXPIRE", "k", "10"}), HasKey(0, "k", ExpiresAt(kNow + 10'000))},
      {"pexpire", with(key, {"PEXPIRE", "k", "10"}), HasKey(0, "k", ExpiresAt(kNow + 10))},
      {"expireat", with(key, {"EXPIREAT", "k", "1800000000"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'000))},
      {"pexpireat (propagated form)", with(key, {"PEXPIREAT", "k", "1800000000001"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'001))},
      {"missing key", {{"EXPIRE", "nope", "10"}}, KeyCount(0)},
      {"nx on persistent", with(key, {"PEXPIRE", "k", "10", "NX"}),
       HasKey(0, "k", ExpiresAt(kNow + 10))},
      {"nx on volatile", with(volatile_key, {"PEXPIRE", "k", "10", "nx"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'000))},
      {"xx on persistent", with(key, {"PEXPIRE", "k", "10", "XX"}), HasKey(0, "k", HasNoExpiry())},
      {"xx on volatile", with(volatile_key, {"PEXPIRE", "k", "10", "XX"}),
       HasKey(0, "k", ExpiresAt(kNow + 10))},
      {"gt on persistent is refused", with(key, {"PEXPIRE", "k", "10", "GT"}),
       HasKey(0, "k", HasNoExpiry())},
      {"gt larger", with(volatile_key, {"PEXPIREAT", "k", "1800000000005", "GT"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'005))},
      {"gt smaller", with(volatile_key, {"PEXPIREAT", "k", "1700000000005", "GT"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'000))},
      {"lt on persistent", with(key, {"PEXPIRE", "k", "10", "LT"}),
       HasKey(0, "k", ExpiresAt(kNow + 10))},
      {"lt larger", with(volatile_key, {"PEXPIREAT", "k", "1900000000000", "LT"}),
       HasKey(0, "k", ExpiresAt(1'800'000'000'000))},
      {"xx gt together", with(volatile_key, {"PEXPIREAT", "k", "1900000000000", "XX", "GT"}),
       HasKey(0, "k", ExpiresAt(1'900'000'000'000))},
      {"persist", with(volatile_key, {"PERSIST", "k"}), HasKey(0, "k", HasNoExpiry())},
      {"negative expire deletes on a master", with(key, {"EXPIRE", "k", "-1"}),
       Not(HasKey(0, "k"))},
      {"past pexpireat deletes on a master", with(key, {"PEXPIREAT", "k", "1000"}),
       Not(HasKey(0, "k"))},
      {"now counts as past", with(key, {"PEXPIREAT", "k", std::to_string(kNow)}),
       Not(HasKey(0, "k"))},
  });
}

TEST(Expiry, ReplicaStoresPastTimes) {
  testing::RunCases(
      {
          {"pexpireat past",
           {{"SET", "k", "v"}, {"PEXPIREAT", "k", "1000"}},
           HasKey(0, "k", ExpiresAt(1000))},
          {"expire negative",
           {{"SET", "k", "v"}, {"EXPIRE", "k", "-2"}},
           HasKey(0, "k", ExpiresAt(kNow - 2000))},
      },
      Role::kReplica);
}

TEST(Expiry, Errors) {
  const std::vector<testing::Argv> key = {{"SET", "k", "v"}};
  testing::RunErrorCases({
      {"not a number", key, {"EXPIRE", "k", "ten"}, "not an integer"},
      {"seconds overflow",
       key,
       {"EXPIRE", "k", "9223372036854775807"},
       "invalid expire time in 'expire' command"},
      {"relative overflow",
       key,
       {"PEXPIRE", "k", "9223372036854775807"},
       "invalid expire time in 'pexpire' command"},
      {"unknown flag", key, {"EXPIRE", "k", "10", "YY"}, "Unsupported option YY"},
      {"nx with xx", key, {"EXPIRE", "k", "10", "NX", "XX"}, "NX and XX, GT or LT"},
      {"gt with lt", key, {"EXPIRE", "k", "10", "GT", "LT"}, "GT and LT"},
  });
}

TEST(Expiry, RelativeTimesFollowTheClock) {
  int64_t now = 1'000'000;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "k", "v"}), IsApplied());
  ASSERT_THAT(model.Apply({"EXPIRE", "k", "60"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "k", ExpiresAt(1'060'000)));
  now += 30'000;
  ASSERT_THAT(model.Apply({"EXPIRE", "k", "60"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "k", ExpiresAt(1'090'000)));
  now += 1'000'000;
  EXPECT_THAT(model, HasKey(0, "k")) << "logically expired keys stay until a DEL arrives";
  ASSERT_THAT(model.Apply({"DEL", "k"}), IsApplied());
  EXPECT_THAT(model, Not(HasKey(0, "k")));
}

}  // namespace
}  // namespace conformance::keyspace
