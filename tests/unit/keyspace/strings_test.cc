// String commands, client and propagated forms.
#include "tests/unit/keyspace/test_util.h"

namespace conformance::keyspace {
namespace {

using ::testing::AllOf;
using testing::kNow;
using ::testing::Not;

TEST(Strings, Table) {
  testing::RunCases({
      {"set", {{"SET", "k", "v"}}, HasKey(0, "k", AllOf(StringValue("v"), HasNoExpiry()))},
      {"set overwrites any type and drops the ttl",
       {{"RPUSH", "k", "a"}, {"PEXPIRE", "k", "5000"}, {"SET", "k", "v"}},
       HasKey(0, "k", AllOf(StringValue("v"), HasNoExpiry()))},
      {"set px", {{"SET", "k", "v", "PX", "1500"}}, HasKey(0, "k", ExpiresAt(kNow + 1500))},
      {"set ex", {{"SET", "k", "v", "ex", "10"}}, HasKey(0, "k", ExpiresAt(kNow + 10000))},
      {"set exat",
       {{"SET", "k", "v", "EXAT", "1800000000"}},
       HasKey(0, "k", ExpiresAt(1'800'000'000'000))},
      {"set pxat (propagated form)",
       {{"SET", "k", "v", "PXAT", "1800000000123"}},
       HasKey(0, "k", ExpiresAt(1'800'000'000'123))},
      {"set keepttl",
       {{"SET", "k", "a", "PX", "100"}, {"SET", "k", "b", "KEEPTTL"}},
       HasKey(0, "k", AllOf(StringValue("b"), ExpiresAt(kNow + 100)))},
      {"set nx on existing",
       {{"SET", "k", "a"}, {"SET", "k", "b", "NX"}},
       HasKey(0, "k", StringValue("a"))},
      {"set nx on missing", {{"SET", "k", "b", "NX"}}, HasKey(0, "k", StringValue("b"))},
      {"set xx on missing", {{"SET", "k", "b", "XX"}}, Not(HasKey(0, "k"))},
      {"set xx on existing",
       {{"SET", "k", "a"}, {"SET", "k", "b", "XX", "GET"}},
       HasKey(0, "k", StringValue("b"))},
      {"set get", {{"SET", "k", "a"}, {"SET", "k", "b", "GET"}}, HasKey(0, "k", StringValue("b"))},
      {"set ifeq match",
       {{"SET", "k", "a"}, {"SET", "k", "b", "IFEQ", "a"}},
       HasKey(0, "k", StringValue("b"))},
      {"set ifeq mismatch",
       {{"SET", "k", "a"}, {"SET", "k", "b", "IFEQ", "z"}},
       HasKey(0, "k", StringValue("a"))},
      {"set repeated option",
       {{"SET", "k", "v", "PX", "1", "PX", "2"}},
       HasKey(0, "k", ExpiresAt(kNow + 2))},
      {"setnx", {{"SETNX", "k", "a"}, {"SETNX", "k", "b"}}, HasKey(0, "k", StringValue("a"))},
      {"setex",
       {{"SETEX", "k", "3", "v"}},
       HasKey(0, "k", AllOf(StringValue("v"), ExpiresAt(kNow + 3000)))},
      {"psetex", {{"PSETEX", "k", "3", "v"}}, HasKey(0, "k", ExpiresAt(kNow + 3))},
      {"getset drops ttl",
       {{"SET", "k", "a", "PX", "9"}, {"GETSET", "k", "b"}},
       HasKey(0, "k", AllOf(StringValue("b"), HasNoExpiry()))},
      {"getdel", {{"SET", "k", "a"}, {"GETDEL", "k"}, {"GETDEL", "missing"}}, Not(HasKey(0, "k"))},
      {"getex px",
       {{"SET", "k", "a"}, {"GETEX", "k", "PX", "50"}},
       HasKey(0, "k", ExpiresAt(kNow + 50))},
      {"getex persist",
       {{"SET", "k", "a", "EX", "5"}, {"GETEX", "k", "PERSIST"}},
       HasKey(0, "k", HasNoExpiry())},
      {"getex plain",
       {{"SET", "k", "a", "EX", "5"}, {"GETEX", "k"}},
       HasKey(0, "k", ExpiresAt(kNow + 5000))},
      {"getex missing", {{"GETEX", "k", "EX", "5"}}, Not(HasKey(0, "k"))},
      {"append creates",
       {{"APPEND", "k", "ab"}, {"APPEND", "k", "cd"}},
       HasKey(0, "k", StringValue("abcd"))},
      {"append keeps ttl",
       {{"SET", "k", "a", "PX", "7"}, {"APPEND", "k", "b"}},
       HasKey(0, "k", ExpiresAt(kNow + 7))},
      {"incr from nothing", {{"INCR", "k"}, {"INCR", "k"}}, HasKey(0, "k", StringValue("2"))},
      {"incrby decrby decr",
       {{"SET", "k", "10"}, {"INCRBY", "k", "-15"}, {"DECRBY", "k", "3"}, {"DECR", "k"}},
       HasKey(0, "k", StringValue("-9"))},
      {"incr keeps ttl",
       {{"SET", "k", "1", "PX", "99"}, {"INCR", "k"}},
       HasKey(0, "k", AllOf(StringValue("2"), ExpiresAt(kNow + 99)))},
      {"incr at the edge",
       {{"SET", "k", "9223372036854775806"}, {"INCR", "k"}},
       HasKey(0, "k", StringValue("9223372036854775807"))},
      {"incrbyfloat",
       {{"SET", "k", "10.50"}, {"INCRBYFLOAT", "k", "0.1"}},
       HasKey(0, "k", StringValue("10.6"))},
      {"incrbyfloat integer result",
       {{"INCRBYFLOAT", "k", "3.0e3"}},
       HasKey(0, "k", StringValue("3000"))},
      {"incrbyfloat keeps ttl",
       {{"SET", "k", "1", "PX", "5"}, {"INCRBYFLOAT", "k", "-1"}},
       HasKey(0, "k", AllOf(StringValue("0"), ExpiresAt(kNow + 5)))},
      {"incrbyfloat propagated as set keepttl",
       {{"SET", "k", "1", "PX", "5"}, {"SET", "k", "1.5", "KEEPTTL"}},
       HasKey(0, "k", AllOf(StringValue("1.5"), ExpiresAt(kNow + 5)))},
      {"mset",
       {{"SET", "a", "x", "PX", "5"}, {"MSET", "a", "1", "b", "2", "a", "3"}},
       AllOf(HasKey(0, "a", AllOf(StringValue("3"), HasNoExpiry())),
             HasKey(0, "b", StringValue("2")))},
      {"msetnx all new", {{"MSETNX", "a", "1", "b", "2"}}, AllOf(HasKey(0, "a"), HasKey(0, "b"))},
      {"msetnx one exists",
       {{"SET", "b", "x"}, {"MSETNX", "a", "1", "b", "2"}},
       AllOf(Not(HasKey(0, "a")), HasKey(0, "b", StringValue("x")))},
      {"setrange pads",
       {{"SETRANGE", "k", "3", "ab"}},
       HasKey(0, "k", StringValue(std::string("\0\0\0ab", 5)))},
      {"setrange overwrites",
       {{"SET", "k", "hello"}, {"SETRANGE", "k", "1", "EY"}},
       HasKey(0, "k", StringValue("hEYlo"))},
      {"setrange empty on missing creates nothing",
       {{"SETRANGE", "k", "3", ""}},
       Not(HasKey(0, "k"))},
      {"delifeq",
       {{"SET", "a", "x"}, {"SET", "b", "x"}, {"DELIFEQ", "a", "x"}, {"DELIFEQ", "b", "y"}},
       AllOf(Not(HasKey(0, "a")), HasKey(0, "b"))},
  });
}

TEST(Strings, Errors) {
  const std::vector<testing::Argv> list_key = {{"RPUSH", "l", "a"}};
  testing::RunErrorCases({
      {"set bad option", {}, {"SET", "k", "v", "FOO"}, "syntax error"},
      {"set nx xx", {}, {"SET", "k", "v", "NX", "XX"}, "syntax error"},
      {"set ex px", {}, {"SET", "k", "v", "EX", "1", "PX", "2"}, "syntax error"},
      {"set keepttl ex", {}, {"SET", "k", "v", "KEEPTTL", "EX", "2"}, "syntax error"},
      {"set ex missing value", {}, {"SET", "k", "v", "EX"}, "syntax error"},
      {"set ex zero", {}, {"SET", "k", "v", "EX", "0"}, "invalid expire time in 'set' command"},
      {"set ex negative", {}, {"SET", "k", "v", "PX", "-5"}, "invalid expire time"},
      {"set ex overflow",
       {},
       {"SET", "k", "v", "EX", "9223372036854775807"},
       "invalid expire time"},
      {"set ex not a number", {}, {"SET", "k", "v", "EX", "1.5"}, "not an integer"},
      {"set get on list", list_key, {"SET", "l", "v", "GET"}, "WRONGTYPE"},
      {"setex zero", {}, {"SETEX", "k", "0", "v"}, "invalid expire time in 'setex' command"},
      {"getset on list", list_key, {"GETSET", "l", "v"}, "WRONGTYPE"},
      {"getdel on list", list_key, {"GETDEL", "l"}, "WRONGTYPE"},
      {"getex on list", list_key, {"GETEX", "l", "PERSIST"}, "WRONGTYPE"},
      {"getex persist and ex",
       {{"SET", "k", "v"}},
       {"GETEX", "k", "PERSIST", "EX", "1"},
       "syntax error"},
      {"append on list", list_key, {"APPEND", "l", "x"}, "WRONGTYPE"},
      {"incr not an integer", {{"SET", "k", "1.5"}}, {"INCR", "k"}, "not an integer"},
      {"incr leading zero", {{"SET", "k", "01"}}, {"INCR", "k"}, "not an integer"},
      {"incr spaces", {{"SET", "k", " 1"}}, {"INCR", "k"}, "not an integer"},
      {"incr overflow", {{"SET", "k", "9223372036854775807"}}, {"INCR", "k"}, "would overflow"},
      {"decr underflow", {{"SET", "k", "-9223372036854775808"}}, {"DECR", "k"}, "would overflow"},
      {"decrby min", {}, {"DECRBY", "k", "-9223372036854775808"}, "decrement would overflow"},
      {"incrby bad increment", {}, {"INCRBY", "k", "x"}, "not an integer"},
      {"incr on list", list_key, {"INCR", "l"}, "WRONGTYPE"},
      {"incrbyfloat bad value",
       {{"SET", "k", "abc"}},
       {"INCRBYFLOAT", "k", "1"},
       "not a valid float"},
      {"incrbyfloat bad increment", {}, {"INCRBYFLOAT", "k", "x"}, "not a valid float"},
      {"incrbyfloat nan", {}, {"INCRBYFLOAT", "k", "nan"}, "not a valid float"},
      {"incrbyfloat to infinity",
       {{"SET", "k", "1"}},
       {"INCRBYFLOAT", "k", "inf"},
       "NaN or Infinity"},
      {"setrange negative", {}, {"SETRANGE", "k", "-1", "x"}, "offset is out of range"},
      {"setrange too far", {}, {"SETRANGE", "k", "536870912", "x"}, "maximum allowed size"},
      {"setrange on list", list_key, {"SETRANGE", "l", "0", "x"}, "WRONGTYPE"},
  });
}

TEST(Strings, PastExpiryDependsOnRole) {
  int64_t now = kNow;
  Keyspace master = testing::MakeModel(&now, Role::kMaster);
  ASSERT_THAT(master.Apply({"SET", "k", "old"}), IsApplied());
  ASSERT_THAT(master.Apply({"SET", "k", "v", "PXAT", "1000"}), IsApplied());
  EXPECT_THAT(master, Not(HasKey(0, "k"))) << "a master deletes instead of storing a past expiry";
  ASSERT_THAT(master.Apply({"SET", "g", "v"}), IsApplied());
  ASSERT_THAT(master.Apply({"GETEX", "g", "PXAT", "1000"}), IsApplied());
  EXPECT_THAT(master, Not(HasKey(0, "g")));

  Keyspace replica = testing::MakeModel(&now, Role::kReplica);
  ASSERT_THAT(replica.Apply({"SET", "k", "v", "PXAT", "1000"}), IsApplied());
  EXPECT_THAT(replica, HasKey(0, "k", AllOf(StringValue("v"), ExpiresAt(1000))))
      << "a replica keeps a logically expired key until the master's DEL";
}

TEST(Strings, RelativeExpiryUsesTheInjectedClock) {
  int64_t now = 5'000;
  Keyspace model = testing::MakeModel(&now);
  ASSERT_THAT(model.Apply({"SET", "a", "v", "EX", "2"}), IsApplied());
  now = 9'000;
  ASSERT_THAT(model.Apply({"PSETEX", "b", "10", "v"}), IsApplied());
  EXPECT_THAT(model, HasKey(0, "a", ExpiresAt(7'000)));
  EXPECT_THAT(model, HasKey(0, "b", ExpiresAt(9'010)));
  now = 100'000;
  EXPECT_THAT(model, HasKey(0, "a")) << "the model never expires keys by itself";
}

}  // namespace
}  // namespace conformance::keyspace
